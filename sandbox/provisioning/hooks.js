// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * Outbound webhooks of the CI / Terraform fakes: deliveries go out one after the other (so a receiver sees
 * status changes in order), each retried on a non-2xx answer or a network error up to `attempts` times with
 * `backoffMs` between tries. Every attempt is recorded for inspection.
 *
 * @typedef {{ id: string, label: string, url: string, headers: Record<string, string>, body: string,
 *   attempts: { at: string, status: number | null, error?: string }[], delivered: boolean }} Delivery
 */

/** @param {{ attempts?: number, backoffMs?: number, timeoutMs?: number }} [options] */
function createDeliverer(options = {}) {
	const maxAttempts = options.attempts ?? 4;
	const backoffMs = options.backoffMs ?? 200;
	/** @type {Delivery[]} */
	let deliveries = [];
	/** @type {Promise<unknown>} */
	let chain = Promise.resolve();
	const lifecycle = { closed: false };

	/** @param {Delivery} delivery */
	async function attemptAll(delivery) {
		for (let attempt = 1; attempt <= maxAttempts && !lifecycle.closed; attempt++) {
			try {
				const res = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
				await res.arrayBuffer().catch(() => undefined);
				delivery.attempts.push({ at: new Date().toISOString(), status: res.status });
				if (res.ok) {
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
		 * Queue one delivery; resolves when it was delivered or gave up.
		 * @param {{ label: string, url: string, headers: Record<string, string>, body: string }} request
		 */
		deliver(request) {
			/** @type {Delivery} */
			const delivery = { id: crypto.randomUUID(), ...request, attempts: [], delivered: false };
			deliveries.push(delivery);
			const done = chain.then(() => attemptAll(delivery));
			chain = done.catch(() => undefined);
			return done.then(() => delivery);
		},
		/** Wait for every queued delivery. */
		idle: () => chain,
		/** Deliveries so far, oldest first (bodies parsed when JSON). */
		list: () => deliveries.map((d) => ({ ...d, body: safeJson(d.body) })),
		reset() {
			deliveries = [];
		},
		close() {
			lifecycle.closed = true;
		},
	};
}

/** @param {string} text */
function safeJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

module.exports = { createDeliverer };
