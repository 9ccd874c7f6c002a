import { ConnectorError, type ErrorKind } from '../errors';
import { backoffDelay, DEFAULT_RETRY_POLICY, defaultSleep, parseRetryAfter, withRetry, type RetryPolicy } from '../retry';

const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000, jitter: 0 };

function failing(kinds: (ErrorKind | Error)[], result = 'ok') {
	const calls: number[] = [];
	const fn = jest.fn(async (attempt: number) => {
		calls.push(attempt);
		const next = kinds.shift();
		if (next === undefined) return result;
		throw next instanceof Error ? next : new ConnectorError(next, `failure ${next}`);
	});
	return { fn, calls };
}

function recordingSleep() {
	const delays: number[] = [];
	return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('backoffDelay', () => {
	it('grows exponentially and is capped at maxDelayMs', () => {
		expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
	});

	it('keeps jitter within [delay*(1-jitter), delay]', () => {
		const jittered = { ...policy, jitter: 0.5 };
		expect(backoffDelay(3, jittered, undefined, () => 0)).toBe(200);
		expect(backoffDelay(3, jittered, undefined, () => 0.999999)).toBe(400);
		expect(backoffDelay(3, jittered, undefined, () => 0.5)).toBe(300);
		for (let i = 0; i < 50; i++) {
			const d = backoffDelay(2, jittered);
			expect(d).toBeGreaterThanOrEqual(100);
			expect(d).toBeLessThanOrEqual(200);
		}
	});

	it('uses Retry-After instead of backoff, in full (never shorter than the vendor asked)', () => {
		expect(backoffDelay(1, policy, 700, () => 0.9)).toBe(700);
		expect(backoffDelay(1, policy, 0)).toBe(0);
		expect(backoffDelay(1, policy, 30_000)).toBe(30_000);
		expect(backoffDelay(2, policy, -5)).toBe(200);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2024-01-01T00:00:00Z');
	it('parses seconds', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter(['2', '9'], now)).toBe(2000);
		expect(parseRetryAfter('-4', now)).toBe(0);
	});
	it('parses an HTTP date relative to now', () => {
		expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(0);
	});
	it('returns undefined for missing or garbage values', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('withRetry', () => {
	it('returns the first success without sleeping', async () => {
		const { sleep, delays } = recordingSleep();
		const { fn } = failing([]);
		await expect(withRetry(fn, { idempotent: true, sleep })).resolves.toBe('ok');
		expect(fn).toHaveBeenCalledTimes(1);
		expect(delays).toEqual([]);
	});

	it('retries rate_limited and transient errors with growing delays', async () => {
		const { sleep, delays } = recordingSleep();
		const { fn, calls } = failing(['transient', 'rate_limited', 'transient']);
		const onRetry = jest.fn();
		await expect(withRetry(fn, { idempotent: true, sleep, policy, onRetry })).resolves.toBe('ok');
		expect(calls).toEqual([0, 1, 2, 3]);
		expect(delays).toEqual([100, 200, 400]);
		expect(onRetry).toHaveBeenCalledTimes(3);
		expect(onRetry.mock.calls[1][0]).toMatchObject({ attempt: 2, delayMs: 200, error: expect.objectContaining({ kind: 'rate_limited' }) });
	});

	it('honours Retry-After on the error in full, beyond the backoff cap', async () => {
		const { sleep, delays } = recordingSleep();
		const limited = new ConnectorError('rate_limited', 'slow down', { retryAfterMs: 750 });
		const longer = new ConnectorError('rate_limited', 'slow down', { retryAfterMs: 30_000 });
		const { fn } = failing([limited, longer]);
		await withRetry(fn, { idempotent: true, sleep, policy });
		expect(delays).toEqual([750, 30_000]);
	});

	it('raises at once, without an early retry, when Retry-After is longer than maxRetryAfterMs', async () => {
		const { sleep, delays } = recordingSleep();
		const tooLong = new ConnectorError('rate_limited', 'slow down', { retryAfterMs: 3_600_000 });
		const { fn } = failing([tooLong]);
		await expect(withRetry(fn, { idempotent: true, sleep, policy })).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_600_000 });
		expect(fn).toHaveBeenCalledTimes(1);
		expect(delays).toEqual([]);
	});

	it('gives up after `retries` retries and rethrows the last error', async () => {
		const { sleep, delays } = recordingSleep();
		const { fn } = failing(['transient', 'transient', 'transient', 'transient']);
		await expect(withRetry(fn, { idempotent: true, sleep, policy: { ...policy, retries: 2 } })).rejects.toMatchObject({ kind: 'transient' });
		expect(fn).toHaveBeenCalledTimes(3);
		expect(delays).toHaveLength(2);
	});

	it.each(['validation', 'auth', 'not_found', 'conflict', 'permanent'] as const)('does not retry %s errors', async (kind) => {
		const { sleep, delays } = recordingSleep();
		const { fn } = failing([kind]);
		await expect(withRetry(fn, { idempotent: true, sleep, policy })).rejects.toMatchObject({ kind });
		expect(fn).toHaveBeenCalledTimes(1);
		expect(delays).toEqual([]);
	});

	it('does not retry errors that are not ConnectorErrors', async () => {
		const { sleep } = recordingSleep();
		const { fn } = failing([new TypeError('bug')]);
		await expect(withRetry(fn, { idempotent: true, sleep, policy })).rejects.toBeInstanceOf(TypeError);
		expect(fn).toHaveBeenCalledTimes(1);
	});

	it('never repeats a non-idempotent call, even on transient errors', async () => {
		const { sleep, delays } = recordingSleep();
		const { fn } = failing(['transient']);
		await expect(withRetry(fn, { idempotent: false, sleep, policy })).rejects.toMatchObject({ kind: 'transient' });
		expect(fn).toHaveBeenCalledTimes(1);
		expect(delays).toEqual([]);
	});

	it('uses the default policy when none is given', async () => {
		const { sleep, delays } = recordingSleep();
		const { fn } = failing(['transient', 'transient', 'transient', 'transient', 'transient']);
		await expect(withRetry(fn, { idempotent: true, sleep, random: () => 0 })).rejects.toMatchObject({ kind: 'transient' });
		expect(fn).toHaveBeenCalledTimes(DEFAULT_RETRY_POLICY.retries + 1);
		expect(delays).toEqual([125, 250, 500, 1000]);
	});

	it('defaultSleep really waits', async () => {
		const started = Date.now();
		await defaultSleep(20);
		expect(Date.now() - started).toBeGreaterThanOrEqual(15);
	});
});

describe('withRetry and used-up quotas', () => {
	it('raises a rate limit marked retryable: false at once, while a plain one is retried', async () => {
		const { sleep, delays } = recordingSleep();
		const quota = new ConnectorError('rate_limited', 'daily quota used up', { retryable: false });
		const used = jest.fn(async () => Promise.reject(quota));
		await expect(withRetry(used, { idempotent: true, sleep, policy })).rejects.toBe(quota);
		expect(used).toHaveBeenCalledTimes(1);
		expect(delays).toEqual([]);
		expect(quota.retryable).toBe(false);
		expect(quota.toJSON()).toMatchObject({ kind: 'rate_limited', retryable: false });

		const { fn } = failing(['rate_limited']);
		await expect(withRetry(fn, { idempotent: true, sleep, policy })).resolves.toBe('ok');
		expect(fn).toHaveBeenCalledTimes(2);
		expect(new ConnectorError('rate_limited', 'x').toJSON()).not.toHaveProperty('retryable');
	});
});
