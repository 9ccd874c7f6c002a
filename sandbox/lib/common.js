// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * Helpers shared by the JSON fakes (VMF, VTM, super admin): bearer auth, flat query decoding for spec
 * validation, Idempotency-Key replay/conflict and a latency hook.
 */

/** @param {unknown} value @returns {string} */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.filter((k) => /** @type {any} */ (value)[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(/** @type {any} */ (value)[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value === undefined ? null : value);
}

/** Query string → flat object, keeping names like `filter[partner.id]` as the spec declares them. @param {string} raw */
function flatQuery(raw) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [key, value] of new URLSearchParams(raw)) out[key] = value;
	return out;
}

/**
 * The token from `Authorization: Bearer …` (or `X-Api-Key` when allowed).
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {{ apiKeyHeader?: boolean }} [options]
 */
function presentedToken(headers, options = {}) {
	const bearer = /^Bearer\s+(\S+)$/i.exec(String(headers.authorization || ''));
	if (bearer) return bearer[1];
	if (options.apiKeyHeader && typeof headers['x-api-key'] === 'string') return headers['x-api-key'];
	return null;
}

/** @param {string} prefix */
const newId = (prefix) => `${prefix}${crypto.randomBytes(5).toString('hex').toUpperCase()}`;

/**
 * Idempotency-Key semantics of our own APIs: same key + same body → the stored answer (replayed), same key +
 * another body or endpoint → the `conflict` response. Only results of handlers are stored, never faults or
 * auth/validation failures (those return before `run`). Handlers are synchronous, so check-run-store is atomic.
 * `keep` picks what of an answer is stored (e.g. not a secret shown once).
 * @param {{ conflict: (key: string) => import('../core/server').SandboxResponse,
 *   replay?: (stored: { status: number, body: unknown }) => { status: number, body: unknown },
 *   keep?: (body: unknown) => unknown }} options
 */
function createIdempotency(options) {
	/** @type {Map<string, { fingerprint: string, status: number, body: unknown }>} */
	let stored = new Map();
	return {
		/**
		 * @param {import('../core/server').SandboxRequest} req
		 * @param {string} scope credential the key belongs to
		 * @param {() => import('../core/server').SandboxResponse} handler
		 * @returns {import('../core/server').SandboxResponse}
		 */
		run(req, scope, handler) {
			const key = req.headers['idempotency-key'];
			if (typeof key !== 'string' || key === '' || req.method === 'GET') return handler();
			const scoped = `${scope}\n${key}`;
			const fingerprint = canonical({ method: req.method, path: req.path, body: req.body ?? null });
			const previous = stored.get(scoped);
			if (previous && previous.fingerprint !== fingerprint) return options.conflict(key);
			if (previous) {
				const replayed = options.replay ? options.replay(previous) : previous;
				return { status: replayed.status, body: replayed.body, headers: { 'Idempotent-Replayed': 'true' } };
			}
			const response = handler();
			const status = response.status || 200;
			if (status < 500) stored.set(scoped, { fingerprint, status, body: options.keep ? options.keep(response.body) : response.body });
			return response;
		},
		keys: () => [...stored.keys()].map((k) => k.split('\n')[1]),
		reset() {
			stored = new Map();
		},
	};
}

/**
 * Adds a sandbox-wide latency to every vendor call of an app (after faults and auth, before the handler).
 * @param {{ before: (hook: import('../core/server').Handler) => unknown }} app
 * @param {() => number} latencyMs
 */
function addLatency(app, latencyMs) {
	app.before(async () => {
		const ms = latencyMs();
		if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
		return undefined;
	});
}

/** Paginate by offset cursor. @template T @param {T[]} items @param {number} limit @param {string | undefined} cursor */
function pageOf(items, limit, cursor) {
	const start = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
	const data = items.slice(start, start + limit);
	const next = start + limit < items.length ? String(start + limit) : null;
	return { data, next };
}

const clone = (/** @type {any} */ value) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

module.exports = { canonical, flatQuery, presentedToken, newId, createIdempotency, addLatency, pageOf, clone };
