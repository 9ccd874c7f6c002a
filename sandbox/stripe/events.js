// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * Signed Stripe webhook events, as Stripe sends them: `Stripe-Signature: t=<unix>,v1=<hex>` where v1 is
 * HMAC-SHA256(secret, `${t}.${raw body}`). Several secrets give several v1 values (secret rotation).
 */

/**
 * @param {string} payload the exact body that will be sent
 * @param {string | string[]} secrets webhook signing secret(s) (`whsec_…`)
 * @param {number} [timestamp] unix seconds (default now; pass an old one to test staleness)
 */
function signStripePayload(payload, secrets, timestamp = Math.floor(Date.now() / 1000)) {
	const list = Array.isArray(secrets) ? secrets : [secrets];
	const signatures = list.map((secret) => `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`);
	return `t=${timestamp},${signatures.join(',')}`;
}

/**
 * An event envelope like Stripe's.
 * @param {string} type e.g. `customer.subscription.updated`
 * @param {Record<string, unknown>} object the event's `data.object`
 * @param {{ id?: string, created?: number, apiVersion?: string, previousAttributes?: Record<string, unknown>, requestId?: string | null, idempotencyKey?: string | null }} [options]
 */
function buildStripeEvent(type, object, options = {}) {
	/** @type {Record<string, unknown>} */
	const data = { object };
	if (options.previousAttributes) data.previous_attributes = options.previousAttributes;
	return {
		id: options.id || `evt_${crypto.randomBytes(12).toString('hex')}`,
		object: 'event',
		api_version: options.apiVersion || '2023-08-16',
		created: options.created ?? Math.floor(Date.now() / 1000),
		data,
		livemode: false,
		pending_webhooks: 1,
		request: { id: options.requestId ?? null, idempotency_key: options.idempotencyKey ?? null },
		type,
	};
}

/**
 * POST a signed event to a webhook URL.
 * @param {string} url
 * @param {Record<string, unknown>} event see buildStripeEvent
 * @param {{ secret: string | string[], timestamp?: number, headers?: Record<string, string>, signature?: string }} options
 *   `signature` overrides the computed header (forged / malformed cases)
 * @returns {Promise<{ status: number, body: string, signature: string, payload: string }>}
 */
async function sendStripeEvent(url, event, options) {
	const payload = JSON.stringify(event, null, 2);
	const signature = options.signature ?? signStripePayload(payload, options.secret, options.timestamp);
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'Stripe-Signature': signature, ...(options.headers || {}) },
		body: payload,
	});
	return { status: response.status, body: await response.text(), signature, payload };
}

module.exports = { signStripePayload, buildStripeEvent, sendStripeEvent };
