import { RateLimiter, rateLimiterFor } from '../rateLimiter';

/** A clock that only moves when the limiter sleeps, so throttling is exact and instant. */
function fakeClock(start = 1_000_000) {
	let now = start;
	const sleeps: number[] = [];
	return {
		now: () => now,
		advance: (ms: number) => {
			now += ms;
		},
		sleeps,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
	};
}

describe('RateLimiter', () => {
	it('lets a burst through at once, then throttles to perSecond', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, clock.now, clock.sleep);
		const start = clock.now();
		const times: number[] = [];
		for (let i = 0; i < 7; i++) {
			await limiter.acquire();
			times.push(clock.now() - start);
		}
		expect(times).toEqual([0, 0, 0, 500, 1000, 1500, 2000]);
		expect(clock.sleeps).toEqual([500, 500, 500, 500]);
	});

	it('refills over idle time but never beyond the burst', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({ perSecond: 10, burst: 2 }, clock.now, clock.sleep);
		await limiter.acquire();
		await limiter.acquire();
		clock.advance(60_000); // a long pause refills only `burst` tokens
		await limiter.acquire();
		await limiter.acquire();
		expect(clock.sleeps).toEqual([]);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([100]);
	});

	it('serves concurrent waiters in FIFO order', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, clock.now, clock.sleep);
		const order: number[] = [];
		await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire().then(() => order.push(i))));
		expect(order).toEqual([0, 1, 2, 3, 4]);
		expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000]);
	});

	it('keeps serving after a waiter failed', async () => {
		const clock = fakeClock();
		let failNext = true;
		const sleep = async (ms: number) => {
			if (failNext) {
				failNext = false;
				throw new Error('sleep interrupted');
			}
			await clock.sleep(ms);
		};
		const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, clock.now, sleep);
		await limiter.acquire();
		await expect(limiter.acquire()).rejects.toThrow('sleep interrupted');
		await expect(limiter.acquire()).resolves.toBeUndefined();
	});

	it.each([
		[{ perSecond: 0, burst: 1 }],
		[{ perSecond: 1, burst: 0 }],
		[{ perSecond: Number.NaN, burst: 1 }],
	])('rejects a nonsensical limit %p', (limit) => {
		expect(() => new RateLimiter(limit)).toThrow(RangeError);
	});
});

describe('rateLimiterFor', () => {
	it('shares one limiter per key', () => {
		const a = rateLimiterFor('vmf:partner-1', { perSecond: 5, burst: 5 });
		expect(rateLimiterFor('vmf:partner-1', { perSecond: 5, burst: 5 })).toBe(a);
		expect(rateLimiterFor('vmf:partner-2', { perSecond: 5, burst: 5 })).not.toBe(a);
	});

	it('replaces the limiter when the limit for a key changes', () => {
		const a = rateLimiterFor('stripe:acct', { perSecond: 5, burst: 5 });
		const b = rateLimiterFor('stripe:acct', { perSecond: 10, burst: 5 });
		expect(b).not.toBe(a);
		expect(b.limit).toEqual({ perSecond: 10, burst: 5 });
		expect(rateLimiterFor('stripe:acct', { perSecond: 10, burst: 6 })).not.toBe(b);
	});
});
