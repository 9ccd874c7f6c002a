import { storeConfig } from './backends';
import { RedisRateLimiter } from './redisRateLimiter';
import { defaultSleep } from './retry';

export interface RateLimit {
	/** Sustained requests per second. */
	perSecond: number;
	/** Requests allowed at once before throttling starts. */
	burst: number;
}

/** What a connector holds: the limit, and a wait for the next request's turn. */
export interface Limiter {
	readonly limit: RateLimit;
	/** Resolves when one request may be sent. */
	acquire(): Promise<void>;
}

/**
 * Token bucket in this process. One bucket per credential (see `rateLimiterFor`) so parallel executions that share a
 * vendor account share its limit instead of each assuming the whole budget.
 */
export class RateLimiter implements Limiter {
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

const limiters = new Map<string, Limiter>();

/**
 * The shared limiter for one credential (key should identify the account, never contain the secret): in this process
 * by default, in Redis when Q2C_RATE_LIMIT_STORE=redis, so every n8n worker draws from the same bucket.
 */
export function rateLimiterFor(key: string, limit: RateLimit, env: NodeJS.ProcessEnv = process.env): Limiter {
	const config = storeConfig(env);
	const where = config.rateLimit === 'redis' ? `redis:${config.redisPrefix}:${config.redisUrl}` : 'memory';
	const cacheKey = `${where}\u0000${key}`;
	let limiter = limiters.get(cacheKey);
	if (!limiter || limiter.limit.perSecond !== limit.perSecond || limiter.limit.burst !== limit.burst) {
		limiter = config.rateLimit === 'redis' ? new RedisRateLimiter(key, limit, { url: config.redisUrl, prefix: config.redisPrefix }) : new RateLimiter(limit);
		limiters.set(cacheKey, limiter);
	}
	return limiter;
}
