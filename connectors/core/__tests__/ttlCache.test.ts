import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { closeBackends } from '../backends';
import { MemoryTtlCache, RedisTtlCache, sharedTtlCache, type TtlCache } from '../ttlCache';

const REDIS_URL = process.env.Q2C_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Synchronous probe: jest declares suites synchronously. */
function redisReachable(): boolean {
	const { hostname, port } = new URL(REDIS_URL);
	const probe = `require('net').connect(${Number(port) || 6379}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
	return spawnSync(process.execPath, ['-e', probe], { timeout: 3_000 }).status === 0;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The same behaviour from every back end. `expire` lets the clock (or real time) pass `ms`. */
function behavesAsTtlCache(make: () => TtlCache, expire: (ms: number) => Promise<void>) {
	it('returns what was set, as a copy, until it expires', async () => {
		const cache = make();
		const value = { id: 'price_1', nested: { amount: 5 } };
		await cache.set('k', value, 200);
		const read = await cache.get<typeof value>('k');
		expect(read).toEqual(value);
		read!.nested.amount = 6;
		await expect(cache.get('k')).resolves.toEqual(value);
		await expire(250);
		await expect(cache.get('k')).resolves.toBeUndefined();
	});

	it('take hands an entry to one of several concurrent callers and removes it', async () => {
		const cache = make();
		await cache.set('mark', 'ORD-1', 10_000);
		const taken = await Promise.all(Array.from({ length: 8 }, () => cache.take<string>('mark')));
		expect(taken.filter((value) => value === 'ORD-1')).toHaveLength(1);
		await expect(cache.get('mark')).resolves.toBeUndefined();
	});

	it('delete forgets an entry; nothing is stored without a positive ttl', async () => {
		const cache = make();
		await cache.set('a', 1, 10_000);
		await cache.delete('a');
		await expect(cache.get('a')).resolves.toBeUndefined();
		await cache.set('b', 1, 0);
		await expect(cache.get('b')).resolves.toBeUndefined();
	});
}

describe('MemoryTtlCache', () => {
	let now = 1_000;
	behavesAsTtlCache(
		() => new MemoryTtlCache(100, () => now),
		async (ms) => {
			now += ms;
		},
	);

	it('stays bounded, dropping the oldest entries first', async () => {
		const cache = new MemoryTtlCache(3);
		for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, key, 10_000);
		expect(cache.size).toBe(3);
		await expect(cache.get('a')).resolves.toBeUndefined();
		await expect(cache.get('d')).resolves.toBe('d');
	});
});

const redisUp = redisReachable();
if (!redisUp) console.log(`RedisTtlCache cases skipped: Redis is not reachable at ${new URL(REDIS_URL).host} (set Q2C_TEST_REDIS_URL)`);

(redisUp ? describe : describe.skip)('RedisTtlCache', () => {
	const prefix = `q2c-test-ttlcache-${process.pid}-${randomBytes(3).toString('hex')}:`;
	const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

	afterAll(async () => {
		const keys = await client.keys(`${prefix}*`);
		if (keys.length) await client.del(...keys);
		await client.quit();
		await closeBackends();
	});

	behavesAsTtlCache(() => new RedisTtlCache(client, prefix), sleep);

	it('is what sharedTtlCache gives when Q2C_REDIS_URL is set, and shares entries between clients', async () => {
		const env = { Q2C_REDIS_URL: REDIS_URL, Q2C_REDIS_PREFIX: prefix };
		const cache = sharedTtlCache(env);
		expect(cache).toBeInstanceOf(RedisTtlCache);
		await cache.set('shared', { n: 1 }, 10_000);
		await expect(new RedisTtlCache(client, `${prefix}cache:`).get('shared')).resolves.toEqual({ n: 1 });
	});

	it('answers "not cached" instead of failing when Redis is down', async () => {
		const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
		down.on('error', () => undefined);
		const cache = new RedisTtlCache(down, prefix);
		await expect(cache.set('k', 1, 1000)).resolves.toBeUndefined();
		await expect(cache.get('k')).resolves.toBeUndefined();
		await expect(cache.take('k')).resolves.toBeUndefined();
		down.disconnect();
	});
});

describe('sharedTtlCache', () => {
	it('is one in-memory cache per process without Q2C_REDIS_URL', () => {
		const first = sharedTtlCache({});
		expect(first).toBeInstanceOf(MemoryTtlCache);
		expect(sharedTtlCache({})).toBe(first);
	});
});
