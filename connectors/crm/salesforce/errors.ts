import { ConnectorError, isConnectorError, kindForStatus, type ErrorKind } from '../../core';

export const VENDOR = 'salesforce';

/** The body Salesforce sends with every REST error: `[{ message, errorCode, fields }]`. */
export interface SalesforceApiError {
	message?: string;
	errorCode?: string;
	statusCode?: string;
	fields?: string[];
}

const KIND_BY_CODE: Record<string, ErrorKind> = {
	NOT_FOUND: 'not_found',
	INVALID_ID_FIELD: 'not_found',
	ENTITY_IS_DELETED: 'not_found',
	INVALID_SESSION_ID: 'auth',
	INSUFFICIENT_ACCESS: 'auth',
	API_DISABLED_FOR_ORG: 'auth',
	FIELD_CUSTOM_VALIDATION_EXCEPTION: 'validation',
	INVALID_FIELD: 'validation',
	INVALID_FIELD_FOR_INSERT_UPDATE: 'validation',
	REQUIRED_FIELD_MISSING: 'validation',
	INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'validation',
	STRING_TOO_LONG: 'validation',
	MALFORMED_QUERY: 'validation',
	INVALID_TYPE: 'validation',
	JSON_PARSER_ERROR: 'validation',
	INVALID_CROSS_REFERENCE_KEY: 'validation',
	DUPLICATE_VALUE: 'conflict',
	UNABLE_TO_LOCK_ROW: 'transient',
	SERVER_UNAVAILABLE: 'transient',
	REQUEST_RUNNING_TOO_LONG: 'transient',
	REQUEST_LIMIT_EXCEEDED: 'rate_limited',
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

/** Kind for one Salesforce error code; unknown codes fall back to the HTTP status. */
export function kindForSalesforceCode(code: string | undefined, status?: number): ErrorKind {
	if (code && KIND_BY_CODE[code]) return KIND_BY_CODE[code];
	if (status !== undefined) return kindForStatus(status);
	const http = /^ERROR_HTTP_(\d{3})$/.exec(code ?? '');
	return http ? kindForStatus(Number(http[1])) : 'permanent';
}

/** Maps what jsforce throws (HttpApiError, FetchError, abort) into the connector taxonomy. */
export function mapSalesforceError(error: unknown, status?: number): ConnectorError {
	if (isConnectorError(error)) return error;
	const e = (error ?? {}) as { name?: string; errorCode?: string; code?: string; type?: string; message?: string; data?: unknown };
	if (e.name === 'FetchError' || e.name === 'AbortError' || e.type === 'aborted' || (e.code && NETWORK_CODES.has(e.code))) {
		// The fetch error message lists the request headers (the bearer token), so only the code travels on.
		const code = e.code ?? e.name;
		return new ConnectorError('transient', `Salesforce could not be reached (${code})`, { vendor: VENDOR, status, code });
	}
	const api = firstApiError(e.data) ?? { errorCode: e.errorCode, message: e.message };
	const code = api.errorCode ?? e.errorCode;
	if (code === 'REQUEST_LIMIT_EXCEEDED' && /TotalRequests/i.test(api.message ?? e.message ?? '')) return allocationUsedUp(status, e.data);
	const kind = kindForSalesforceCode(code, status);
	const message = `Salesforce ${code ?? 'error'}${status ? ` (${status})` : ''}: ${api.message ?? e.message ?? 'no message'}`;
	return new ConnectorError(kind, message, {
		vendor: VENDOR,
		status,
		code,
		field: kind === 'validation' ? api.fields?.[0] : undefined,
		details: e.data,
	});
}

/**
 * The org's API request allocation (a rolling 24 hours) is used up: every call is refused until usage drops, so
 * retrying within the call only burns time. (REQUEST_LIMIT_EXCEEDED for ConcurrentRequests stays a retryable limit.)
 */
function allocationUsedUp(status: number | undefined, data: unknown): ConnectorError {
	return new ConnectorError(
		'rate_limited',
		'Salesforce refused the call: the org used up its API request allocation for the rolling 24 hours (REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded). Not retried; calls succeed again as older calls leave the 24-hour window, or raise the allocation in Salesforce',
		{ vendor: VENDOR, status, code: 'REQUEST_LIMIT_EXCEEDED', retryable: false, details: data },
	);
}

function firstApiError(data: unknown): SalesforceApiError | undefined {
	const first = Array.isArray(data) ? data[0] : data;
	if (!first || typeof first !== 'object') return undefined;
	const candidate = first as SalesforceApiError;
	return typeof candidate.errorCode === 'string' || typeof candidate.message === 'string' ? candidate : undefined;
}

/** Errors from a record in a composite or create result (`success: false`). */
export function recordErrorText(errors: SalesforceApiError[] | undefined): string {
	if (!errors || errors.length === 0) return 'unknown error';
	return errors.map((err) => `${err.statusCode ?? err.errorCode ?? 'ERROR'}: ${err.message ?? ''}${err.fields?.length ? ` (${err.fields.join(', ')})` : ''}`).join('; ');
}

const OAUTH_HINTS: Record<string, string> = {
	invalid_grant:
		'the refresh token is revoked or expired, or (JWT) the user is not pre-authorised for the connected app, the certificate does not match, or the login URL is wrong (sandboxes use https://test.salesforce.com)',
	invalid_client_id: 'the consumer key is unknown in this org (check the login URL: production vs sandbox)',
	invalid_client: 'the consumer key or secret is wrong',
	invalid_app_access: 'the user is not allowed to use this connected app',
	unsupported_grant_type: 'the connected app does not allow this OAuth flow',
	inactive_user: 'the Salesforce user is inactive',
	inactive_org: 'the org is locked, deleted or suspended',
};

/** Token endpoint failures (jsforce OAuth2 throws an Error named after the OAuth `error`). */
export function mapOAuthError(error: unknown): ConnectorError {
	if (isConnectorError(error)) return error;
	const e = (error ?? {}) as { name?: string; code?: string; message?: string };
	if (e.name === 'FetchError' || e.name === 'AbortError' || (e.code && NETWORK_CODES.has(e.code))) {
		const code = e.code ?? e.name;
		return new ConnectorError('transient', `Salesforce login could not be reached (${code})`, { vendor: VENDOR, code });
	}
	const code = e.name ?? 'oauth_error';
	const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
	if (http && Number(http[1]) >= 500) {
		return new ConnectorError('transient', `Salesforce login failed (${http[1]})`, { vendor: VENDOR, code, status: Number(http[1]) });
	}
	const hint = OAUTH_HINTS[code] ? ` Hint: ${OAUTH_HINTS[code]}.` : '';
	return new ConnectorError('auth', `Salesforce rejected the credential (${code}: ${e.message || 'no description'}).${hint}`, { vendor: VENDOR, code });
}
