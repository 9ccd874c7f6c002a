// @ts-check
'use strict';

const { createSandboxServer } = require('../core/server');
const { loadSpec, createValidator } = require('../core/openapi');
const { loadVendorSpec, recordCheck } = require('../core/vendorSpecs');
const { flatQuery, presentedToken, addLatency, pageOf, clone } = require('../lib/common');
const { platformApi, marketplaceApi } = require('./api');

/**
 * Vendasta fake: the Platform API (JSON:API, under `/platform`) and the Marketplace vendor API (under `/api/v1`)
 * on one server. Requests are validated against the fake's own schemas (./api.js); with the vendor-spec layer on
 * (Q2C_VENDOR_SPECS) they are then also checked against Vendasta's published specs where those have the route.
 * `PATCH /platform/orders/{id}` (status change) is the connector's own JSON:API-convention design. Errors:
 * JSON:API `errors[]` (Platform), `{error_code, message, human_readable_message}` (Marketplace).
 */

const PLATFORM_BASE = '/platform';
const MARKETPLACE_BASE = '/api/v1';
const JSON_API = 'application/vnd.api+json';
const VENDOR_SUFFIX = " (per Vendasta's published spec)";
/** The documented lifecycle (same table as connectors/vmf/orders/updateStatus.ts). @type {Record<string, string[]>} */
const TRANSITIONS = {
	draft: ['submitted', 'processing', 'archived'],
	submitted: ['processing', 'declined', 'archived'],
	processing: ['fulfilled', 'archived'],
	error: ['processing', 'archived'],
	declined: ['archived'],
	fulfilled: ['archived'],
	archived: [],
	NotReady: [],
};

/**
 * @param {number} status @param {string} code @param {string} detail @param {{ pointer?: string, parameter?: string }} [source]
 * @returns {import('../core/server').SandboxResponse}
 */
function jsonApiError(status, code, detail, source) {
	const title = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' }[status] || 'Error';
	return { status, headers: { 'Content-Type': JSON_API }, body: { errors: [{ status: String(status), code, title, detail, ...(source ? { source } : {}) }] } };
}

/** @param {number} status @param {string} code @param {string} message @returns {import('../core/server').SandboxResponse} */
function marketplaceError(status, code, message) {
	return { status, body: { error_code: code, message, human_readable_message: message } };
}

/** @param {import('../core/server').SandboxRequest} req */
const isMarketplace = (req) => req.path.startsWith(`${MARKETPLACE_BASE}/`);

/**
 * A 400 in the API's error shape for a validation problem; `suffix` says which check found it.
 * @param {import('../core/server').SandboxRequest} req @param {import('../core/openapi').Problem} problem @param {string} suffix
 */
function invalid(req, problem, suffix) {
	const message = `${problem.message}${suffix}`;
	if (isMarketplace(req)) return marketplaceError(400, 'INVALID_ARGUMENT', message);
	const inQuery = req.method === 'GET' || problem.param in flatQuery(req.rawQuery);
	// A pointer is JSON Pointer into the body: '' is the whole document (say, a missing body).
	const source = inQuery ? { parameter: problem.param } : { pointer: problem.param ? `/${problem.param.replace(/\./g, '/')}` : '' };
	return jsonApiError(400, 'InvalidParameter', message, source);
}

/**
 * The first problem of a request against one validator, or null; undefined when the validator has no such route.
 * @param {ReturnType<typeof createValidator>} validator @param {import('../core/server').SandboxRequest} req
 * @returns {import('../core/openapi').Problem | null | undefined}
 */
function firstProblem(validator, req) {
	if (!validator.match(req.method, req.path)) return undefined;
	const result = validator.validateRequest({ method: req.method, path: req.path, query: flatQuery(req.rawQuery), body: req.body, contentType: String(req.headers['content-type'] || '') });
	return result.problems[0] || null;
}

/**
 * The vendor-spec layer for one API: a validator over Vendasta's published spec, or null when the layer is off.
 * @param {'vendastaPlatform' | 'vendastaMarketplace'} key @param {string} basePath @param {any} [given]
 */
function vendorValidator(key, basePath, given) {
	const spec = given || loadVendorSpec(key, loadSpec);
	return spec ? createValidator(spec, { basePath, paramStyle: 'dot' }) : null;
}

/**
 * `platformSpec` / `marketplaceSpec`: a stand-in for Vendasta's published spec in the vendor-spec layer (turns
 * the layer on for this fake whatever Q2C_VENDOR_SPECS says), so tests can reach the layer's rejection path.
 * @param {{ accessToken: string, marketplaceAccessToken?: string, latencyMs?: () => number, platformSpec?: any, marketplaceSpec?: any }} options
 */
