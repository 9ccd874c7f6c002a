import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isConnectorError, redact, registerSecret } from '../../connectors/core';
import { parseHubspotEvents, verifyHubspotSignatureV3, type HubspotWebhookEvent } from '../../connectors/crm/hubspot';
import { CRM_CREDENTIALS, crmProviderFor, secretsOf } from '../Crm/transport';
import { processRecords, type Delivery, type DeliveryOutcome } from './deliveries';
import { isContactCreation, recordKindFor, type TriggerEvent } from './newLead';
import { rawBodyOf, triggerSettings, type TriggerOptions } from './settings';
import { dedupeStores, text } from './wonDeal';
import { MAX_DELIVERY_BYTES, refuseOversized, replyJson as reply } from '../shared/webhookTrigger';

/**
 * The URI HubSpot signed: the public URL it called, query string included. n8n's own URL for the endpoint
 * being served (the test URL during a test run), unless a proxy rewrites it (Signed URL Override).
 */
export function signedUri(context: IWebhookFunctions, override: string | undefined): string {
	const request = context.getRequestObject() as unknown as { originalUrl?: string; url?: string };
	const path = request.originalUrl ?? request.url ?? '';
	const query = path.includes('?') ? path.slice(path.indexOf('?')) : '';
	const base = override ?? context.getWebhookResourceUrl?.('default') ?? context.getNodeWebhookUrl('default') ?? '';
	return base.includes('?') ? base : base + query;
}

/** A deal reaching a stage (the stage decides "won", read from pipeline metadata after the fetch). */
function isStageEvent(event: HubspotWebhookEvent): boolean {
	if (event.subscriptionType === 'deal.creation') return true;
	return event.subscriptionType === 'deal.propertyChange' && event.propertyName === 'dealstage';
}

/**
 * HubSpot webhooks v3: signature over method + URI + body + timestamp with the app's client secret.
 * Deal Won takes deal creation / dealstage changes, New Lead `contact.creation`; other events are acknowledged and ignored.
 * Oversized → 413; forged, stale or unsigned → 401 and no execution; malformed → 400; each event id is handled once.
 */
export async function handleHubspot(context: IWebhookFunctions, options: TriggerOptions, event: TriggerEvent = 'dealWon'): Promise<IWebhookResponseData> {
	const oversized = refuseOversized(context, MAX_DELIVERY_BYTES.hubspot, 'a HubSpot webhook batch');
	if (oversized) return oversized;
	const credentials = await context.getCredentials(CRM_CREDENTIALS.hubspot);
	const secrets = secretsOf(credentials, 'appClientSecret', 'previousAppClientSecret');
	secrets.forEach((secret) => registerSecret(secret));
	const headers = context.getHeaderData() as Record<string, string | undefined>;
	const raw = rawBodyOf(context) ?? JSON.stringify(context.getBodyData());
	const verified = verifyHubspotSignatureV3({
		method: 'POST',
		uri: signedUri(context, text(options.signedUrl)),
		rawBody: raw,
		signature: headers['x-hubspot-signature-v3'],
		timestamp: headers['x-hubspot-request-timestamp'],
		secrets,
	});
	if (!verified.ok) return reply(context, 401, { error: 'unauthorized', message: redact(verified.reason) });

	let events: HubspotWebhookEvent[];
	try {
		events = parseHubspotEvents(JSON.parse(raw.toString()));
	} catch (error) {
		const field = isConnectorError(error) ? (error.field ?? null) : null;
		const message = isConnectorError(error) ? error.message : 'the body is not JSON';
		return reply(context, 400, { error: 'malformed payload', message, field });
	}

	const settings = triggerSettings(context, options, 'crm');
	const wanted = event === 'newLead' ? isContactCreation : isStageEvent;
	const deliveries: Delivery[] = events.filter(wanted).map((found) => ({
		key: `hubspot:event:${found.portalId ?? ''}:${found.eventId}`,
		deliveryId: found.eventId,
		recordId: found.objectId,
	}));
	const ignoredEvents = events.length - deliveries.length;
	if (deliveries.length === 0) return { webhookResponse: { received: true, accepted: 0, duplicates: 0, ignored: ignoredEvents } };

	let outcome: DeliveryOutcome;
	try {
		const provider = await crmProviderFor(context, 'hubspot');
		outcome = await processRecords(dedupeStores.create(settings.dir), deliveries, settings.ttlMs, recordKindFor(event, provider, options, settings));
	} catch (error) {
		outcome = { ok: false, reason: 'the HubSpot credential could not be used', cause: error };
	}
	if (!outcome.ok) {
		context.logger?.warn('CRM Trigger asked HubSpot to resend events', { reason: outcome.reason, error: redact(String(outcome.cause)) });
		return reply(context, 503, { error: `${outcome.reason}; retry later` });
	}
	const webhookResponse = { received: true, accepted: outcome.items.length, duplicates: outcome.duplicates, ignored: outcome.ignored + ignoredEvents };
	return outcome.items.length > 0 ? { workflowData: [outcome.items], webhookResponse } : { webhookResponse };
}
