import { ConnectorError, isConnectorError, kindForStatus, parseRetryAfter, type ErrorKind } from '../../core';

export const VENDOR = 'hubspot';

/** HubSpot's error body: `{ status, message, category, correlationId, errors: [{ message, context }] }`. */
export interface HubspotErrorBody {
	status?: string;
	message?: string;
	category?: string;
	subCategory?: string;
	correlationId?: string;
	policyName?: string;
	/** `RATE_LIMIT` on 429s, which carry no category. */
	errorType?: string;
	context?: Record<string, unknown>;
	errors?: Array<{ message?: string; code?: string; context?: Record<string, unknown> }>;
}

/**
 * A non-2xx answer, captured by our response middleware with the raw JSON body (the SDK's own error
 * models drop fields such as `policyName`, and a non-JSON body would surface as a parse error).
 */
export class HubspotHttpFailure extends Error {
	constructor(
		readonly code: number,
		readonly body: unknown,
		readonly headers: Record<string, string>,
	) {
		super(`HubSpot answered HTTP ${code}`);
		this.name = 'HubspotHttpFailure';
	}
}

const KIND_BY_CATEGORY: Record<string, ErrorKind> = {
	OBJECT_NOT_FOUND: 'not_found',
	VALIDATION_ERROR: 'validation',
	INVALID_AUTHENTICATION: 'auth',
	EXPIRED_AUTHENTICATION: 'auth',
	MISSING_SCOPES: 'auth',
	INVALID_SCOPES: 'auth',
	CONFLICT: 'conflict',
	OBJECT_ALREADY_EXISTS: 'conflict',
	RATE_LIMITS: 'rate_limited',
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** HubSpot's rolling windows when a 429 carries no Retry-After. */
const POLICY_WAIT_MS: Record<string, number> = { TEN_SECONDLY_ROLLING: 10_000, SECONDLY: 1_000 };

/** Maps what the SDK (or our middleware) throws into the connector taxonomy; secrets are redacted by ConnectorError. */
export function mapHubspotError(error: unknown): ConnectorError {
	if (isConnectorError(error)) return error;
	const e = (error ?? {}) as { code?: unknown; body?: unknown; headers?: Record<string, string>; name?: string; type?: string; errno?: unknown };
	if (typeof e.code === 'number') return fromHttp(e.code, e.body, e.headers ?? {});
	const code = typeof e.code === 'string' ? e.code : undefined;
	if (e.name === 'FetchError' || e.name === 'AbortError' || (code && NETWORK_CODES.has(code))) {
		// node-fetch messages include the URL; only the code travels on.
		return new ConnectorError('transient', `HubSpot could not be reached (${code ?? e.name})`, { vendor: VENDOR, code: code ?? e.name });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new ConnectorError('permanent', `HubSpot call failed: ${message}`, { vendor: VENDOR });
}

function fromHttp(status: number, rawBody: unknown, headers: Record<string, string>): ConnectorError {
	const body = (rawBody && typeof rawBody === 'object' ? rawBody : {}) as HubspotErrorBody;
	const category = typeof body.category === 'string' ? body.category : undefined;
	let kind: ErrorKind = (category && KIND_BY_CATEGORY[category]) || kindForStatus(status);
	if (status === 401 || status === 403) kind = 'auth';
	else if (status === 429) kind = 'rate_limited';
	else if (status >= 500) kind = 'transient';
	const text = body.message ?? (typeof rawBody === 'string' && rawBody ? rawBody.slice(0, 300) : `HTTP ${status}`);
	const field = kind === 'validation' ? fieldOf(body) : undefined;
	const retryAfterMs = kind === 'rate_limited' || status === 503 ? (parseRetryAfter(headerOf(headers, 'retry-after')) ?? POLICY_WAIT_MS[body.policyName ?? '']) : undefined;
	// The daily limit lasts until midnight in the account's time zone: retrying within the call cannot succeed.
	const dailyUsedUp = status === 429 && body.policyName === 'DAILY';
	const what = dailyUsedUp ? ' (the daily API limit is used up until midnight in the HubSpot account\'s time zone; not retried)' : '';
	return new ConnectorError(kind, `HubSpot ${category ?? 'error'} (${status}): ${text}${what}`, {
		retryable: dailyUsedUp ? false : undefined,
		vendor: VENDOR,
		status,
		code: category ?? body.errorType,
		field,
		expected: field ? text : undefined,
		retryAfterMs,
		details: { correlationId: body.correlationId, policyName: body.policyName, errors: body.errors?.slice(0, 5) },
	});
}

/** The property at fault: `errors[0].context.propertyName` (an array in HubSpot's answers) or the top-level context. */
function fieldOf(body: HubspotErrorBody): string | undefined {
	for (const context of [body.errors?.[0]?.context, body.context]) {
		const name = context?.propertyName;
		if (typeof name === 'string') return name;
		if (Array.isArray(name) && typeof name[0] === 'string') return name[0];
	}
	return undefined;
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}
