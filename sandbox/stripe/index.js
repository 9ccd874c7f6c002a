// @ts-check
'use strict';

const crypto = require('node:crypto');
const path = require('node:path');
const { createSandboxServer } = require('../core/server');
const { loadSpec, createValidator } = require('../core/openapi');
const { StripeStore, clone } = require('./store');
const { StripeFakeError, stripeError, faultBody } = require('./errors');
const { registerCatalog } = require('./catalog');
const { registerBilling } = require('./billing');
const { registerInvoices } = require('./invoices');
const { applyExtensions } = require('./extensions');
const { buildStripeEvent, sendStripeEvent, signStripePayload } = require('./events');

/**
 * A stateful Stripe v1 fake on loopback: spec-validated requests, Stripe's auth and error shapes,
 * Idempotency-Key semantics, plus the sandbox's fault injection and inspection endpoints.
 */

const DEFAULT_SPEC = path.resolve(__dirname, '../../../shared/reference/stripe-openapi-v1-2023-08-16.yaml');
const SPEC_VERSION = '2023-08-16';
const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

/** @param {string} key */
const maskKey = (key) => `${key.slice(0, 8)}${'*'.repeat(Math.max(key.length - 12, 4))}${key.slice(-4)}`;

/** @param {unknown} value @returns {string} */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(/** @type {any} */ (value)[k])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * @param {import('http').IncomingHttpHeaders} headers
 * @returns {string | null} the API key, from Bearer or Basic auth
 */
function apiKeyOf(headers) {
	const auth = String(headers.authorization || '');
	const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
	if (bearer) return bearer[1];
	const basic = /^Basic\s+(\S+)$/i.exec(auth);
	if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] || null;
	return null;
}

/**
 * @param {{ specPath?: string, spec?: any, apiKeys?: string[], now?: () => number, cacheDir?: string | false }} [options]
 *   apiKeys: the only keys accepted (default: any `sk_test_…` / `rk_test_…`); now: clock in ms.
 */
