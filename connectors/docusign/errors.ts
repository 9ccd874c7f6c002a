import { ConnectorError, isConnectorError, kindForStatus, parseRetryAfter, type ErrorKind } from '../core';
import { VENDOR } from './config';

/** DocuSign errorCodes whose meaning is finer than their HTTP status (DocuSign answers most with 400). */
const KIND_BY_CODE: Record<string, ErrorKind> = {
	ENVELOPE_DOES_NOT_EXIST: 'not_found',
	TEMPLATE_ID_INVALID: 'not_found',
	TEMPLATE_NOT_FOUND: 'not_found',
	INVALID_ENVELOPE_ID: 'not_found',
	CONNECT_CONFIG_NOT_FOUND: 'not_found',
	INVALID_CONNECT_ID: 'not_found',
	USER_AUTHENTICATION_FAILED: 'auth',
	AUTHORIZATION_INVALID_TOKEN: 'auth',
	USER_LACKS_PERMISSIONS: 'auth',
	PARTNER_AUTHENTICATION_FAILED: 'auth',
	ACCOUNT_LACKS_PERMISSIONS: 'auth',
	HOURLY_APIINVOCATION_LIMIT_EXCEEDED: 'rate_limited',
	BURST_APIINVOCATION_LIMIT_EXCEEDED: 'rate_limited',
	ENVELOPE_CANNOT_VOID_INVALID_STATE: 'conflict',
	ENVELOPE_INVALID_STATUS: 'conflict',
	ENVELOPE_IS_INCOMPLETE: 'validation',
	INVALID_EMAIL_ADDRESS_FOR_RECIPIENT: 'validation',
	INVALID_REQUEST_PARAMETER: 'validation',
	INVALID_REQUEST_BODY: 'validation',
	INVALID_USERID: 'validation',
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

interface AxiosLikeError {
	code?: string;
	message?: string;
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

/**
 * Maps what the SDK (axios underneath) throws into the core taxonomy. `body` is the error body when the
 * caller had to read it from a stream (PDF downloads). The raw axios error carries the bearer token in
 * its request config, so it never travels on as the cause.
 */
export function mapDocusignError(error: unknown, what: string, body?: unknown, now = Date.now()): ConnectorError {
	if (isConnectorError(error)) return error;
	const err = (error ?? {}) as AxiosLikeError;
	const response = err.response;
	if (!response?.status) {
		const code = typeof err.code === 'string' ? err.code : undefined;
		const transient = code !== undefined && NETWORK_CODES.has(code);
		const how = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : `could not be completed (${code ?? 'no response'})`;
		return new ConnectorError(transient ? 'transient' : 'permanent', `DocuSign ${what} ${how}`, {
			vendor: VENDOR,
			code,
			cause: new Error(`network error ${code ?? 'unknown'}`),
		});
	}
	const status = response.status;
	const data = body ?? response.data;
	const { errorCode, message } = errorFields(data);
	const kind = (errorCode && KIND_BY_CODE[errorCode]) || kindForStatus(status);
	const headers = response.headers ?? {};
	const burst = kind === 'rate_limited' && isBurstLimit(errorCode, headers);
	const retryAfterMs = kind === 'rate_limited' || status === 503 ? retryAfter(headers, now, burst) : undefined;
	const text = [errorCode, message].filter(Boolean).join(': ') || `HTTP ${status}`;
	return new ConnectorError(kind, `DocuSign ${what} failed (${status}): ${text}${hint(kind, burst)}`, {
		vendor: VENDOR,
		status,
		code: errorCode,
		retryAfterMs,
		details: data && typeof data === 'object' && !isStream(data) ? data : undefined,
	});
}

function hint(kind: ErrorKind, burst: boolean): string {
	if (kind === 'auth') return ' (check that the user has access to this account and that consent was granted for the integration key)';
	if (kind === 'rate_limited' && burst) return ' (DocuSign allows at most 500 API calls in 30 seconds per account, 200 in the developer environment)';
	if (kind === 'rate_limited') return ' (DocuSign allows 3,000 API calls per hour per account by default, refreshed at the top of the hour)';
	return '';
}

/** DocuSign's 30-second burst window: with no header saying when it frees up, the whole window is the safe wait. */
export const BURST_WINDOW_MS = 30_000;

/** The burst limit (not the hourly one) refused the call: its code, or burst headers at 0 while the hour has room. */
function isBurstLimit(errorCode: string | undefined, headers: Record<string, unknown>): boolean {
	if (errorCode) return /^BURST_/i.test(errorCode);
	return String(headers['x-burstlimit-remaining']) === '0' && Number(headers['x-ratelimit-remaining']) > 0;
}

function errorFields(data: unknown): { errorCode?: string; message?: string } {
	if (typeof data === 'string') {
		try {
			return errorFields(JSON.parse(data));
		} catch {
			return { message: data.slice(0, 300) || undefined };
		}
	}
	if (Buffer.isBuffer(data)) return errorFields(data.toString('utf8'));
	if (!data || typeof data !== 'object' || isStream(data)) return {};
	const record = data as Record<string, unknown>;
	return {
		errorCode: typeof record.errorCode === 'string' ? record.errorCode : undefined,
		message: typeof record.message === 'string' ? record.message : undefined,
	};
}

/**
 * Retry-After (seconds or date); else, for the burst limit, its 30-second window; else DocuSign's X-RateLimit-Reset
 * (epoch seconds of the hourly refresh: waiting for it only helps when the hourly limit refused the call).
 */
function retryAfter(headers: Record<string, unknown>, now: number, burst: boolean): number | undefined {
	const header = headers['retry-after'] as string | string[] | undefined;
	const parsed = parseRetryAfter(header, now);
	if (parsed !== undefined) return parsed;
	if (burst) return BURST_WINDOW_MS;
	const reset = Number(headers['x-ratelimit-reset']);
	return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

export function isStream(value: unknown): value is NodeJS.ReadableStream {
	return !!value && typeof value === 'object' && typeof (value as { on?: unknown }).on === 'function' && typeof (value as { pipe?: unknown }).pipe === 'function';
}

/** Reads an error body that arrived as a stream (requests made with Accept: application/pdf). */
export async function readErrorBody(error: unknown, limit = 64 * 1024): Promise<unknown> {
	const data = (error as AxiosLikeError)?.response?.data;
	if (!isStream(data)) return undefined;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of data as AsyncIterable<Buffer | string>) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			size += buffer.length;
			if (size > limit) break;
			chunks.push(buffer);
		}
	} catch {
		return undefined;
	}
	return Buffer.concat(chunks).toString('utf8');
}
