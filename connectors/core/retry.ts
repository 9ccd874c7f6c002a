import { ConnectorError, isConnectorError } from './errors';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	retries: number;
	/** First backoff in ms; doubles each attempt. */
	baseDelayMs: number;
	/** Upper bound for one backoff wait. */
	maxDelayMs: number;
	/**
	 * The longest server-requested wait (Retry-After) worth sitting out inside one call. A longer one is never
	 * cut short (retrying before the vendor allows only earns another 429): the error is raised at once, with
	 * its retryAfterMs, for the workflow to retry later.
	 */
	maxRetryAfterMs: number;
	/** 0..1: fraction of each delay that is randomised ("full jitter" on that fraction). */
	jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 20_000, maxRetryAfterMs: 60_000, jitter: 0.5 };

export interface RetryOptions {
	policy?: Partial<RetryPolicy>;
	/**
	 * Whether repeating the call is safe: reads, or writes that carry an idempotency key.
	 * A non-idempotent write is never repeated, whatever the error.
	 */
	idempotent: boolean;
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
	onRetry?: (info: { attempt: number; delayMs: number; error: ConnectorError }) => void;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `attempt` (1-based): exponential backoff with jitter, or the server's Retry-After in full. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
	if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs;
	const exponential = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
	const jitterPart = exponential * policy.jitter;
	return Math.round(exponential - jitterPart + random() * jitterPart);
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Runs `fn`, retrying rate-limited and transient ConnectorErrors when the call is safe to repeat. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
	const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
	const sleep = options.sleep ?? defaultSleep;
	for (let attempt = 0; ; attempt++) {
		try {
			return await fn(attempt);
		} catch (error) {
			const retryable = isConnectorError(error) && error.retryable && options.idempotent;
			if (!retryable || attempt >= policy.retries) throw error;
			if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) throw error;
			const delayMs = backoffDelay(attempt + 1, policy, error.retryAfterMs, options.random);
			options.onRetry?.({ attempt: attempt + 1, delayMs, error });
			await sleep(delayMs);
		}
	}
}
