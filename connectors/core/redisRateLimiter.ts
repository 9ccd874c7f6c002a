import type Redis from 'ioredis';
import { backendError, DEFAULT_REDIS_PREFIX, redisClient } from './backends';
import type { Limiter, RateLimit } from './rateLimiter';
import { defaultSleep } from './retry';

/**
 * Refill and take one token atomically; returns 0 when taken, else the ms until a token is due. Time is the Redis
 * server's (TIME), the one clock every worker shares. State: tokens and the time they were counted.
 */
const TAKE_TOKEN = `
local per_ms = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
	tokens = burst
	at = now
end
if now > at then
	tokens = math.min(burst, tokens + (now - at) * per_ms)
	at = now
end
local wait = 0
if tokens >= 1 then
	tokens = tokens - 1
else
	wait = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_ms) + 60000)
return wait
`;

export interface RedisRateLimiterOptions {
	client?: Redis;
	url?: string;
	prefix?: string;
	sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket in Redis shared by every process that uses the same key: n8n workers on several machines together
 * stay within one vendor account's limit. Within a process, waiters queue locally first (served in order) so only
 * one of them polls Redis at a time.
 */
export class RedisRateLimiter implements Limiter {
	private readonly client: Redis;
	private readonly redisKey: string;
	private readonly sleep: (ms: number) => Promise<void>;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		readonly key: string,
		readonly limit: RateLimit,
		options: RedisRateLimiterOptions,
	) {
		if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new RangeError('rate limit needs perSecond > 0 and burst >= 1');
		if (!options.client && !options.url) throw new RangeError('RedisRateLimiter needs a client or a url');
		this.client = options.client ?? redisClient(options.url as string);
		this.redisKey = `${options.prefix ?? DEFAULT_REDIS_PREFIX}ratelimit:${key}`;
		this.sleep = options.sleep ?? defaultSleep;
	}

	/** Resolves when one request may be sent; rejects with a transient ConnectorError when Redis cannot be reached. */
	acquire(): Promise<void> {
		const turn = this.queue.then(() => this.take());
		this.queue = turn.catch(() => undefined);
		return turn;
	}

	private async take(): Promise<void> {
		for (;;) {
			let waitMs: number;
			try {
				waitMs = Number(await this.client.eval(TAKE_TOKEN, 1, this.redisKey, this.limit.perSecond, this.limit.burst));
			} catch (error) {
				// Falling back to a per-process bucket would let N workers send N times the vendor's limit: fail instead.
				throw backendError(`The shared rate limiter (Redis) for ${this.key}`, error);
			}
			if (!(waitMs > 0)) return;
			await this.sleep(waitMs);
		}
	}
}
