/**
 * A small cache whose entries expire, for vendor answers that are safe to reuse for a short while (a catalog's
 * prices) and for short-lived marks between two steps of one run. In memory per process by default; shared through
 * Redis when Q2C_REDIS_URL is set, so every worker of a queue-mode n8n reuses one lookup.
 *
 * A cache never decides correctness: a failing Redis answers "not cached" (callers then ask the vendor) and a
 * failed write is dropped, so an outage costs vendor calls, never a wrong answer.
 */
import { redisClient, storeConfig } from './backends';

export interface TtlCache {
	get<T>(key: string): Promise<T | undefined>;
	set(key: string, value: unknown, ttlMs: number): Promise<void>;
	/** Reads and removes the entry in one step: of several concurrent callers at most one gets it. */
	take<T>(key: string): Promise<T | undefined>;
	delete(key: string): Promise<void>;
}

interface Entry {
	json: string;
	expiresAt: number;
}

/** Values are kept as JSON, like in Redis: a caller that mutates what it got cannot change what others get. */
export class MemoryTtlCache implements TtlCache {
	private readonly entries = new Map<string, Entry>();

	constructor(
		private readonly maxEntries = 10_000,
		private readonly now: () => number = Date.now,
	) {}

	async get<T>(key: string): Promise<T | undefined> {
		const entry = this.live(key);
		return entry ? (JSON.parse(entry.json) as T) : undefined;
	}

	async set(key: string, value: unknown, ttlMs: number): Promise<void> {
		if (!(ttlMs > 0) || value === undefined) return;
		this.entries.delete(key);
		if (this.entries.size >= this.maxEntries) this.evict();
		this.entries.set(key, { json: JSON.stringify(value), expiresAt: this.now() + ttlMs });
	}

	async take<T>(key: string): Promise<T | undefined> {
		const entry = this.live(key);
		this.entries.delete(key);
		return entry ? (JSON.parse(entry.json) as T) : undefined;
	}

	async delete(key: string): Promise<void> {
		this.entries.delete(key);
	}

	get size(): number {
		return this.entries.size;
	}

	private live(key: string): Entry | undefined {
		const entry = this.entries.get(key);
		if (entry && entry.expiresAt <= this.now()) {
			this.entries.delete(key);
			return undefined;
		}
		return entry;
	}

	/** Drops expired entries, then the oldest ones (Map order is insertion order), to stay bounded. */
	private evict(): void {
		const now = this.now();
		for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
		for (const key of this.entries.keys()) {
			if (this.entries.size < this.maxEntries) break;
			this.entries.delete(key);
		}
	}
}

/** The commands RedisTtlCache needs (ioredis has them; GETDEL needs Redis ≥ 6.2). */
export interface RedisCacheClient {
	get(key: string): Promise<string | null>;
	set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
	getdel(key: string): Promise<string | null>;
	del(key: string): Promise<number>;
}

export class RedisTtlCache implements TtlCache {
	constructor(
		private readonly client: RedisCacheClient,
		private readonly prefix: string,
	) {}

	async get<T>(key: string): Promise<T | undefined> {
		return parse<T>(await this.client.get(this.prefix + key).catch(() => null));
	}

	async set(key: string, value: unknown, ttlMs: number): Promise<void> {
		if (!(ttlMs > 0) || value === undefined) return;
		await this.client.set(this.prefix + key, JSON.stringify(value), 'PX', Math.ceil(ttlMs)).catch(() => undefined);
	}

	async take<T>(key: string): Promise<T | undefined> {
		return parse<T>(await this.client.getdel(this.prefix + key).catch(() => null));
	}

	async delete(key: string): Promise<void> {
		await this.client.del(this.prefix + key).catch(() => undefined);
	}
}

function parse<T>(text: string | null): T | undefined {
	if (text === null) return undefined;
	try {
		return JSON.parse(text) as T;
	} catch {
		return undefined;
	}
}

let memoryCache: MemoryTtlCache | undefined;

/**
 * The process's cache: Redis (keys under `<Q2C_REDIS_PREFIX>cache:`) when Q2C_REDIS_URL is set, else one in-memory
 * cache per process. A store configuration that does not parse leaves the cache in memory; the stores that need it
 * report the error themselves.
 */
export function sharedTtlCache(env: NodeJS.ProcessEnv = process.env): TtlCache {
	let redis: { url: string; prefix: string } | undefined;
	try {
		const config = storeConfig(env);
		if (config.redisUrl) redis = { url: config.redisUrl, prefix: `${config.redisPrefix}cache:` };
	} catch {
		redis = undefined;
	}
	if (redis) return new RedisTtlCache(redisClient(redis.url), redis.prefix);
	return (memoryCache ??= new MemoryTtlCache());
}
