import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isConnectorError, redact, registerSecret, validationError } from '../../connectors/core';
import { parseConnectEvent, verifyConnectSignature, type ConnectEvent } from '../../connectors/docusign';
import { admitDelivery, type ContractGateOptions } from '../shared/contractGate';
import { startRun } from '../shared/earlyAnswer';
import { answerUnstarted, dedupeSettings, dedupeStores, MAX_DELIVERY_BYTES, rawBodyOf, refuseOversized, replyJson as reply, text, type DedupeOptions } from '../shared/webhookTrigger';

export { dedupeStores };

export const CONNECT_CREDENTIAL_NAME = 'docusignConnectApi';


/** Both HMAC keys (rotation). A credential that cannot be loaded counts as no key: every delivery gets 401. */
async function hmacKeys(context: IWebhookFunctions): Promise<(string | undefined)[]> {
	try {
		const credentials = await context.getCredentials(CONNECT_CREDENTIAL_NAME);
		return [text(credentials.hmacKey), text(credentials.previousHmacKey)];
	} catch (error) {
		context.logger?.error('DocuSign Trigger could not load its Connect HMAC credential', { error: redact(String(error)) });
		return [];
	}
}


/** Parses the verified bytes (not n8n's parsed body) so the event is exactly what was signed. */
function parseVerified(rawBody: Buffer | string): ConnectEvent {
	let body: unknown;
	try {
		body = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
	} catch {
		throw validationError('body', 'a JSON Connect event (JSON SIM format)');
	}
	return parseConnectEvent(body);
}

/**
 * Size → verify (HMAC over the raw body, current or previous key) → parse → filter → dedupe → one execution.
 * Oversized → 413, forged/unsigned/no key → 401, malformed → 400 naming the field, unselected events and
 * redeliveries → 200 without an execution (DocuSign stops retrying on any 200).
 */
export async function handleConnectWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const oversized = refuseOversized(context, MAX_DELIVERY_BYTES.docusign, 'a Connect event without documents');
	if (oversized) return oversized;
	const options = context.getNodeParameter('options', {}) as DedupeOptions & ContractGateOptions;
	const secrets = await hmacKeys(context);
	secrets.forEach((secret) => registerSecret(secret));

	const rawBody = rawBodyOf(context);
	const verified = verifyConnectSignature({ rawBody, headers: context.getHeaderData() as Record<string, string | string[] | undefined>, secrets });
	if (!verified.ok || rawBody === undefined) {
		return reply(context, 401, { error: 'unauthorized', message: redact(verified.ok ? 'the request has no body' : verified.reason) });
	}

	let event: ConnectEvent;
	try {
		event = parseVerified(rawBody);
	} catch (error) {
		const field = isConnectorError(error) ? error.field : undefined;
		return reply(context, 400, { error: 'malformed payload', message: redact(error instanceof Error ? error.message : String(error)), field: field ?? null });
	}

	const wanted = context.getNodeParameter('events', []) as string[];
	if (wanted.length > 0 && !wanted.includes(event.event)) return { webhookResponse: { received: true, ignored: true, event: event.event } };

	// Per workflow by default: two workflows on the same Connect events must each get every delivery once.
	const { dir, ttlMs } = dedupeSettings(context, options, 'docusign');
	// Connect signs no timestamp header, but the signed body says when the event was generated. One older than the
	// dedupe window may be a captured delivery replayed after its mark expired: acknowledge it, start nothing.
	if (Date.now() - Date.parse(event.generatedDateTime) >= ttlMs) {
		return { webhookResponse: { received: true, stale: true, deliveryId: event.dedupeKey } };
	}
	// A completed envelope starts a contract's billing and provisioning: at most one run per contract, whatever
	// DocuSign republishes (each republish has a new generatedDateTime, so it is a new delivery).
	const startsProvisioning = event.event === 'envelope-completed';
	const store = dedupeStores.create(dir);
	const gateKey = startsProvisioning ? event.businessKey : null;
	let attempt: number;
	try {
		const admission = await admitDelivery(store, { deliveryId: event.dedupeKey, businessKey: gateKey, ttlMs }, options);
		if (!admission.start) return answerUnstarted(context, admission);
		attempt = admission.attempt;
	} catch (error) {
		// Cannot tell a duplicate from a first delivery: answer 5xx so Connect redelivers later.
		context.logger?.error('DocuSign Trigger could not record the delivery for dedupe', { error: redact(String(error)) });
		return reply(context, 503, { error: 'dedupe store unavailable; retry later' });
	}

	const json = {
		event: event.event,
		envelopeId: event.envelopeId,
		status: event.status,
		businessKey: event.businessKey,
		customFields: event.customFields,
		recipients: event.recipients,
		generatedDateTime: event.generatedDateTime,
		deliveryId: event.dedupeKey,
		attempt,
		receivedAt: new Date().toISOString(),
	} as unknown as IDataObject;
	return startRun(context, { vendor: 'docusign', businessKey: gateKey, deliveryId: event.dedupeKey, attempt, store, options }, { received: true }, json);
}
