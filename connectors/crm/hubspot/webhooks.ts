import { checkTimestamp, hmacDigest, parseInput, verifyHmac, z, type VerifyResult } from '../../core';
import { VENDOR } from './errors';

export const HUBSPOT_SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const HUBSPOT_TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
export const HUBSPOT_TOLERANCE_MS = 300_000;

/** The percent-encodings HubSpot decodes in the URI before signing (v3 docs); all others stay encoded. */
const DECODED: Record<string, string> = {
	'%3A': ':',
	'%2F': '/',
	'%3F': '?',
	'%40': '@',
	'%21': '!',
	'%24': '$',
	'%27': "'",
	'%28': '(',
	'%29': ')',
	'%2A': '*',
	'%2C': ',',
	'%3B': ';',
};

export function decodeSignedUri(uri: string): string {
	return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => DECODED[match.toUpperCase()]);
}

function signedSource(method: string, uri: string, rawBody: string | Buffer, timestamp: string): Buffer {
	return Buffer.concat([Buffer.from(`${method.toUpperCase()}${decodeSignedUri(uri)}`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody), Buffer.from(timestamp)]);
}

/** base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)); for tests and the sandbox. */
export function signHubspotV3(input: { method: string; uri: string; rawBody: string; timestamp: string; secret: string }): string {
	return hmacDigest(input.secret, signedSource(input.method, input.uri, input.rawBody, input.timestamp), 'base64');
}

export interface HubspotSignatureInput {
	method: string;
	/** The full URL HubSpot called (scheme, host, path, query). */
	uri: string;
	rawBody: string | Buffer | undefined;
	signature: string | undefined;
	timestamp: string | undefined;
	/** The app's client secret(s); several during a rotation. */
	secrets: (string | undefined)[];
	now?: number;
	toleranceMs?: number;
}

/** HubSpot webhook signature v3: constant-time, any configured secret may match, 5-minute replay window both ways. */
export function verifyHubspotSignatureV3(input: HubspotSignatureInput): VerifyResult {
	if (!input.secrets.some((secret) => typeof secret === 'string' && secret.length > 0)) return { ok: false, reason: 'no signing secret is configured' };
	if (!input.signature) return { ok: false, reason: `the request carries no ${HUBSPOT_SIGNATURE_HEADER} header` };
	if (!input.timestamp || !/^\d+$/.test(input.timestamp.trim())) return { ok: false, reason: `the request carries no valid ${HUBSPOT_TIMESTAMP_HEADER} header` };
	if (input.rawBody === undefined) return { ok: false, reason: 'the raw request body is not available' };
	const timestamp = input.timestamp.trim();
	const fresh = checkTimestamp(Number(timestamp) / 1000, (input.toleranceMs ?? HUBSPOT_TOLERANCE_MS) / 1000, input.now ?? Date.now());
	if (!fresh.ok) return fresh;
	return verifyHmac({
		payload: signedSource(input.method, input.uri, input.rawBody, timestamp),
		signatures: input.signature,
		secrets: input.secrets,
		encoding: 'base64',
	});
}

export interface HubspotWebhookEvent {
	eventId: string;
	subscriptionId?: string;
	portalId?: string;
	/** ISO. */
	occurredAt: string;
	subscriptionType: string;
	objectId: string;
	propertyName?: string;
	propertyValue?: string;
	attemptNumber?: number;
	raw: unknown;
}

const idSchema = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/, 'a numeric id')], {
	errorMap: () => ({ message: 'a numeric id' }),
});
/** The largest time a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;
const millisSchema = z
	.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/)], { errorMap: () => ({ message: 'a time in epoch milliseconds' }) })
	.refine((value) => Number(value) <= MAX_DATE_MS, 'a time in epoch milliseconds');

const eventSchema = z
	.object({
		eventId: idSchema,
		subscriptionId: idSchema.optional(),
		portalId: idSchema.optional(),
		occurredAt: millisSchema,
		subscriptionType: z.string().trim().min(1, 'a subscription type such as "deal.propertyChange"'),
		objectId: idSchema,
		propertyName: z.string().optional(),
		propertyValue: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
		attemptNumber: z.number().int().nonnegative().optional(),
	})
	.passthrough();

const eventsSchema = z.array(eventSchema, { errorMap: () => ({ message: 'an array of HubSpot webhook events' }) }).max(1000);

/** The JSON array HubSpot posts (up to 100 events); a malformed event names the field at fault (`events.0.objectId`). */
export function parseHubspotEvents(body: unknown): HubspotWebhookEvent[] {
	const events = parseInput(eventsSchema, body, 'events', VENDOR);
	return events.map((event, index) => {
		const out: HubspotWebhookEvent = {
			eventId: String(event.eventId),
			occurredAt: new Date(Number(event.occurredAt)).toISOString(),
			subscriptionType: event.subscriptionType,
			objectId: String(event.objectId),
			raw: (body as unknown[])[index],
		};
		if (event.subscriptionId !== undefined) out.subscriptionId = String(event.subscriptionId);
		if (event.portalId !== undefined) out.portalId = String(event.portalId);
		if (event.propertyName !== undefined) out.propertyName = event.propertyName;
		if (event.propertyValue !== undefined && event.propertyValue !== null) out.propertyValue = String(event.propertyValue);
		if (event.attemptNumber !== undefined) out.attemptNumber = event.attemptNumber;
		return out;
	});
}