function createStripeFake(options = {}) {
	const spec = options.spec || loadSpec(options.specPath || process.env.Q2C_STRIPE_SPEC || DEFAULT_SPEC, { cacheDir: options.cacheDir });
	const validator = createValidator(applyExtensions(spec), { queryAsBody: ['DELETE'] });
	const store = new StripeStore({ now: options.now });
	/** @type {Map<string, { fingerprint: string, status: number, body: unknown, requestId: string }>} */
	let idempotency = new Map();
	/** @type {any[]} */
	let events = [];

	const app = createSandboxServer({
		name: 'stripe',
		state: () => ({ objects: store.snapshot(), idempotencyKeys: [...idempotency.keys()].map((k) => k.split('\n')[1]), events }),
		reset: () => {
			store.reset();
			idempotency = new Map();
			events = [];
		},
		faultBody,
		notFound: (req) => {
			const known = validator.match(req.method, req.path);
			const suffix = known ? ' (the Stripe sandbox does not implement this endpoint)' : '';
			return stripeError(404, { message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.${suffix}` }).toResponse();
		},
		onError: (error) =>
			error instanceof StripeFakeError ? error.toResponse() : { status: 500, body: { error: { type: 'api_error', message: `Sandbox error: ${error instanceof Error ? error.message : String(error)}` } } },
	});

	app.before((req) => {
		const key = apiKeyOf(req.headers);
		if (!key) {
			return {
				status: 401,
				headers: { 'WWW-Authenticate': 'Bearer realm="Stripe"' },
				body: { error: { type: 'invalid_request_error', message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/." } },
			};
		}
		const accepted = options.apiKeys ? options.apiKeys.includes(key) : TEST_KEY.test(key);
		if (!accepted) return { status: 401, body: { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${maskKey(key)}` } } };
		req.locals.apiKey = key;
		if (!req.route) return undefined; // notFound answers
		if (req.bodyError) return stripeError(400, { message: `Invalid request body: ${req.bodyError.message}` }).toResponse();
		const result = validator.validateRequest({ method: req.method, path: req.path, query: req.rawQuery, body: req.body, contentType: String(req.headers['content-type'] || '') });
		if (result.problems.length > 0) {
			const [first] = result.problems;
			/** @type {import('./errors').StripeErrorFields} */
			const fields = { message: first.message };
			if (first.param) fields.param = first.param;
			if (first.code.startsWith('parameter_')) fields.code = first.code;
			return stripeError(400, fields).toResponse();
		}
		req.locals.params = { ...result.query, ...(/** @type {object} */ (result.body) || {}) };
		return undefined;
	});

	/** @type {import('./catalog').Register} */
	const on = (method, template, handler) => {
		app.route(method, template, (req) => {
			const requestId = `req_${crypto.randomBytes(7).toString('hex')}`;
			const headers = { 'Request-Id': requestId, 'Stripe-Version': String(req.headers['stripe-version'] || SPEC_VERSION) };
			const params = /** @type {Record<string, any>} */ (req.locals.params);
			const run = () => {
				try {
					const result = handler({ params, path: req.params });
					return { status: 200, body: store.expand(clone(result), params.expand) };
				} catch (error) {
					if (error instanceof StripeFakeError) return error.toResponse();
					throw error;
				}
			};
			const key = req.headers['idempotency-key'];
			if (typeof key !== 'string' || req.method === 'GET') return { ...run(), headers };
			if (key.length > 255) return { ...stripeError(400, { message: 'Invalid Idempotency-Key: it must be at most 255 characters long.' }).toResponse(), headers };
			// Keys are per account (API key); the fingerprint covers endpoint and parameters.
			const scoped = `${req.locals.apiKey}\n${key}`;
			const fingerprint = canonical({ method: req.method, path: req.path, params });
			const stored = idempotency.get(scoped);
			if (stored && stored.fingerprint !== fingerprint) {
				const error = stripeError(400, {
					type: 'idempotency_error',
					message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
				});
				return { ...error.toResponse(), headers };
			}
			if (stored) {
				return { status: stored.status, body: stored.body, headers: { ...headers, 'Idempotency-Key': key, 'Idempotent-Replayed': 'true', 'Original-Request': stored.requestId } };
			}
			// Handlers are synchronous, so check-run-store is atomic: concurrent requests with one key get one object.
			const response = run();
			idempotency.set(scoped, { fingerprint, status: response.status, body: response.body, requestId });
			return { ...response, headers: { ...headers, 'Idempotency-Key': key, 'Original-Request': requestId } };
		});
	};
	registerCatalog(on, store);
	registerBilling(on, store);
	registerInvoices(on, store);

	/**
	 * Send a signed event to a webhook URL; `objectId` takes the object from the store (`sub_…`, `in_…`, …).
	 * @param {{ url: string, secret: string | string[], type: string, object?: Record<string, unknown>, objectId?: string, previousAttributes?: Record<string, unknown>, timestamp?: number, signature?: string }} input
	 */
	async function sendEvent(input) {
		let object = input.object;
		if (!object && input.objectId) object = /** @type {any} */ (store.expand({ ref: input.objectId }, ['ref'])).ref;
		if (!object || typeof object !== 'object') throw Object.assign(new Error(`sendEvent needs object or a stored objectId (got ${input.objectId ?? 'nothing'})`), { status: 400 });
		const event = buildStripeEvent(input.type, object, { previousAttributes: input.previousAttributes, created: store.now() });
		const result = await sendStripeEvent(input.url, event, { secret: input.secret, timestamp: input.timestamp, signature: input.signature });
		events.push({ event, url: input.url, status: result.status });
		return { ...result, event };
	}

	app.route('POST', '/__sandbox/stripe/events', async (req) => {
		try {
			return { body: await sendEvent(/** @type {any} */ (req.body)) };
		} catch (error) {
			return { status: /** @type {any} */ (error).status || 502, body: { error: error instanceof Error ? error.message : String(error) } };
		}
	});

	return { app, store, spec, validator, sendEvent, listen: app.listen, close: app.close, get url() { return app.url; } };
}

module.exports = { createStripeFake, signStripePayload, buildStripeEvent, sendStripeEvent, DEFAULT_SPEC };

if (require.main === module) {
	const port = Number(process.env.PORT || process.argv[2] || 0);
	const fake = createStripeFake();
	fake.listen(port).then(({ url }) => {
		process.stdout.write(`stripe sandbox listening on ${url}\n`);
	});
	const stop = () => fake.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
