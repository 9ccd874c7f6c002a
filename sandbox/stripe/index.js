// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { loadSpec, createValidator } = require('../core/openapi');
const { loadVendorSpec, recordCheck } = require('../core/vendorSpecs');
const { ownApi, isStripeResource } = require('./api');
const { StripeStore, clone } = require('./store');
const { StripeFakeError, stripeError, faultBody } = require('./errors');
const { registerCatalog } = require('./catalog');
const { registerBilling } = require('./billing');
const { registerInvoices } = require('./invoices');
const { applyExtensions } = require('./extensions');
const { buildStripeEvent, sendStripeEvent, signStripePayload } = require('./events');
const { createStripeRateLimit } = require('./rateLimit');
const { registerCheckout } = require('./checkout');
const { registerMeters, ensureMeteredCatalog } = require('./meters');
const { createWebhookDispatcher } = require('./webhookEndpoints');
const { registerHostedCheckout } = require('./hostedCheckout');

/**
 * A stateful Stripe v1 fake on loopback: requests validated against its own API description (./api.js) and,
 * with the vendor-spec layer on, against Stripe's published spec too; Stripe's auth and error shapes,
 * Idempotency-Key semantics, plus the sandbox's fault injection and inspection endpoints.
 */

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
 * A validation failure in Stripe's 400 shape.
 * @param {import('../core/schema').Problem} problem
 * @param {string} [suffix]
 */
function invalidRequest(problem, suffix = '') {
	/** @type {import('./errors').StripeErrorFields} */
	const fields = { message: `${problem.message}${suffix}` };
	if (problem.param) fields.param = problem.param;
	if (problem.code.startsWith('parameter_')) fields.code = problem.code;
	return stripeError(400, fields).toResponse();
}

/**
 * @param {{ apiKeys?: string[], now?: () => number, vendorLimits?: boolean | Partial<import('./rateLimit').StripeLimits>, webhookSecret?: string, webhookAttempts?: number, webhookBackoffMs?: number }} [options]
 *   apiKeys: the only keys accepted (default: any `sk_test_…` / `rk_test_…`); now: clock in ms (also the rate
 *   limiter's); vendorLimits: Stripe's rate limits (./rateLimit.js), off by default; webhookSecret: the signing
 *   secret of endpoints registered without one (./webhookEndpoints.js); webhookAttempts / webhookBackoffMs: tries
 *   per event delivery (4) and the pause between them (100 ms × attempt).
 */
function createStripeFake(options = {}) {
	const validator = createValidator(ownApi, { queryAsBody: ['DELETE'] });
	// The optional layer: Stripe's published spec (plus what newer API versions add), when Q2C_VENDOR_SPECS is set.
	const vendorSpec = loadVendorSpec('stripe', (file) => applyExtensions(loadSpec(file)));
	const vendorValidator = vendorSpec ? createValidator(vendorSpec, { queryAsBody: ['DELETE'] }) : null;
	const store = new StripeStore({ now: options.now });
	const rateLimit = createStripeRateLimit({ now: options.now });
	rateLimit.configure(options.vendorLimits);
	/** @type {Map<string, { fingerprint: string, status: number, body: unknown, requestId: string }>} */
	let idempotency = new Map();
	/** @type {any[]} */
	let events = [];
	const webhooks = createWebhookDispatcher({ secret: options.webhookSecret, attempts: options.webhookAttempts, backoffMs: options.webhookBackoffMs });
	/** Record an event for something that happened and deliver it to the registered endpoints. @param {string} type @param {any} object */
	const emit = (type, object) => {
		const event = store.put(buildStripeEvent(type, clone(object), { created: store.now() }));
		webhooks.dispatch(clone(event));
	};

	const app = createSandboxServer({
		name: 'stripe',
		state: () => ({
			objects: store.snapshot(),
			idempotencyKeys: [...idempotency.keys()].map((k) => k.split('\n')[1]),
			events,
			webhookEndpoints: webhooks.list(),
			webhookDeliveries: webhooks.deliveries(),
			...meters.state(),
		}),
		reset: () => {
			store.reset();
			rateLimit.reset();
			idempotency = new Map();
			events = [];
			meters.reset();
			payments.reset();
			webhooks.reset();
		},
		faultBody,
		notFound: (req) => {
			const known = vendorValidator ? vendorValidator.match(req.method, req.path) : isStripeResource(req.path);
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
		const limited = rateLimit.check(req, key); // per account: after auth, before validation
		if (limited) return limited;
		if (!req.route) return undefined; // notFound answers
		if (req.bodyError) return stripeError(400, { message: `Invalid request body: ${req.bodyError.message}` }).toResponse();
		const request = { method: req.method, path: req.path, query: req.rawQuery, body: req.body, contentType: String(req.headers['content-type'] || '') };
		const result = validator.validateRequest(request);
		if (result.problems.length > 0) return invalidRequest(result.problems[0]);
		if (vendorValidator) {
			const [problem] = vendorValidator.validateRequest(request).problems;
			recordCheck('stripe', problem ? `${req.method} ${req.path}: ${problem.message}` : null);
			if (problem) return invalidRequest(problem, " (per Stripe's published spec)");
		}
		// Handlers get what our own description coerced.
		req.locals.params = { ...result.query, ...(/** @type {object} */ (result.body) || {}) };
		return undefined;
	});

	/** @type {string[]} */
	const served = [];
	/** @type {import('./catalog').Register} */
	const on = (method, template, handler) => {
		// Every endpoint served is declared in ./api.js (what is validated is what is served).
		if (!ownApi.paths[template]?.[method.toLowerCase()]) throw new Error(`sandbox/stripe/api.js does not declare ${method} ${template}`);
		served.push(`${method} ${template}`);
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
			if (typeof key !== 'string' || req.method === 'GET') {
				const response = run();
				return { ...response, headers: { ...headers, .../** @type {any} */ (response).headers } };
			}
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
			return { ...response, headers: { ...headers, .../** @type {any} */ (response).headers, 'Idempotency-Key': key, 'Original-Request': requestId } };
		});
	};
	registerCatalog(on, store);
	registerBilling(on, store);
	registerInvoices(on, store);
	registerCheckout(on, store, { emit, baseUrl: () => app.url });
	const meters = registerMeters(on, store);
	const payments = registerHostedCheckout(app, store, { emit, webhooks });

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

	const close = app.close;
	return {
		app,
		store,
		rateLimit,
		api: ownApi,
		served,
		validator,
		vendorValidator,
		sendEvent,
		/** Webhook endpoints and event delivery: add({ url, secret?, enabledEvents? }), remove, list, deliveries, idle. */
		webhooks,
		/** The hosted Checkout page's stand-in: pay(sessionId, { outcome | card }), settle(sessionId, 'succeeded' | 'failed'). */
		checkout: payments,
		/** Seed the `q2c_api_calls` meter and its metered price (`api_calls_metered`); returns their ids. */
		ensureMeteredCatalog: () => ensureMeteredCatalog(store),
		listen: app.listen,
		close: async () => {
			webhooks.close();
			await close();
		},
		get url() {
			return app.url;
		},
	};
}

module.exports = { createStripeFake, signStripePayload, buildStripeEvent, sendStripeEvent };

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
