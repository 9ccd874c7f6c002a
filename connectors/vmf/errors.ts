import type { ErrorKind, VendorErrorMapping } from '../core';

export const VMF_VENDOR = 'vmf';

/**
 * Maps the three VMF error body shapes into core's taxonomy:
 * JSON:API `{errors:[{status,code,title,detail,source:{pointer}}]}` (Platform API),
 * `{error_code, message, human_readable_message}` (Marketplace) and `{error:{code,message,field}}` (VTM).
 */
export function mapVmfError(status: number, body: unknown): VendorErrorMapping | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const b = body as Record<string, unknown>;
	if (Array.isArray(b.errors) && b.errors.length > 0) {
		const first = (b.errors[0] ?? {}) as Record<string, unknown>;
		const code = stringOr(first.code);
		const pointer = stringOr((first.source as Record<string, unknown> | undefined)?.pointer);
		return {
			kind: kindForCode(code, status),
			code,
			message: stringOr(first.detail) ?? stringOr(first.title),
			field: pointer?.replace(/^\//, '').replace(/\//g, '.'),
		};
	}
	if (typeof b.error_code === 'string' || typeof b.human_readable_message === 'string') {
		const code = stringOr(b.error_code);
		return { kind: kindForCode(code, status), code, message: stringOr(b.human_readable_message) ?? stringOr(b.message) };
	}
	if (b.error && typeof b.error === 'object') {
		const e = b.error as Record<string, unknown>;
		const code = stringOr(e.code);
		return { kind: kindForCode(code, status), code, message: stringOr(e.message), field: stringOr(e.field) };
	}
	return undefined;
}

function kindForCode(code: string | undefined, status: number): ErrorKind | undefined {
	// The Platform API answers `NotReady` while a new account replicates to billing: retry with backoff.
	if (code === 'NotReady') return 'transient';
	if (code === 'invalid_transition' || code === 'conflict') return 'conflict';
	return status === 429 ? 'rate_limited' : undefined;
}

function stringOr(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
