// @ts-check
'use strict';

const { createRateLimits, emptyStats, resolveSetting } = require('../core/rateLimits');

/**
 * DocuSign's API resource limits (developers.docusign.com/platform/resource-limits): per account, 3,000 requests an
 * hour by default (refreshed at the top of each hour) and a 30-second burst limit of 500 in production (200 in the
 * developer environment). Every REST answer carries `X-RateLimit-Limit/-Remaining/-Reset` (reset: epoch seconds of
 * the next hour) and `X-BurstLimit-Limit/-Remaining`. Over a limit: 429 with `{ errorCode, message }`
 * (HOURLY_APIINVOCATION_LIMIT_EXCEEDED, "The maximum number of hourly API invocations has been exceeded", as
 * documented; BURST_APIINVOCATION_LIMIT_EXCEEDED for the burst limit).
 */

const DEFAULTS = { hourly: 3000, burstPer30s: 500 };
/** @typedef {typeof DEFAULTS} DocusignLimits */
const HOUR = 3_600_000;
const BURST_WINDOW = 30_000;

const REFUSALS = {
	hourly: { errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED', message: 'The maximum number of hourly API invocations has been exceeded.' },
	burst: { errorCode: 'BURST_APIINVOCATION_LIMIT_EXCEEDED', message: 'The maximum number of burst API invocations has been exceeded.' },
};

/** @param {{ now?: () => number }} [options] */
function createDocusignRateLimit(options = {}) {
	const limits = createRateLimits(options);
	/** @type {DocusignLimits | null} */
	let config = null;
	let stats = emptyStats();

	return {
		/** @param {boolean | Partial<DocusignLimits> | null | undefined} setting */
		configure(setting) {
			config = resolveSetting(setting, DEFAULTS);
			limits.reset();
			return config;
		},
		get config() {
			return config;
		},
		/**
		 * A 429 for this REST request, or undefined (counted; the limit headers go on its answer).
		 * @param {import('../core/server').SandboxRequest} req @param {string} accountId
		 * @returns {import('../core/server').SandboxResponse | undefined}
		 */
		check(req, accountId) {
			if (!config) return undefined;
			stats.requests++;
			const hourly = /** @type {const} */ ({ kind: 'fixed', key: accountId, limit: config.hourly, windowMs: HOUR });
			const burst = /** @type {const} */ ({ kind: 'rolling', key: accountId, limit: config.burstPer30s, windowMs: BURST_WINDOW });
			const decision = limits.take([hourly, burst]);
			const [hour, thirty] = decision.states;
			req.locals.responseHeaders = {
				...(/** @type {object} */ (req.locals.responseHeaders) || {}),
				'X-RateLimit-Limit': String(hour.limit),
				'X-RateLimit-Remaining': String(hour.remaining),
				'X-RateLimit-Reset': String(Math.floor(hour.resetAt / 1000)),
				'X-BurstLimit-Limit': String(thirty.limit),
				'X-BurstLimit-Remaining': String(thirty.remaining),
			};
			if (decision.allowed) return undefined;
			const policy = decision.blocked === 0 ? 'hourly' : 'burst';
			stats.limited++;
			stats.byPolicy[policy] = (stats.byPolicy[policy] || 0) + 1;
			return { status: 429, body: { ...REFUSALS[policy] } };
		},
		stats: () => ({ enabled: config !== null, ...stats, byPolicy: { ...stats.byPolicy } }),
		/** Counters and windows back to zero; the setting stays. */
		reset() {
			stats = emptyStats();
			limits.reset();
		},
	};
}

module.exports = { createDocusignRateLimit, DOCUSIGN_LIMIT_DEFAULTS: DEFAULTS };
