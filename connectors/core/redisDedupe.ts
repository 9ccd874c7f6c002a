import type Redis from 'ioredis';
import { backendError, DEFAULT_REDIS_PREFIX, redisClient } from './backends';
import type { DedupeStore } from './dedupe';
import { sha256Hex } from './idempotency';

export interface RedisDedupeOptions {
	client?: Redis;
	url?: string;
	prefix?: string;
	/** Scopes the marks (e.g. "dedupe/vmf/<workflow id>"), as a directory scopes the file store's. */
	namespace: string;
}

/**
 * Dedupe marks in Redis: `SET key 1 PX ttl NX` is atomic on the server, so exactly one claimer wins, and the mark
 * expires with the claimer's window (Redis keeps time). Keys are hashes: a delivery id never shows in key listings.
 */
export class RedisDedupeStore implements DedupeStore {
	private readonly client: Redis;
	private readonly keyPrefix: string;

	constructor(options: RedisDedupeOptions) {
		if (!options.client && !options.url) throw new RangeError('RedisDedupeStore needs a client or a url');
		this.client = options.client ?? redisClient(options.url as string);
		this.keyPrefix = `${options.prefix ?? DEFAULT_REDIS_PREFIX}dedupe:${sha256Hex(options.namespace).slice(0, 16)}:`;
	}

	private keyFor(key: string): string {
		return this.keyPrefix + sha256Hex(key);
	}

	async claim(key: string, ttlMs: number): Promise<boolean> {
		try {
			const answer = await this.client.set(this.keyFor(key), String(Date.now()), 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
			return answer === 'OK';
		} catch (error) {
			throw backendError('The dedupe store (Redis)', error);
		}
	}

	async release(key: string): Promise<void> {
		try {
			await this.client.del(this.keyFor(key));
		} catch (error) {
			throw backendError('The dedupe store (Redis)', error);
		}
	}
}
