import { canonicalJson, constantTimeEqual, ConnectorError, parseInput, sha256Hex, validationError } from '../../core';
import { VMF_VENDOR } from '../errors';
import { automationsBodySchema } from '../schemas/webhooks';

export const VERIFIER_TOKEN_HEADER = 'verifier-token';

export interface AutomationsRequest {
	headers: Record<string, string | string[] | undefined>;
	/** The raw request bytes when the server kept them; preferred over `body`. */
	rawBody?: string | Buffer | null;
	/** The parsed body, used when no raw body is available. */
	body?: unknown;
}

export interface AutomationsVerifyOptions {
	/** Accepted Verifier-Token values (current and previous, for rotation). Empty = every delivery rejected. */
	tokens: readonly (string | undefined | null)[];
}

export interface AutomationsEvent {
	source: 'automations';
	event: string;
	deliveryId: string;
	orderId: string;
	businessKey: string;
	accountGroupId: string | null;
	partnerId: string | null;
	marketId: string | null;
	entityId: string | null;
	userId: string | null;
	payload: Record<string, unknown>;
}

function headerValue(headers: AutomationsRequest['headers'], name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** True if the presented token equals any configured one; compares all of them in constant time. */
export function checkVerifierToken(presented: string | undefined, tokens: AutomationsVerifyOptions['tokens']): { ok: true } | { ok: false; reason: string } {
	const configured = tokens.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
	if (configured.length === 0) return { ok: false, reason: 'no Verifier-Token is configured' };
	if (!presented || presented.trim() === '') return { ok: false, reason: 'the request carries no Verifier-Token header' };
	let matched = false;
	for (const token of configured) matched = constantTimeEqual(token, presented.trim()) || matched;
	return matched ? { ok: true } : { ok: false, reason: 'Verifier-Token does not match' };
}

/**
 * Verifies an Automations webhook (static `Verifier-Token` header) and returns the typed event. Throws
 * kind `auth` when the token is missing/wrong/not configured, kind `validation` naming the field when
 * the body is malformed. Automations resend the same body on 5xx/timeouts, so the body is the dedupe key.
 */
export function verifyAutomationsWebhook(request: AutomationsRequest, options: AutomationsVerifyOptions): AutomationsEvent {
	const check = checkVerifierToken(headerValue(request.headers, VERIFIER_TOKEN_HEADER), options.tokens);
	if (!check.ok) throw new ConnectorError('auth', `Automations webhook rejected: ${check.reason}`, { vendor: VMF_VENDOR, code: 'invalid_verifier_token' });
	const body = parseBody(request);
	const parsed = parseInput(automationsBodySchema, body, 'body', VMF_VENDOR);
	const orderId = parsed.orderId;
	return {
		source: 'automations',
		event: parsed.event ?? 'automation',
		deliveryId: `vmf-au-${sha256Hex(canonicalJson(parsed)).slice(0, 40)}`,
		orderId,
		businessKey: orderId,
		accountGroupId: parsed.accountId ?? (orderId.includes(':') ? orderId.split(':')[0] : null),
		partnerId: parsed.partnerId ?? null,
		marketId: parsed.marketId ?? null,
		entityId: parsed.entityId ?? null,
		userId: parsed.userId ?? null,
		payload: parsed,
	};
}

function parseBody(request: AutomationsRequest): unknown {
	const raw = request.rawBody;
	if (raw !== undefined && raw !== null && raw.length > 0) {
		const textBody = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
		try {
			return JSON.parse(textBody);
		} catch {
			throw validationError('body', 'a JSON object', 'text that is not JSON', VMF_VENDOR);
		}
	}
	if (typeof request.body === 'string') {
		try {
			return JSON.parse(request.body);
		} catch {
			throw validationError('body', 'a JSON object', 'text that is not JSON', VMF_VENDOR);
		}
	}
	return request.body;
}
