import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { FileDedupeStore, isConnectorError, redact, registerSecret, validationError, type DedupeStore } from '../../connectors/core';
import { parseConnectEvent, verifyConnectSignature, type ConnectEvent } from '../../connectors/docusign';
import { defaultDedupeDir } from '../shared/dedupeDir';

export const CONNECT_CREDENTIAL_NAME = 'docusignConnectApi';

interface TriggerOptions {
	dedupeDir?: string;
	dedupeTtlHours?: number;
}

const HOUR_MS = 3_600_000;

/** Injectable for tests; production uses the file store so duplicates are caught across restarts. */
export const dedupeStores = { create: (dir: string): DedupeStore => new FileDedupeStore(dir) };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The bytes DocuSign signed: n8n keeps them as rawBody; a string body is the same bytes. */
function rawBodyOf(context: IWebhookFunctions): Buffer | string | undefined {
	const request = context.getRequestObject() as unknown as { rawBody?: Buffer | string; body?: unknown };
	if (request.rawBody !== undefined && request.rawBody !== null && request.rawBody.length > 0) return request.rawBody;
	return typeof request.body === 'string' ? request.body : undefined;
}

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

function reply(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
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
 * Verify (HMAC over the raw body, current or previous key) → parse → filter → dedupe → one execution.
 * Forged/unsigned/no key → 401, malformed → 400 naming the field, unselected events and redeliveries →
 * 200 without an execution (DocuSign stops retrying on any 200).
 */
export async function handleConnectWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
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
	const dir = text(options.dedupeDir) ?? defaultDedupeDir(context, 'docusign');
	const ttlMs = (Number(options.dedupeTtlHours) || 72) * HOUR_MS;
	let fresh: boolean;
	try {
		fresh = await dedupeStores.create(dir).claim(event.dedupeKey, ttlMs);
	} catch (error) {
		// Cannot tell a duplicate from a first delivery: answer 5xx so Connect redelivers later.
		context.logger?.error('DocuSign Trigger could not record the delivery for dedupe', { error: redact(String(error)) });
		return reply(context, 503, { error: 'dedupe store unavailable; retry later' });
	}
	if (!fresh) return { webhookResponse: { received: true, duplicate: true, deliveryId: event.dedupeKey } };

	const json = {
		event: event.event,
		envelopeId: event.envelopeId,
		status: event.status,
		businessKey: event.businessKey,
		customFields: event.customFields,
		recipients: event.recipients,
		generatedDateTime: event.generatedDateTime,
		deliveryId: event.dedupeKey,
		receivedAt: new Date().toISOString(),
	} as unknown as IDataObject;
	return { workflowData: [[{ json }]], webhookResponse: { received: true } };
}
