import Cloudflare from 'cloudflare';
import { ConnectorError, isConnectorError, kindForStatus, parseRetryAfter, redact, type ErrorKind } from '../../core';

export const CLOUDFLARE_VENDOR = 'cloudflare';

/** Cloudflare DNS error codes that say more than the HTTP status. */
const CODE_KINDS: Record<number, ErrorKind> = {
	7000: 'not_found', // no route for that URI
	7003: 'not_found', // could not route: the zone or record id is unknown
	1001: 'not_found', // invalid zone identifier
	81044: 'not_found', // record does not exist
	81053: 'conflict', // an A, AAAA or CNAME record with that host already exists
	81054: 'conflict', // a CNAME record with that host already exists
	81057: 'conflict', // the record already exists
	81058: 'conflict', // an identical record already exists
	9103: 'auth',
	9106: 'auth',
	9109: 'auth', // invalid access token
	10000: 'auth', // authentication error
	971: 'rate_limited',
	1004: 'validation', // DNS validation error (details in error_chain)
};

/** Validation codes whose field is known. */
type VendorError = { code?: number; message?: string; error_chain?: VendorError[] };

const CODE_FIELDS: Record<number, string> = {
	9000: 'name',
	9005: 'content',
	9006: 'content',
	9007: 'content',
	9021: 'ttl',
};

export const IDENTICAL_RECORD_EXISTS = 81058;

/**
 * Maps what the Cloudflare SDK throws into the taxonomy. The SDK error is not kept as `cause`: its message holds the
 * response body, and a body may echo request headers; the codes and messages we keep pass through redaction.
 */
export function mapCloudflareError(error: unknown): ConnectorError {
	if (isConnectorError(error)) return error;
	if (error instanceof Cloudflare.APIConnectionError) {
		return new ConnectorError('transient', `Cloudflare could not be reached: ${error.message}`, { vendor: CLOUDFLARE_VENDOR });
	}
	if (error instanceof Cloudflare.APIError) return fromApiError(error);
	const message = error instanceof Error ? error.message : String(error);
	return new ConnectorError('permanent', `Cloudflare call failed: ${message}`, { vendor: CLOUDFLARE_VENDOR });
}

function fromApiError(error: InstanceType<typeof Cloudflare.APIError>): ConnectorError {
	const status = error.status;
	const vendorErrors = Array.isArray(error.errors) ? (error.errors as VendorError[]) : [];
	const first = vendorErrors.find((item) => typeof item?.code === 'number');
	const code = first?.code;
	const text = vendorErrors.map(describe).join('; ') || 'no error detail';
	const headers = error.headers as Headers | undefined;
	const retryAfterMs = parseRetryAfter(headers?.get?.('retry-after') ?? undefined);
	// A DNS validation error (1004) names its cause in `error_chain` (9005: bad A content, …).
	const chained = vendorErrors.flatMap((item) => [item, ...(Array.isArray(item.error_chain) ? item.error_chain : [])]);
	const fieldError = chained.find((item) => typeof item.code === 'number' && CODE_FIELDS[item.code] !== undefined);
	const field = fieldError ? CODE_FIELDS[fieldError.code as number] : undefined;
	const kind: ErrorKind = (code !== undefined && CODE_KINDS[code]) || (field ? 'validation' : status === undefined ? 'transient' : kindForStatus(status));
	const options = { vendor: CLOUDFLARE_VENDOR, status, code: code === undefined ? undefined : String(code), retryAfterMs };
	if (kind === 'validation') {
		return new ConnectorError('validation', `Cloudflare refused ${field ? `"${field}"` : 'the request'} (${status}): ${text}`, { ...options, field, expected: redact((fieldError ?? first)?.message) });
	}
	return new ConnectorError(kind, `Cloudflare error ${status ?? ''}: ${text}`.replace(/\s+:/, ':'), options);
}

function describe(item: VendorError): string {
	const own = `${item.code ?? '?'} ${item.message ?? ''}`.trim();
	const chain = Array.isArray(item.error_chain) ? item.error_chain.map(describe).join(', ') : '';
	return chain ? `${own} (${chain})` : own;
}
