// @ts-check
'use strict';

const crypto = require('node:crypto');
const { signStripePayload } = require('./events');

/**
 * The account's webhook endpoints and the delivery of events to them, as Stripe does it: each event goes to every
 * enabled endpoint whose `enabled_events` match (`*` = all), signed `Stripe-Signature` with that endpoint's secret
 * (re-signed with a fresh timestamp on every attempt), and retried on a non-2xx answer or a network error. Stripe
 * retries for days with exponential back-off; the sandbox makes `attempts` tries `backoffMs × attempt` apart.
 * Deliveries to one endpoint go out one after the other, so a receiver sees events in the order they happened.
 *
 * Endpoints are account settings: a sandbox reset clears the deliveries but keeps the endpoints.
 *
 * @typedef {{ id: string, object: 'webhook_endpoint', url: string, secret: string, enabled_events: string[], status: 'enabled', created: number }} Endpoint
 * @typedef {{ event: string, type: string, endpoint: string, url: string, attempts: { at: string, status: number | null, error?: string }[], delivered: boolean }} Delivery
 */

/**
 * @param {{ secret?: string, attempts?: number, backoffMs?: number, timeoutMs?: number }} [options]
 *   secret: what endpoints registered without their own secret sign with (the stack's one signing secret)
 */
function createWebhookDispatcher(options = {}) {
	const maxAttempts = options.attempts ?? 4;
	const backoffMs = options.backoffMs ?? 100;
	/** @type {Map<string, Endpoint>} */
	const endpoints = new Map();
	/** @type {Map<string, Promise<unknown>>} */
	const chains = new Map();
	/** @type {Delivery[]} */
	let deliveries = [];
	const lifecycle = { closed: false };

	/** @param {Endpoint} endpoint @param {Record<string, any>} event @param {Delivery} delivery */
	async function deliver(endpoint, event, delivery) {
		const payload = JSON.stringify(event, null, 2);
		for (let attempt = 1; attempt <= maxAttempts && !lifecycle.closed; attempt++) {
			const headers = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'Stripe-Signature': signStripePayload(payload, endpoint.secret) };
			try {
				const response = await fetch(endpoint.url, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
				await response.arrayBuffer().catch(() => undefined);
				delivery.attempts.push({ at: new Date().toISOString(), status: response.status });
				if (response.ok) {
					delivery.delivered = true;
					return;
				}
			} catch (error) {
				delivery.attempts.push({ at: new Date().toISOString(), status: null, error: error instanceof Error ? error.message : String(error) });
			}
			if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * attempt).unref());
		}
	}

	return {
		/**
		 * Register an endpoint (what the Dashboard or `POST /v1/webhook_endpoints` does); the answer includes the secret.
		 * @param {{ url: string, secret?: string, enabledEvents?: string[] }} input
		 * @returns {Endpoint}
		 */
		add(input) {
			if (!input || typeof input.url !== 'string' || !/^https?:\/\//.test(input.url)) throw Object.assign(new Error('Expected { url: "http(s)://…", secret?, enabledEvents? }'), { status: 400 });
			const endpoint = /** @type {Endpoint} */ ({
				id: `we_${crypto.randomBytes(12).toString('hex')}`,
				object: 'webhook_endpoint',
				url: input.url,
				secret: input.secret || options.secret || `whsec_${crypto.randomBytes(24).toString('hex')}`,
				enabled_events: input.enabledEvents?.length ? input.enabledEvents : ['*'],
				status: 'enabled',
				created: Math.floor(Date.now() / 1000),
			});
			endpoints.set(endpoint.id, endpoint);
			return { ...endpoint };
		},
		/** @param {string} id */
		remove: (id) => endpoints.delete(id),
		/** Registered endpoints, without their secrets. */
		list: () => [...endpoints.values()].map(({ secret, ...shown }) => shown),
		/** @param {Record<string, any>} event a built event (./events.js buildStripeEvent) */
		dispatch(event) {
			for (const endpoint of endpoints.values()) {
				if (!endpoint.enabled_events.includes('*') && !endpoint.enabled_events.includes(event.type)) continue;
				/** @type {Delivery} */
				const delivery = { event: event.id, type: event.type, endpoint: endpoint.id, url: endpoint.url, attempts: [], delivered: false };
				deliveries.push(delivery);
				const next = (chains.get(endpoint.id) || Promise.resolve()).then(() => deliver(endpoint, event, delivery)).catch(() => undefined);
				chains.set(endpoint.id, next);
			}
		},
		deliveries: () => deliveries.map((d) => ({ ...d, attempts: [...d.attempts] })),
		/** Resolves when every queued delivery succeeded or ran out of attempts. */
		idle: async () => {
			await Promise.all([...chains.values()]);
		},
		reset() {
			deliveries = [];
		},
		close() {
			lifecycle.closed = true;
		},
	};
}

module.exports = { createWebhookDispatcher };