function createVmfFake(options) {
	// Our own schemas carry the full request paths, so no basePath; the vendor specs are server-relative.
	const platform = createValidator(platformApi, { paramStyle: 'dot' });
	const marketplace = createValidator(marketplaceApi, { paramStyle: 'dot' });
	const vendor = {
		platform: vendorValidator('vendastaPlatform', PLATFORM_BASE, options.platformSpec),
		marketplace: vendorValidator('vendastaMarketplace', MARKETPLACE_BASE, options.marketplaceSpec),
	};
	const state = {
		/** @type {Map<string, { order: any, partnerId: string, customFields: any[] }>} */
		orders: new Map(),
		/** @type {Map<string, { id: string, status: string, history: any[] }>} */
		assignments: new Map(),
		/** @type {any[]} resolve calls, in order */
		activations: [],
	};

	const app = createSandboxServer({
		name: 'vmf',
		state: () => ({
			orders: [...state.orders.values()].map((o) => ({ ...clone(o.order), partnerId: o.partnerId, customFields: clone(o.customFields) })),
			subscriptionAssignments: clone([...state.assignments.values()]),
			activations: clone(state.activations),
		}),
		reset: () => {
			state.orders.clear();
			state.assignments.clear();
			state.activations = [];
		},
		faultBody: (status, req) =>
			isMarketplace(req)
				? marketplaceError(status, status === 429 ? 'RATE_LIMITED' : 'INTERNAL', `Injected fault ${status}`).body
				: jsonApiError(status, status === 429 ? 'RateLimited' : 'Internal', `Injected fault ${status}`).body,
		notFound: (req) =>
			isMarketplace(req) ? marketplaceError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`) : jsonApiError(404, 'NotFound', `No route for ${req.method} ${req.path}`),
		onError: (error, req) =>
			isMarketplace(req) ? marketplaceError(500, 'INTERNAL', String(error)) : jsonApiError(500, 'Internal', error instanceof Error ? error.message : String(error)),
	});

	app.before((req) => {
		const market = isMarketplace(req);
		const expected = market ? options.marketplaceAccessToken || options.accessToken : options.accessToken;
		const token = presentedToken(req.headers);
		if (token !== expected) {
			const message = token ? 'The access token is invalid or expired.' : 'Missing Authorization: Bearer <access token>.';
			return market ? marketplaceError(401, 'UNAUTHENTICATED', message) : jsonApiError(401, 'Unauthenticated', message);
		}
		if (req.bodyError) return market ? marketplaceError(400, 'INVALID_ARGUMENT', 'Malformed JSON body') : jsonApiError(400, 'InvalidBody', 'Malformed JSON body');
		const own = firstProblem(market ? marketplace : platform, req);
		if (own === undefined) return undefined; // no such route: notFound answers
		if (own) return invalid(req, own, '');
		const vendorCheck = market ? vendor.marketplace : vendor.platform;
		const problem = vendorCheck ? firstProblem(vendorCheck, req) : undefined;
		if (problem === undefined) return undefined; // layer off, or a route the vendor's spec lacks (our own design)
		recordCheck(market ? 'vendastaMarketplace' : 'vendastaPlatform', problem && `${req.method} ${req.path}: ${problem.message}`);
		return problem ? invalid(req, problem, VENDOR_SUFFIX) : undefined;
	});
	if (options.latencyMs) addLatency(app, options.latencyMs);

	const jsonApi = (/** @type {unknown} */ body, status = 200) => ({ status, headers: { 'Content-Type': JSON_API }, body });
	/** @param {string} id */
	const findOrder = (id) => state.orders.get(id);
	const orderNotFound = (/** @type {string} */ id) => jsonApiError(404, 'NotFound', `Order ${id} was not found.`);

	app.route('GET', `${PLATFORM_BASE}/orders`, (req) => {
		const query = flatQuery(req.rawQuery);
		const partner = query['filter[partner.id]'];
		const location = query['filter[businessLocation.id]'];
		const limit = Math.min(Math.max(Number(query['page[limit]'] || 25), 1), 100);
		const matches = [...state.orders.values()]
			.filter((o) => o.partnerId === partner && (!location || o.order.relationships.businessLocation.data.id === location))
			.map((o) => o.order);
		const { data, next } = pageOf(matches, limit, query['page[cursor]']);
		const self = `${app.url}${req.path}?${req.rawQuery}`;
		const links = { self, ...(next ? { next: `${app.url}${req.path}?filter[partner.id]=${encodeURIComponent(partner)}&page[limit]=${limit}&page[cursor]=${next}` } : {}) };
		return jsonApi({ data, links });
	});
	app.route('GET', `${PLATFORM_BASE}/orders/{id}`, (req) => {
		const found = findOrder(req.params.id);
		if (!found) return orderNotFound(req.params.id);
		return jsonApi({ data: found.order, links: { self: `${app.url}${req.path}` } });
	});
	app.route('GET', `${PLATFORM_BASE}/orders/{id}/customFields`, (req) => {
		const found = findOrder(req.params.id);
		if (!found) return orderNotFound(req.params.id);
		return jsonApi({ data: { id: req.params.id, type: 'orderCustomFields', attributes: { partnerFields: found.customFields } }, links: { self: `${app.url}${req.path}` } });
	});
	// Not in the published spec: the connector's JSON:API-convention status change (see updateStatus.ts).
	app.route('PATCH', `${PLATFORM_BASE}/orders/{id}`, (req) => {
		const found = findOrder(req.params.id);
		if (!found) return orderNotFound(req.params.id);
		// The schema (./api.js) checked the body's shape and the status; the URL and lifecycle are checked here.
		const data = /** @type {any} */ (req.body).data;
		if (data.id !== undefined && data.id !== found.order.id) return jsonApiError(409, 'conflict', 'data.id does not match the URL.', { pointer: '/data/id' });
		const status = data.attributes.statusCode;
		const current = found.order.attributes.statusCode;
		if (status !== current && !(TRANSITIONS[current] || []).includes(status)) {
			return jsonApiError(409, 'invalid_transition', `Order ${found.order.id} is "${current}" and cannot move to "${status}".`, { pointer: '/data/attributes/statusCode' });
		}
		found.order.attributes.statusCode = status;
		return jsonApi({ data: found.order });
	});

	/** @param {string} id */
	const assignmentMissing = (id) => jsonApiError(404, 'NotFound', `Subscription assignment ${id} was not found.`);
	app.route('GET', `${PLATFORM_BASE}/subscriptionAssignments/{id}`, (req) => {
		const found = state.assignments.get(req.params.id);
		if (!found) return assignmentMissing(req.params.id);
		return jsonApi({ data: { id: req.params.id, type: 'subscriptionAssignments', attributes: clone(found) } });
	});
	app.route('POST', `${PLATFORM_BASE}/subscriptionAssignments/{id}/actions/requestCancellation`, (req) => {
		const found = state.assignments.get(req.params.id);
		if (!found) return assignmentMissing(req.params.id);
		const body = /** @type {any} */ (req.body) || {};
		const deactivationType = body.deactivationType || 'cancel';
		found.status = deactivationType === 'immediate' ? 'canceled' : 'pending_cancellation';
		found.history.push({ action: 'requestCancellation', reason: body.reason || [], comments: body.comments ?? null, deactivationType, at: new Date().toISOString() });
		return { status: 204 };
	});
	app.route('POST', `${PLATFORM_BASE}/subscriptionAssignments/{id}/actions/undoCancellation`, (req) => {
		const found = state.assignments.get(req.params.id);
		if (!found) return assignmentMissing(req.params.id);
		found.status = 'active';
		found.history.push({ action: 'undoCancellation', at: new Date().toISOString() });
		return { status: 204 };
	});
	app.route('POST', `${MARKETPLACE_BASE}/activation/resolve/`, (req) => {
		const body = /** @type {any} */ (req.body);
		if (body.approved === false && !body.rejection_reason) return marketplaceError(400, 'INVALID_ARGUMENT', 'rejection_reason is required when approved is false');
		state.activations.push({ ...body, idempotencyKey: req.headers['idempotency-key'] ?? null, at: new Date().toISOString() });
		return { status: 202 };
	});

	/**
	 * Store an order with its custom fields, and an active subscription assignment per line item.
	 * @param {{ order: any, partnerId: string, customFields: any[], activationId?: string }} record
	 */
	function putOrder(record) {
		state.orders.set(record.order.id, { order: record.order, partnerId: record.partnerId, customFields: record.customFields });
		const location = record.order.relationships.businessLocation.data.id;
		for (const item of record.order.attributes.lineItems) {
			const id = `${location}:${item.sku}:${record.activationId || 'activation-1'}`;
			state.assignments.set(id, { id, status: 'active', history: [] });
		}
	}

	return { app, state, putOrder, listen: app.listen, close: app.close, PLATFORM_BASE, MARKETPLACE_BASE };
}

module.exports = { createVmfFake, jsonApiError, marketplaceError, PLATFORM_BASE, MARKETPLACE_BASE };
