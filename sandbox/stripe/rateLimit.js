// @ts-check
'use strict';

const { createVendorRateLimit } = require('../core/rateLimits');

/**
 * Stripe's rate limiter (docs.stripe.com/rate-limits): per account, per mode, live 100 and test (sandbox) 25
 * operations a second (a token bucket, as Stripe describes its limiter); every endpoint 25 a second on its own and
 * search 20 a second, both counting against the global limit too. Over a limit: 429 with
 * `Stripe-Rate-Limited-Reason` (`global-rate` / `endpoint-rate`) and the `rate_limit` error body Stripe sends
 * (type `invalid_request_error`, code `rate_limit`). Stripe documents no Retry-After: clients back off
 * exponentially, so none is sent.
 */

const DEFAULTS = { testPerSecond: 25, livePerSecond: 100, endpointPerSecond: 25, searchPerSecond: 20 };
/** @typedef {typeof DEFAULTS} StripeLimits */

const RATE_LIMITED = {
	error: {
		code: 'rate_limit',
		doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
		message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
		type: 'invalid_request_error',
	},
};

/** @param {{ now?: () => number }} [options] */
function createStripeRateLimit(options = {}) {
	return createVendorRateLimit({
		defaults: DEFAULTS,
		now: options.now,
		/** @param {import('../core/rateLimits').RateLimits} limits @param {StripeLimits} config @param {import('../core/server').SandboxRequest} req @param {string} apiKey */
		decide(limits, config, req, apiKey) {
			const mode = /_live_/.test(apiKey) ? 'live' : 'test';
			const perSecond = mode === 'live' ? config.livePerSecond : config.testPerSecond;
			const endpoint = `${req.method} ${req.route || req.path}`;
			const checks = [
				{ reason: 'global-rate', limit: /** @type {const} */ ({ kind: 'bucket', key: `${mode}:global`, perSecond }) },
				{ reason: 'endpoint-rate', limit: /** @type {const} */ ({ kind: 'bucket', key: `${mode}:${endpoint}`, perSecond: config.endpointPerSecond }) },
			];
			if (/\/search$/.test(req.path)) checks.push({ reason: 'endpoint-rate', limit: { kind: 'bucket', key: `${mode}:search`, perSecond: config.searchPerSecond } });
			const decision = limits.take(checks.map((c) => c.limit));
			if (decision.allowed) return undefined;
			const reason = checks[decision.blocked].reason;
			return { policy: reason, response: { status: 429, headers: { 'Stripe-Rate-Limited-Reason': reason }, body: RATE_LIMITED } };
		},
	});
}

module.exports = { createStripeRateLimit, STRIPE_LIMIT_DEFAULTS: DEFAULTS };
