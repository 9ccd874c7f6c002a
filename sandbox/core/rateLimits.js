// @ts-check
'use strict';

/**
 * Rate-limit bookkeeping for the fakes' vendor limits (see the adapters in stripe/, hubspot/, docusign/,
 * salesforce/): token buckets, rolling windows and fixed (clock-aligned) windows, by key, on an injectable clock
 * so tests can move time instead of waiting.
 *
 * @typedef {{ kind: 'bucket', key: string, perSecond: number, burst?: number }} BucketLimit
 *   refills `perSecond` tokens a second up to `burst` (default perSecond)
 * @typedef {{ kind: 'rolling', key: string, limit: number, windowMs: number }} RollingLimit
 *   at most `limit` requests in any `windowMs` (counted in 1/100-window buckets, so a slot frees up to one
 *   bucket late: the fake errs on the strict side)
 * @typedef {{ kind: 'fixed', key: string, limit: number, windowMs: number, offsetMs?: number }} FixedLimit
 *   at most `limit` requests per window aligned to the epoch (windowMs 3 600 000 = refreshed at the top of each
 *   hour); offsetMs shifts the boundary (a UTC offset: a day that starts at midnight US/Eastern is -18 000 000)
 * @typedef {BucketLimit | RollingLimit | FixedLimit} Limit
 * @typedef {{ limit: number, remaining: number, resetAt: number, retryAfterMs: number }} LimitState
 *   resetAt: ms epoch when the window (or a full bucket) is back; retryAfterMs: 0 when a request may pass now
 * @typedef {{ allowed: boolean, states: LimitState[], blocked: number }} Decision
 *   states in the order the limits were given; blocked: index of the first limit that refused (-1 when allowed)
 */

/** @param {{ now?: () => number }} [options] now: clock in ms (default Date.now) */
function createRateLimits(options = {}) {
	const now = options.now || Date.now;
	/** @type {Map<string, { tokens: number, at: number }>} */
	let buckets = new Map();
	/** @type {Map<string, { start: number, count: number }[]>} */
	let rolling = new Map();
	/** @type {Map<string, { start: number, count: number }>} */
	let fixed = new Map();

	/** @param {BucketLimit} limit @param {number} t */
	function bucketOf(limit, t) {
		const capacity = limit.burst ?? limit.perSecond;
		const id = `${limit.key}|${limit.perSecond}|${capacity}`;
		const state = buckets.get(id) || { tokens: capacity, at: t };
		state.tokens = Math.min(capacity, state.tokens + ((t - state.at) / 1000) * limit.perSecond);
		state.at = t;
		buckets.set(id, state);
		return { state, capacity };
	}

	/** @param {RollingLimit} limit @param {number} t */
	function rollingOf(limit, t) {
		const id = `${limit.key}|${limit.windowMs}`;
		const slotMs = Math.max(1, Math.floor(limit.windowMs / 100));
		const slots = (rolling.get(id) || []).filter((slot) => slot.start + slotMs + limit.windowMs > t);
		rolling.set(id, slots);
		return { slots, slotMs, count: slots.reduce((sum, slot) => sum + slot.count, 0) };
	}

	/** @param {FixedLimit} limit @param {number} t */
	function fixedOf(limit, t) {
		const id = `${limit.key}|${limit.windowMs}`;
		const offset = limit.offsetMs || 0;
		const start = Math.floor((t + offset) / limit.windowMs) * limit.windowMs - offset;
		const found = fixed.get(id);
		const state = found && found.start === start ? found : { start, count: 0 };
		fixed.set(id, state);
		return state;
	}

	/** @param {Limit} limit @param {number} t @param {boolean} consume @returns {LimitState} */
	function evaluate(limit, t, consume) {
		if (limit.kind === 'bucket') {
			const { state, capacity } = bucketOf(limit, t);
			if (consume) state.tokens -= 1;
			const missing = Math.max(0, 1 - state.tokens);
			return {
				limit: capacity,
				remaining: Math.max(0, Math.floor(state.tokens)),
				resetAt: t + Math.ceil(((capacity - state.tokens) / limit.perSecond) * 1000),
				retryAfterMs: Math.ceil((missing / limit.perSecond) * 1000),
			};
		}
		if (limit.kind === 'rolling') {
			const { slots, slotMs, count } = rollingOf(limit, t);
			if (consume) {
				const start = Math.floor(t / slotMs) * slotMs;
				const last = slots[slots.length - 1];
				if (last && last.start === start) last.count++;
				else slots.push({ start, count: 1 });
			}
			const used = count + (consume ? 1 : 0);
			const oldest = slots[0];
			const freesAt = oldest ? oldest.start + slotMs + limit.windowMs : t;
			return { limit: limit.limit, remaining: Math.max(0, limit.limit - used), resetAt: freesAt, retryAfterMs: used < limit.limit ? 0 : Math.max(1, freesAt - t) };
		}
		const state = fixedOf(limit, t);
		if (consume) state.count++;
		const resetAt = state.start + limit.windowMs;
		return { limit: limit.limit, remaining: Math.max(0, limit.limit - state.count), resetAt, retryAfterMs: state.count < limit.limit ? 0 : resetAt - t };
	}

	return {
		now,
		/**
		 * One request against several limits: it passes only if every limit has room, and then counts against all of
		 * them; a refused request counts against none.
		 * @param {Limit[]} limits
		 * @returns {Decision}
		 */
		take(limits) {
			const t = now();
			const before = limits.map((limit) => evaluate(limit, t, false));
			const blocked = before.findIndex((state) => state.retryAfterMs > 0);
			if (blocked >= 0) return { allowed: false, states: before, blocked };
			return { allowed: true, states: limits.map((limit) => evaluate(limit, t, true)), blocked: -1 };
		},
		/** Where a limit stands, without counting a request. @param {Limit} limit */
		peek: (limit) => evaluate(limit, now(), false),
		/** Pretend `count` requests happened now (e.g. a Salesforce org already near its allocation). @param {RollingLimit | FixedLimit} limit @param {number} count */
		record(limit, count) {
			if (!(count > 0)) return;
			const t = now();
			if (limit.kind === 'fixed') {
				fixedOf(limit, t).count += count;
				return;
			}
			const { slots, slotMs } = rollingOf(limit, t);
			slots.push({ start: Math.floor(t / slotMs) * slotMs, count });
		},
		/** Forget one key's windows and buckets (all limits with that key). @param {string} key */
		clear(key) {
			for (const map of [buckets, rolling, fixed]) for (const id of [...map.keys()]) if (id.split('|')[0] === key) map.delete(id);
		},
		/** Forget every window and bucket. */
		reset() {
			buckets = new Map();
			rolling = new Map();
			fixed = new Map();
		},
	};
}

