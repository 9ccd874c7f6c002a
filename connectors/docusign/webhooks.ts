/** DocuSign Connect (JSON SIM) webhooks: HMAC verification and parsing into one event shape. */
import { hmacDigest, parseInput, registerSecret, validationError, verifyHmac, z, type VerifyResult } from '../core';
import { VENDOR } from './config';
import { customFieldsToRecord, toRecipients } from './mappers';
import { BUSINESS_KEY_FIELD, type Recipient } from './types';

const SIGNATURE_HEADER = /^x-docusign-signature-\d+$/i;

/**
 * Valid if any `X-DocuSign-Signature-N` header is base64 HMAC-SHA256 of the raw body under any of the
 * configured keys (DocuSign signs with every active key, so rotation needs no downtime).
 */
export function verifyConnectSignature(input: {
	rawBody: string | Buffer | undefined;
	headers: Record<string, string | string[] | undefined>;
	secrets: (string | undefined)[];
}): VerifyResult {
	const signatures: string[] = [];
	for (const [name, value] of Object.entries(input.headers ?? {})) {
		if (!SIGNATURE_HEADER.test(name) || value === undefined) continue;
		signatures.push(...(Array.isArray(value) ? value : [value]));
	}
	const secrets = input.secrets ?? [];
	for (const secret of secrets) registerSecret(secret);
	if (!secrets.some((secret) => typeof secret === 'string' && secret !== '')) return { ok: false, reason: 'no signing secret is configured' };
	if (input.rawBody === undefined) return { ok: false, reason: 'the raw request body is not available to verify' };
	return verifyHmac({ payload: input.rawBody, signatures, secrets, encoding: 'base64' });
}

/** base64 HMAC-SHA256 of the raw body, as DocuSign Connect sends it; for tests and the sandbox. */
export function signConnectPayload(rawBody: string, secret: string): string {
	return hmacDigest(secret, rawBody, 'base64');
}

export interface ConnectEvent {
	event: string;
	generatedDateTime: string;
	envelopeId: string;
	status?: string;
	businessKey?: string;
	customFields: Record<string, string>;
	recipients: Recipient[];
	/** `${envelopeId}:${event}:${generatedDateTime}`: Connect has no delivery id and retries deliveries. */
	dedupeKey: string;
	raw: unknown;
}

const connectPayloadSchema = z.object({
	event: z.string().trim().min(1, 'the Connect event name, e.g. "envelope-completed"'),
	generatedDateTime: z
		.string()
		.trim()
		.min(1, 'the time DocuSign generated the event')
		.refine((value) => Number.isFinite(Date.parse(value)), 'an ISO 8601 date-time (the time DocuSign generated the event)'),
	data: z.object({
		envelopeId: z.string().trim().min(1, 'the envelope id'),
		envelopeSummary: z
			.object({
				status: z.string().optional(),
				customFields: z.unknown().optional(),
				recipients: z.unknown().optional(),
			})
			.passthrough()
			.optional(),
	}),
});

export function parseConnectEvent(body: unknown): ConnectEvent {
	const json = typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body) : body;
	if (!json || typeof json !== 'object' || Array.isArray(json)) throw validationError('body', 'a JSON Connect payload (an object)', json, VENDOR);
	const payload = parseInput(connectPayloadSchema, json, '', VENDOR);
	const summary = payload.data.envelopeSummary ?? {};
	const customFields = customFieldsToRecord(summary.customFields);
	const status = summary.status === undefined || summary.status === '' ? undefined : summary.status;
	return {
		event: payload.event,
		generatedDateTime: payload.generatedDateTime,
		envelopeId: payload.data.envelopeId,
		...(status === undefined ? {} : { status }),
		...(customFields[BUSINESS_KEY_FIELD] ? { businessKey: customFields[BUSINESS_KEY_FIELD] } : {}),
		customFields,
		recipients: toRecipients(summary.recipients),
		dedupeKey: `${payload.data.envelopeId}:${payload.event}:${payload.generatedDateTime}`,
		raw: json,
	};
}

function parseJson(body: string | Buffer): unknown {
	try {
		return JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : body);
	} catch {
		throw validationError('body', 'a JSON Connect payload', undefined, VENDOR);
	}
}
