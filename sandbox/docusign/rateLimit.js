// @ts-check
'use strict';

const { createVendorRateLimit } = require('../core/rateLimits');

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
	return createVendorRateLimit({
		defaults: DEFAULTS,
		now: options.now,
		/** @param {import('../core/rateLimits').RateLimits} limits @param {DocusignLimits} config @param {import('../core/server').SandboxRequest} req @param {string} accountId */
		decide(limits, config, req, accountId) {
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
			return { policy, response: { status: 429, body: { ...REFUSALS[policy] } } };
		},
	});
}

module.exports = { createDocusignRateLimit, DOCUSIGN_LIMIT_DEFAULTS: DEFAULTS };
