/**
 * One error taxonomy for every connector. Vendor errors are mapped into these kinds so nodes and
 * workflows can decide (retry, compensate, ask a person) without knowing the vendor.
 */
import { redact } from './redact';

export type ErrorKind =
	| 'validation'
	| 'auth'
	| 'not_found'
	| 'conflict'
	| 'rate_limited'
	| 'transient'
	| 'permanent';

export interface ConnectorErrorOptions {
	vendor?: string;
	/** HTTP status the vendor answered with, when there was one. */
	status?: number;
	/** Dotted path of the input field at fault (validation errors). */
	field?: string;
	/** What was expected for `field`, in words. */
	expected?: string;
	/** Vendor error code (e.g. Stripe `card_declined`). */
	code?: string;
	/** Server-requested wait before retrying, in milliseconds. */
	retryAfterMs?: number;
	/**
	 * `false` when repeating the call soon cannot succeed whatever its kind: a daily or hourly quota is used up
	 * (Salesforce's TotalRequests, HubSpot's DAILY). Such an error is raised at once, never retried inside the call.
	 */
	retryable?: false;
	/** Extra context; redacted before it is stored on the error. */
	details?: unknown;
	cause?: unknown;
}

export class ConnectorError extends Error {
	readonly kind: ErrorKind;
	readonly vendor?: string;
	readonly status?: number;
	readonly field?: string;
	readonly expected?: string;
	readonly code?: string;
	readonly retryAfterMs?: number;
	readonly details?: unknown;
	private readonly quotaExhausted: boolean;

	constructor(kind: ErrorKind, message: string, options: ConnectorErrorOptions = {}) {
		super(redact(message) as string, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'ConnectorError';
		this.kind = kind;
		this.vendor = options.vendor;
		this.status = options.status;
		this.field = options.field;
		// Vendors echo what they were sent into their messages, which mappers often pass on as `expected`.
		this.expected = options.expected === undefined ? undefined : (redact(options.expected) as string);
		this.code = options.code;
		this.retryAfterMs = options.retryAfterMs;
		this.details = options.details === undefined ? undefined : redact(options.details);
		this.quotaExhausted = options.retryable === false;
	}

	/** Kinds worth retrying as-is: the same request may succeed soon (unless a quota is used up). */
	get retryable(): boolean {
		return !this.quotaExhausted && (this.kind === 'rate_limited' || this.kind === 'transient');
	}

	/** A plain, secret-free object for node output, receipts and logs. */
	toJSON(): Record<string, unknown> {
		const out: Record<string, unknown> = { kind: this.kind, message: this.message };
		for (const key of ['vendor', 'status', 'field', 'expected', 'code', 'retryAfterMs', 'details'] as const) {
			if (this[key] !== undefined) out[key] = this[key];
		}
		if (this.quotaExhausted) out.retryable = false;
		return out;
	}
}

export function validationError(field: string, expected: string, received?: unknown, vendor?: string): ConnectorError {
	const got = received === undefined ? '' : ` (received ${describe(received)})`;
	return new ConnectorError('validation', `Invalid "${field}": expected ${expected}${got}`, {
		field,
		expected,
		vendor,
	});
}

export function isConnectorError(error: unknown): error is ConnectorError {
	return error instanceof ConnectorError;
}

/** Classifies an HTTP status into the taxonomy; used by connectors that have no finer vendor codes. */
export function kindForStatus(status: number): ErrorKind {
	if (status === 400 || status === 422) return 'validation';
	if (status === 401 || status === 403) return 'auth';
	if (status === 404 || status === 410) return 'not_found';
	if (status === 409 || status === 412) return 'conflict';
	if (status === 429) return 'rate_limited';
	if (status === 408 || status >= 500) return 'transient';
	return 'permanent';
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}