/** @typedef {ReturnType<typeof createRateLimits>} RateLimits */

/**
 * Counters every vendor adapter reports through `vendorLimitStats()`.
 * @returns {{ requests: number, limited: number, byPolicy: Record<string, number> }}
 */
const emptyStats = () => ({ requests: 0, limited: 0, byPolicy: {} });

/**
 * `false`/undefined → null (off), `true` → the defaults, an object → the defaults with its fields over them.
 * @template T @param {boolean | Partial<T> | undefined | null} setting @param {T} defaults @returns {T | null}
 */
function resolveSetting(setting, defaults) {
	if (!setting) return null;
	if (setting === true) return { ...defaults };
	if (typeof setting !== 'object') throw Object.assign(new Error('A vendor limit setting is true, false or an object of overrides'), { status: 400 });
	for (const [name, value] of Object.entries(setting)) {
		if (!(name in /** @type {object} */ (defaults))) throw Object.assign(new Error(`Unknown vendor limit option "${name}" (known: ${Object.keys(/** @type {object} */ (defaults)).join(', ')})`), { status: 400 });
		const expected = typeof (/** @type {any} */ (defaults)[name]);
		if (typeof value !== expected || (expected === 'number' && !(value > 0))) throw Object.assign(new Error(`Vendor limit option "${name}" must be ${expected === 'number' ? 'a positive number' : `a ${expected}`}`), { status: 400 });
	}
	return { ...defaults, ...setting };
}

/**
 * @typedef {object} VendorRateLimitSpec
 * @property {any} defaults the documented limits (`true` uses them; an object overrides some)
 * @property {() => number} [now]
 * @property {(setting: any, resolved: any) => any} [resolve] adjusts a resolved setting (e.g. a plan's numbers)
 * @property {(limits: RateLimits, config: any, req: import('./server').SandboxRequest, caller: any) =>
 *   { policy: string, response: import('./server').SandboxResponse } | undefined} decide
 *   takes the request from the windows (adding the vendor's headers to its answer) and names the refusing policy
 */

/**
 * What every request-checking vendor limiter shares: the setting (off by default), the windows and the counters.
 * The vendor adapters supply only their policies and their refusal.
 * @param {VendorRateLimitSpec} spec
 */
function createVendorRateLimit({ defaults, now, resolve = (_setting, resolved) => resolved, decide }) {
	const limits = createRateLimits({ now });
	/** @type {any} */
	let config = null;
	let stats = emptyStats();
	return {
		/** @param {any} setting */
		configure(setting) {
			config = resolve(setting, resolveSetting(setting, defaults));
			limits.reset();
			return config;
		},
		get config() {
			return config;
		},
		/**
		 * A refusal for this request, or undefined to let it through (counted).
		 * @param {import('./server').SandboxRequest} req @param {any} caller the account or app calling
		 * @returns {import('./server').SandboxResponse | undefined}
		 */
		check(req, caller) {
			if (!config) return undefined;
			stats.requests++;
			const refused = decide(limits, config, req, caller);
			if (!refused) return undefined;
			stats.limited++;
			stats.byPolicy[refused.policy] = (stats.byPolicy[refused.policy] || 0) + 1;
			return refused.response;
		},
		stats: () => ({ enabled: config !== null, ...stats, byPolicy: { ...stats.byPolicy } }),
		/** Counters and windows back to zero; the setting stays. */
		reset() {
			stats = emptyStats();
			limits.reset();
		},
	};
}

module.exports = { createRateLimits, createVendorRateLimit, emptyStats, resolveSetting };
