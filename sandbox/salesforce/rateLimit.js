// @ts-check
'use strict';

const { createRateLimits, emptyStats, resolveSetting } = require('../core/rateLimits');

/**
 * Salesforce's total API request allocation ("API Request Limits and Allocations", Salesforce Developer Limits and
 * Allocations Quick Reference): one budget per org over a rolling 24 hours, reported on every REST answer as
 * `Sforce-Limit-Info: api-usage=N/M`; past it, 403 `[{ "message": "TotalRequests Limit exceeded.", "errorCode":
 * "REQUEST_LIMIT_EXCEEDED" }]`. The fake always keeps this budget (its `dailyApiLimit`, default 100,000); vendor limits
 * on make it the configured `daily` (default 15,000, a Developer Edition org's; Enterprise Edition has 100,000 plus
 * 1,000 per licence) and count the calls in `vendorLimitStats()`.
 */

const DEFAULTS = { daily: 15_000 };
/** @typedef {typeof DEFAULTS} SalesforceLimits */
const DAY = 86_400_000;
const KEY = 'org';

/** @param {{ now?: () => number, dailyApiLimit?: number }} [options] dailyApiLimit: the budget while vendor limits are off */
function createSalesforceRateLimit(options = {}) {
	const limits = createRateLimits(options);
	/** @type {SalesforceLimits | null} */
	let config = null;
	let baseMax = options.dailyApiLimit ?? 100_000;
	let stats = emptyStats();
	const allocation = () => /** @type {const} */ ({ kind: 'rolling', key: KEY, limit: config ? config.daily : baseMax, windowMs: DAY });

	return {
		/** @param {boolean | Partial<SalesforceLimits> | null | undefined} setting */
		configure(setting) {
			config = resolveSetting(setting, DEFAULTS);
			return config;
		},
		get config() {
			return config;
		},
		/** One API call: allowed (and counted) or not, with the usage to report. */
		take() {
			stats.requests++;
			const decision = limits.take([allocation()]);
			const { limit, remaining } = decision.states[0];
			if (!decision.allowed) {
				stats.limited++;
				stats.byPolicy.TotalRequests = (stats.byPolicy.TotalRequests || 0) + 1;
			}
			return { allowed: decision.allowed, used: limit - remaining, max: limit };
		},
		/** The org's usage in the last 24 hours. */
		usage() {
			const { limit, remaining } = limits.peek(allocation());
			return { used: limit - remaining, max: limit };
		},
		/** Start from `used` calls already made (and, while vendor limits are off, a new budget). @param {number} used @param {number} [max] */
		setUsage(used, max) {
			if (max !== undefined) {
				if (config) config.daily = max;
				else baseMax = max;
			}
			limits.clear(KEY);
			limits.record(allocation(), used);
		},
		stats: () => ({ enabled: config !== null, ...stats, byPolicy: { ...stats.byPolicy } }),
		/** Usage and counters back to zero; the setting stays. */
		reset() {
			stats = emptyStats();
			limits.reset();
		},
	};
}

module.exports = { createSalesforceRateLimit, SALESFORCE_LIMIT_DEFAULTS: DEFAULTS };
