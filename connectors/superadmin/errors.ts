import type { ErrorKind, VendorErrorMapping } from '../core';

export const VENDOR = 'Super Admin';

/** Error codes of the published API (openapi.yaml, `ErrorCode`) and where they sit in core's taxonomy. */
const KIND_BY_CODE: Record<string, ErrorKind> = {
	validation_error: 'validation',
	invalid_request: 'validation',
	unauthorized: 'auth',
	forbidden: 'auth',
	not_found: 'not_found',
	tenant_not_found: 'not_found',
	subscription_not_found: 'not_found',
	api_key_not_found: 'not_found',
	conflict: 'conflict',
	already_exists: 'conflict',
	already_disabled: 'conflict',
	idempotency_conflict: 'conflict',
	rate_limited: 'rate_limited',
	unavailable: 'transient',
	internal_error: 'transient',
};

/** Reads `{ error: { code, message, field? } }`; unknown codes fall back to the HTTP status. */
export function mapSuperAdminError(status: number, body: unknown): VendorErrorMapping | undefined {
	const error = (body as { error?: unknown } | undefined)?.error;
	if (!error || typeof error !== 'object') return undefined;
	const { code, message, field } = error as Record<string, unknown>;
	const mapped: VendorErrorMapping = {};
	if (typeof code === 'string') {
		mapped.code = code;
		// 5xx stays transient whatever the code says; a server error is worth retrying.
		if (KIND_BY_CODE[code] && status < 500) mapped.kind = KIND_BY_CODE[code];
	}
	if (typeof message === 'string' && message !== '') mapped.message = typeof code === 'string' ? `${message} (${code})` : message;
	if (typeof field === 'string' && field !== '') mapped.field = field;
	return mapped;
}
