// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createVendorRateLimit } = require('../core/rateLimits');

/**
 * HubSpot's API limits (developers.hubspot.com "API usage guidelines and limits", changelog "Increasing our API
 * limits"): per app per account, a rolling 10-second limit (TEN_SECONDLY_ROLLING) and, for private apps, a daily one
 * (DAILY, reset at midnight in the account's time zone). Private apps by plan: Free/Starter 100 per 10 s and
 * 250,000 a day, Professional 190 and 650,000, Enterprise 190 and 1,000,000; public (OAuth) apps 110 per 10 s and
 * no daily limit. Responses carry `X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds` (+ `-Daily`,
 * `-Daily-Remaining` for private apps); search endpoints carry none. Over a limit: 429 with
 * `{ status, message, errorType: 'RATE_LIMIT', correlationId, policyName, requestId }`; no Retry-After is documented.
 */

const PLANS = {
	free: { perTenSeconds: 100, daily: 250_000 },
	starter: { perTenSeconds: 100, daily: 250_000 },
	professional: { perTenSeconds: 190, daily: 650_000 },
	enterprise: { perTenSeconds: 190, daily: 1_000_000 },
};
const DEFAULTS = { plan: 'starter', perTenSeconds: 100, daily: 250_000, oauthPerTenSeconds: 110 };
/** @typedef {typeof DEFAULTS} HubspotLimits */
const TEN_SECONDS = 10_000;
const DAY = 86_400_000;
/** The fake's account is in US/Eastern (account-info: utcOffset -05:00); its day starts at midnight there. */
const ACCOUNT_UTC_OFFSET_MS = -5 * 3_600_000;
const SEARCH = /^\/crm\/v3\/objects\/[^/]+\/search\/?$/;

/** @param {'TEN_SECONDLY_ROLLING' | 'DAILY'} policyName */
const refusal = (policyName) => ({
	status: 429,
	body: {
		status: 'error',
		message: policyName === 'DAILY' ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.',
		errorType: 'RATE_LIMIT',
		correlationId: crypto.randomUUID(),
		policyName,
		requestId: crypto.randomUUID(),
	},
});

/** `plan` picks the plan's numbers unless the setting gives them. @param {any} setting @param {HubspotLimits | null} resolved */
function withPlan(setting, resolved) {
	if (!resolved) return resolved;
	const plan = PLANS[/** @type {keyof PLANS} */ (resolved.plan)];
	if (!plan) throw Object.assign(new Error(`HubSpot plan must be one of ${Object.keys(PLANS).join(', ')}`), { status: 400 });
	const given = typeof setting === 'object' && setting ? setting : {};
	if (given.perTenSeconds === undefined) resolved.perTenSeconds = plan.perTenSeconds;
	if (given.daily === undefined) resolved.daily = plan.daily;
	return resolved;
}

/** @param {{ now?: () => number }} [options] */
function createHubspotRateLimit(options = {}) {
	return createVendorRateLimit({
		defaults: DEFAULTS,
		now: options.now,
		resolve: withPlan,
		/** @param {import('../core/rateLimits').RateLimits} limits @param {HubspotLimits} config @param {import('../core/server').SandboxRequest} req @param {{ oauth: boolean }} app */
		decide(limits, config, req, app) {
			const key = app.oauth ? 'oauth-app' : 'private-app';
			const tenSecondly = /** @type {const} */ ({ kind: 'rolling', key, limit: app.oauth ? config.oauthPerTenSeconds : config.perTenSeconds, windowMs: TEN_SECONDS });
			const daily = /** @type {const} */ ({ kind: 'fixed', key, limit: config.daily, windowMs: DAY, offsetMs: ACCOUNT_UTC_OFFSET_MS });
			const decision = limits.take(app.oauth ? [tenSecondly] : [tenSecondly, daily]);
			/** @type {Record<string, string>} */
			const headers = {
				'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
				'X-HubSpot-RateLimit-Max': String(decision.states[0].limit),
				'X-HubSpot-RateLimit-Remaining': String(decision.states[0].remaining),
			};
			if (!app.oauth) {
				headers['X-HubSpot-RateLimit-Daily'] = String(decision.states[1].limit);
				headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(decision.states[1].remaining);
			}
			if (!SEARCH.test(req.path)) req.locals.responseHeaders = { ...(/** @type {object} */ (req.locals.responseHeaders) || {}), ...headers };
			if (decision.allowed) return undefined;
			const policyName = decision.blocked === 0 ? 'TEN_SECONDLY_ROLLING' : 'DAILY';
			return { policy: policyName, response: refusal(policyName) };
		},
	});
}

module.exports = { createHubspotRateLimit, HUBSPOT_LIMIT_DEFAULTS: DEFAULTS, HUBSPOT_PLANS: PLANS };
