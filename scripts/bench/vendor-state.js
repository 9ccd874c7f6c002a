// @ts-check
'use strict';
/**
 * What the vendors saw, read from the sandbox: duplicates (more than one Stripe customer or subscription, or Super
 * Admin tenant, for one contract) and vendor calls in a time window, per fake and per contract.
 */

/** @param {any} object @returns {string | undefined} */
const businessKeyOf = (object) => object?.metadata?.q2c_business_key ?? object?.businessKey ?? object?.business_key;

/**
 * Contracts of `orders` that got more than one customer, subscription or tenant.
 * @param {any} sandbox @param {Array<{ orderId: string, businessKey: string }>} orders
 */
function duplicates(sandbox, orders) {
	const wanted = new Set(orders.flatMap((o) => [o.orderId, o.businessKey]));
	const state = sandbox.state();
	const objects = state.stripe?.objects ?? {};
	/** @param {any[]} list */
	const countByKey = (list) => {
		/** @type {Map<string, number>} */
		const counts = new Map();
		for (const object of list ?? []) {
			const key = businessKeyOf(object);
			if (key && wanted.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		return counts;
	};
	const tenants = Object.values(state.superAdmin?.tenants ?? state.superAdmin?.objects?.tenant ?? {});
	/** @type {Record<string, Map<string, number>>} */
	const byKind = { customers: countByKey(objects.customer), subscriptions: countByKey(objects.subscription), tenants: countByKey(tenants) };
	const contracts = new Set();
	/** @type {Record<string, number>} */
	const counts = {};
	for (const [kind, map] of Object.entries(byKind)) {
		counts[kind] = 0;
		for (const [key, n] of map) {
			if (n > 1) {
				counts[kind] += 1;
				contracts.add(key);
			}
		}
	}
	return { contracts: contracts.size, ...counts };
}

/**
 * Vendor requests logged between two times (ms), per fake, and how many were answered 429.
 * @param {any} sandbox @param {number} from @param {number} to
 */
function callsBetween(sandbox, from, to) {
	/** @type {Record<string, number>} */
	const calls = {};
	/** @type {Record<string, number>} */
	const limited = {};
	for (const [fake, requests] of Object.entries(sandbox.requests())) {
		const inWindow = /** @type {Array<{ at: string, status?: number }>} */ (requests).filter((r) => {
			const at = Date.parse(r.at);
			return at >= from && at <= to;
		});
		calls[fake] = inWindow.length;
		limited[fake] = inWindow.filter((r) => r.status === 429).length;
	}
	return { calls, limited };
}

/**
 * How a burst went over time, per 10-s window from its first send: deliveries answered, contracts live, Stripe calls.
 * Shows a slow start (the receiver busy accepting) apart from the steady rate the Stripe limit allows.
 * @param {any} sandbox @param {{ firstSent: number, lastEnd: number, deliveries: Array<{ answeredAt: number }>, results: Array<{ endAt: number, status: string }> }} run
 */
function burstTimeline(sandbox, run) {
	const windowMs = 10_000;
	const windows = Math.ceil((run.lastEnd - run.firstSent + 1) / windowMs);
	const count = (/** @type {number[]} */ times) => {
		const counts = new Array(windows).fill(0);
		for (const at of times) if (at >= run.firstSent && at <= run.lastEnd) counts[Math.floor((at - run.firstSent) / windowMs)] += 1;
		return counts;
	};
	const stripe = /** @type {Array<{ at: string }>} */ (sandbox.requests().stripe ?? []).map((r) => Date.parse(r.at));
	return {
		answered: count(run.deliveries.map((d) => d.answeredAt)),
		live: count(run.results.filter((r) => r.status === 'success').map((r) => r.endAt)),
		stripe: count(stripe),
	};
}

/** The sandbox's own rate-limit counters (requests seen / refused per vendor), when it has them. @param {any} sandbox */
function limitStats(sandbox) {
	return typeof sandbox.vendorLimitStats === 'function' ? sandbox.vendorLimitStats() : {};
}

module.exports = { burstTimeline, duplicates, callsBetween, limitStats };
