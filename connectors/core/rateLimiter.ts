import { defaultSleep } from './retry';

export interface RateLimit {
	/** Sustained requests per second. */
	perSecond: number;
	/** Requests allowed at once before throttling starts. */
	burst: number;
}

/**
 * Token bucket. One bucket per credential (see `rateLimiterFor`) so parallel executions that share a
 * vendor account share its limit instead of each assuming the whole budget.
 */
export class RateLimiter {
	private tokens: number;
	private last: number;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		readonly limit: RateLimit,
		private readonly now: () => number = Date.now,
		private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
	) {
		if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new RangeError('rate limit needs perSecond > 0 and burst >= 1');
		this.tokens = limit.burst;
		this.last = now();
	}

	/** Resolves when one request may be sent. Waiters are served in order. */
	acquire(): Promise<void> {
		const turn = this.queue.then(() => this.take());
		this.queue = turn.catch(() => undefined);
		return turn;
	}

	private refill(): void {
		const now = this.now();
		this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
		this.last = now;
	}

	private async take(): Promise<void> {
		this.refill();
		while (this.tokens < 1) {
			await this.sleep(Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000));
			this.refill();
		}
		this.tokens -= 1;
	}
}

const limiters = new Map<string, RateLimiter>();

/** The shared limiter for one credential (key should identify the account, never contain the secret). */
export function rateLimiterFor(key: string, limit: RateLimit): RateLimiter {
	let limiter = limiters.get(key);
	if (!limiter || limiter.limit.perSecond !== limit.perSecond || limiter.limit.burst !== limit.burst) {
		limiter = new RateLimiter(limit);
		limiters.set(key, limiter);
	}
	return limiter;
}
