/**
 * The rate limiter contract, the same cases for the in-process bucket and the Redis one (skipped, with the reason,
 * when no Redis is reachable): however many clients (and, for Redis, OS processes) draw from one key, requests never
 * exceed burst + rate × elapsed time, and they are not held back much longer than the limit requires.
 */
import Redis from 'ioredis';
import { closeBackends, RateLimiter, rateLimiterFor, RedisRateLimiter, type Limiter, type RateLimit } from '../../connectors/core';
import { redisPlan, uniqueName } from './support/backends';
import { runTogether } from './support/processes';

interface Backend {
	name: string;
	/** A client of the shared bucket `key`: every client of one key draws from the same tokens. */
	client(key: string, limit: RateLimit): Limiter;
	childJob?(key: string, limit: RateLimit, count: number): object;
	teardown(): Promise<void>;
}

const memoryBackend: Backend = {
	name: 'memory',
	// In one process the clients of a key share one limiter: what rateLimiterFor hands every connector.
	client: (key, limit) => rateLimiterFor(key, limit, {}),
	teardown: async () => undefined,
};

function redisBackend(url: string): Backend {
	const prefix = `${uniqueName('ratelimit')}:`;
	return {
		name: 'redis',
		client: (key, limit) => new RedisRateLimiter(key, limit, { url, prefix }),
		childJob: (key, limit, count) => ({ job: 'acquire', url, prefix, key, limit, count }),
		async teardown() {
			const client = new Redis(url, { maxRetriesPerRequest: 1 });
			const keys = await client.keys(`${prefix}*`);
			if (keys.length > 0) await client.del(...keys);
			await client.quit();
			await closeBackends();
		},
	};
}

const backends: Array<{ backend: Backend; skipped?: string }> = [
	{ backend: memoryBackend },
	redisPlan.kind === 'skip' ? { backend: redisBackend(''), skipped: redisPlan.reason } : { backend: redisBackend(redisPlan.url) },
];

const LIMIT: RateLimit = { perSecond: 20, burst: 4 };

/** The largest excess, over any window between two grants, of grants over burst + rate × window (≤ 0 when kept). */
function worstExcess(times: number[], limit: RateLimit): number {
	const sorted = [...times].sort((a, b) => a - b);
	let worst = -Infinity;
	for (let i = 0; i < sorted.length; i++) {
		for (let j = i; j < sorted.length; j++) {
			const allowed = limit.burst + (limit.perSecond * (sorted[j] - sorted[i])) / 1000;
			worst = Math.max(worst, j - i + 1 - allowed);
		}
	}
	return worst;
}

/** Time the limit itself requires for `count` grants starting with a full bucket. */
const requiredMs = (count: number, limit: RateLimit) => ((count - limit.burst) / limit.perSecond) * 1000;

async function grantTimes(clients: Limiter[], perClient: number): Promise<number[]> {
	const times: number[] = [];
	await Promise.all(clients.flatMap((client) => Array.from({ length: perClient }, () => client.acquire().then(() => times.push(Date.now())))));
	return times;
}

for (const { backend, skipped } of backends) {
	if (skipped) console.log(`rate limiter contract: ${backend.name} cases skipped: ${skipped}`);
	(skipped ? describe.skip : describe)(`rate limiter contract: ${backend.name}`, () => contract(backend));
}

function contract(backend: Backend) {
	let counter = 0;
	let key: string;
	beforeEach(() => void (key = `vendor:acct-${process.pid}-${++counter}`));
	afterAll(() => backend.teardown(), 30_000);

	it('never exceeds burst + rate × time across several clients of one key, and keeps up with the rate', async () => {
		const clients = [backend.client(key, LIMIT), backend.client(key, LIMIT), backend.client(key, LIMIT)];
		const started = Date.now();
		const times = await grantTimes(clients, 12);
		const elapsed = Date.now() - started;
		expect(times).toHaveLength(36);
		// +1: a grant is timed when its promise settles, a little after the bucket granted it.
		expect(worstExcess(times, LIMIT)).toBeLessThanOrEqual(1);
		expect(elapsed).toBeGreaterThanOrEqual(requiredMs(36, LIMIT) - 50);
		expect(elapsed).toBeLessThan(requiredMs(36, LIMIT) + 1_500);
	}, 30_000);

	it('gives each key its own bucket', async () => {
		const other = `${key}-other`;
		const started = Date.now();
		await Promise.all([grantTimes([backend.client(key, LIMIT)], LIMIT.burst), grantTimes([backend.client(other, LIMIT)], LIMIT.burst)]);
		// Two full buckets: 2 × burst grants without waiting for a refill.
		expect(Date.now() - started).toBeLessThan(1000 / LIMIT.perSecond);
	});

	(backend.childJob ? it : it.skip)('never exceeds the limit when several OS processes draw from one key', async () => {
		const job = backend.childJob!(key, LIMIT, 12);
		const perProcess = await runTogether<number[]>([job, job, job]);
		const times = perProcess.flat();
		expect(times).toHaveLength(36);
		expect(worstExcess(times, LIMIT)).toBeLessThanOrEqual(1);
		const span = Math.max(...times) - Math.min(...times);
		// The first grant is already in `times`, so the burst less one grants come before the span starts.
		expect(span).toBeGreaterThanOrEqual(requiredMs(36 - 1, LIMIT) - 50);
		expect(span).toBeLessThan(requiredMs(36, LIMIT) + 1_500);
	}, 60_000);
}

describe('rateLimiterFor picks the back end from Q2C_RATE_LIMIT_STORE', () => {
	it('is the in-process bucket by default and the Redis one with Q2C_RATE_LIMIT_STORE=redis', () => {
		expect(rateLimiterFor('pick:acct', LIMIT, {})).toBeInstanceOf(RateLimiter);
		const shared = rateLimiterFor('pick:acct', LIMIT, { Q2C_RATE_LIMIT_STORE: 'redis', Q2C_REDIS_URL: 'redis://127.0.0.1:6379' });
		expect(shared).toBeInstanceOf(RedisRateLimiter);
		expect(rateLimiterFor('pick:acct', LIMIT, { Q2C_RATE_LIMIT_STORE: 'redis', Q2C_REDIS_URL: 'redis://127.0.0.1:6379' })).toBe(shared);
	});
});
