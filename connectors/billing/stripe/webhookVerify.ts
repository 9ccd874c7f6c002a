/**
 * Stripe webhook authenticity: `Stripe-Signature: t=…,v1=…[,v1=…]`, HMAC-SHA256 over `"{t}.{raw body}"`, checked by
 * the shared core verifier (constant time, several endpoint secrets during rotation, replay window). Only the bytes
 * Stripe sent verify: a body parsed and stringified again is refused whenever its bytes differ.
 */
import { ConnectorError, parseInput, validationError, verifyTimestampedSignature, z } from '../../core';
import { VENDOR } from './errors';

/** Stripe's own default replay window (seconds). */
export const STRIPE_WEBHOOK_TOLERANCE_SEC = 300;

const configSchema = z.object({
	secrets: z
		.union([z.string(), z.array(z.string())])
		.transform((value) => (Array.isArray(value) ? value : [value]).map((secret) => secret.trim()).filter(Boolean))
		.refine((list) => list.length > 0, 'at least one webhook endpoint signing secret (whsec_…)'),
	toleranceSec: z.number().int('a whole number of seconds').positive('a tolerance of at least 1 second').max(86_400).default(STRIPE_WEBHOOK_TOLERANCE_SEC),
});

export interface StripeWebhookRequest {
	/** The request body exactly as received (string or bytes), never a parsed object. */
	rawBody: string | Buffer | Uint8Array;
	/** The `Stripe-Signature` header. */
	signatureHeader: string | readonly string[] | undefined | null;
	/** The endpoint's signing secret, or several while one is being rotated. */
	secrets: string | readonly string[];
	toleranceSec?: number;
	/** Clock for tests, milliseconds. */
	now?: number;
}

/** Checks the signature and returns the raw body as text; throws `auth` when the request is not Stripe's. */
export function verifyStripeSignature(request: StripeWebhookRequest): string {
	const config = parseInput(configSchema, { secrets: request.secrets, toleranceSec: request.toleranceSec }, 'webhook', VENDOR);
	const body = rawBodyOf(request.rawBody);
	const header = Array.isArray(request.signatureHeader) ? (request.signatureHeader.length === 1 ? request.signatureHeader[0] : undefined) : (request.signatureHeader as string | undefined | null);
	const result = verifyTimestampedSignature({ payload: body, header, secrets: config.secrets, toleranceSec: config.toleranceSec, now: request.now });
	if (!result.ok) {
		throw new ConnectorError('auth', `Stripe webhook rejected: ${result.reason}`, { vendor: VENDOR, code: 'signature_verification_failed', field: 'webhook.signatureHeader' });
	}
	return body.toString('utf8');
}

function rawBodyOf(rawBody: unknown): Buffer {
	if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
	if (rawBody instanceof Uint8Array) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
	throw validationError('webhook.rawBody', 'the raw request body as received (string or Buffer), not a parsed object: the signature covers the exact bytes', rawBody, VENDOR);
}
