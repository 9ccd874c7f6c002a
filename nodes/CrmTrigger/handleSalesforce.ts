import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isConnectorError, redact, registerSecret } from '../../connectors/core';
import {
	outboundMessageAck,
	outboundMessageFault,
	parseOutboundMessage,
	verifyOutboundMessage,
	type OutboundMessage,
	type OutboundNotification,
} from '../../connectors/crm/salesforce';
import { CRM_CREDENTIALS, crmProviderFor, secretsOf } from '../Crm/transport';
import { processRecords, type Delivery, type DeliveryOutcome, type RecordKind } from './deliveries';
import type { CrmProvider } from '../../connectors/crm/types';
import { isLeadNotification, recordKindFor, type TriggerEvent } from './newLead';
import { rawBodyOf, triggerSettings, type TriggerOptions } from './settings';
import { dedupeStores, text } from './wonDeal';
import { MAX_DELIVERY_BYTES, tooLarge } from '../shared/webhookTrigger';

function replyXml(context: IWebhookFunctions, status: number, xml: string, workflowData?: IWebhookResponseData['workflowData']): IWebhookResponseData {
	context.getResponseObject().status(status).type('text/xml').send(xml);
	return workflowData === undefined ? { noWebhookResponse: true } : { noWebhookResponse: true, workflowData };
}

const OPPORTUNITY_PREFIX = '006';

/** Outbound Messages can be defined on any object; only opportunities are deals. */
function isOpportunity(notification: OutboundNotification): boolean {
	const type = (notification.sObjectType ?? '').split(':').pop()?.toLowerCase() ?? '';
	return type === '' ? notification.recordId.startsWith(OPPORTUNITY_PREFIX) : type === 'opportunity';
}

const NO_MESSAGE: OutboundMessage = { organizationId: '', notifications: [] };

/**
 * Salesforce Outbound Message listener. Messages are not signed: the secret token in the endpoint URL
 * (?token=…) and the organization id authenticate them. Forged → 401, malformed → 400 (both SOAP faults,
 * no execution); accepted, duplicate and ignored messages get the SOAP Ack so Salesforce stops resending;
 * a record that cannot be read gets a fault and the claims are released so the redelivery is processed.
 * Deal Won takes Opportunity notifications, New Lead Lead notifications; the others are acknowledged and ignored.
 */
export async function handleSalesforce(context: IWebhookFunctions, options: TriggerOptions, event: TriggerEvent = 'dealWon'): Promise<IWebhookResponseData> {
	const credentials = await context.getCredentials(CRM_CREDENTIALS.salesforce);
	const tokens = secretsOf(credentials, 'outboundMessageToken', 'previousOutboundMessageToken');
	tokens.forEach((token) => registerSecret(token));
	const presentedToken = text((context.getQueryData() as Record<string, unknown>).token);
	const organizationId = text(credentials.organizationId);

	// The token first: whoever lacks it gets no XML parsed and learns nothing about what a well-formed message looks like.
	if (!verifyOutboundMessage({ message: NO_MESSAGE, presentedToken, tokens }).ok) return replyXml(context, 401, outboundMessageFault('unauthorized'));
	// The size next, before the body is read (the token check never touches it).
	const oversized = tooLarge(context, MAX_DELIVERY_BYTES.salesforce, 'an Outbound Message');
	if (oversized) return replyXml(context, 413, outboundMessageFault(oversized));
	const raw = rawBodyOf(context);

	let message: OutboundMessage;
	try {
		if (raw === undefined) throw new Error('empty body');
		message = await parseOutboundMessage(raw);
	} catch (error) {
		const detail = isConnectorError(error) ? error.message : 'the body is not an Outbound Message';
		return replyXml(context, 400, outboundMessageFault(`malformed Outbound Message: ${redact(detail)}`));
	}
	const verified = verifyOutboundMessage({ message, presentedToken, tokens, organizationId });
	if (!verified.ok) return replyXml(context, 401, outboundMessageFault('unauthorized'));

	const settings = triggerSettings(context, options, 'crm');
	const org = message.organizationId.slice(0, 15);
	const wanted = event === 'newLead' ? isLeadNotification : isOpportunity;
	const deliveries: Delivery[] = message.notifications.filter(wanted).map((n) => ({
		key: `salesforce:om:${org}:${n.id}`,
		deliveryId: n.id,
		recordId: n.recordId,
		fields: n.fields,
	}));
	if (deliveries.length === 0) return replyXml(context, 200, outboundMessageAck(true));

	const outcome = await processWith(context, deliveries, settings, (provider) => recordKindFor(event, provider, options, settings));
	if (!outcome.ok) {
		context.logger?.warn('CRM Trigger asked Salesforce to resend an Outbound Message', { reason: outcome.reason, error: redact(String(outcome.cause)) });
		return replyXml(context, 500, outboundMessageFault(`${outcome.reason}; please retry`));
	}
	return replyXml(context, 200, outboundMessageAck(true), outcome.items.length > 0 ? [outcome.items] : undefined);
}

async function processWith(context: IWebhookFunctions, deliveries: Delivery[], settings: ReturnType<typeof triggerSettings>, kindOf: (provider: CrmProvider) => RecordKind<unknown>): Promise<DeliveryOutcome> {
	try {
		const provider = await crmProviderFor(context, 'salesforce');
		return await processRecords(dedupeStores.create(settings.dir), deliveries, settings.ttlMs, kindOf(provider));
	} catch (error) {
		return { ok: false, reason: 'the Salesforce credential could not be used', cause: error };
	}
}
