// @ts-check
'use strict';

const crypto = require('node:crypto');
const path = require('node:path');
const { createSandboxServer } = require('../core/server');
const { loadSpec, createValidator } = require('../core/openapi');
const { flatQuery, presentedToken, createIdempotency, addLatency, pageOf, newId, clone } = require('../lib/common');
const { registerTenantDatabaseRoutes } = require('./tenantDatabase');

/**
 * Super-admin entitlement fake implementing our published OpenAPI (connectors/superadmin/openapi.yaml): tenants,
 * subscriptions with their tier's feature flags, maintenance mode and API keys; `Bearer` or `X-Api-Key` auth;
 * `{ error: { code, message, field } }` errors; Idempotency-Key replay (create replays answer 200; API-key replays
 * give the key's current metadata with `secretReturned: false` and no secret) and 409 `idempotency_conflict`.
 */

const SPEC = path.resolve(__dirname, '../../connectors/superadmin/openapi.yaml');

/** An API key as the API shows it: everything but the secret's hash. @param {any} key */
const keyMetadata = ({ secretHash, ...metadata }) => clone(metadata);

/** @param {number} status @param {string} code @param {string} message @param {string} [field] */
const adminError = (status, code, message, field) => ({ status, body: { error: { code, message, ...(field ? { field } : {}) } } });

/** @param {{ apiKey: string, latencyMs?: () => number, spec?: any }} options */
function createSuperAdminFake(options) {
	const validator = createValidator(options.spec || loadSpec(SPEC), { paramStyle: 'dot' });
	const state = {
		/** @type {Map<string, any>} */
		tenants: new Map(),
		/** @type {Map<string, any>} */
		subscriptions: new Map(),
		/** @type {Map<string, any>} */
		featureFlags: new Map(),
		/** @type {Map<string, any>} */
		maintenance: new Map(),
		/** @type {Map<string, any>} */
		apiKeys: new Map(),
		/** @type {Map<string, any>} which database each tenant's app uses (tenantDatabase.js) */
		databases: new Map(),
	};
	const idempotency = createIdempotency({
		conflict: (key) => adminError(409, 'idempotency_conflict', `Idempotency-Key ${key} was already used with a different request.`, 'Idempotency-Key'),
		keep: (body) => (body && typeof body === 'object' && 'secret' in body ? { ...body, secret: undefined } : body),
		replay: (stored) => {
			const body = /** @type {any} */ (clone(stored.body));
			if (body && body.changed === true) body.changed = false;
			if (stored.status !== 201) return { status: stored.status, body };
			// Secrets are never stored: an API-key replay is the key as it is now (revoked since?), without one.
			const key = body && body.secretReturned === true ? state.apiKeys.get(body.id) : undefined;
			if (key) return { status: 200, body: { ...keyMetadata(key), secretReturned: false } };
			return { status: 200, body };
		},
	});

	const app = createSandboxServer({
		name: 'superAdmin',
		state: () => ({
			tenants: clone([...state.tenants.values()]),
			subscriptions: clone([...state.subscriptions.values()]),
			featureFlags: clone([...state.featureFlags.values()]),
			maintenance: clone([...state.maintenance.values()]),
			apiKeys: [...state.apiKeys.values()].map(keyMetadata),
			databases: clone([...state.databases.values()]),
			idempotencyKeys: idempotency.keys(),
		}),
		reset: () => {
			for (const map of Object.values(state)) map.clear();
			idempotency.reset();
		},
		faultBody: (status) => adminError(status, status === 429 ? 'rate_limited' : status === 503 ? 'unavailable' : 'internal_error', `Injected fault ${status}`).body,
		notFound: (req) => adminError(404, 'not_found', `No route for ${req.method} ${req.path}`),
		onError: (error) => adminError(500, 'internal_error', error instanceof Error ? error.message : String(error)),
	});

	app.before((req) => {
		if (presentedToken(req.headers, { apiKeyHeader: true }) !== options.apiKey) return adminError(401, 'unauthorized', 'Missing or invalid API key.');
		if (req.bodyError) return adminError(400, 'invalid_request', 'Malformed JSON body', 'body');
		const result = validator.validateRequest({ method: req.method, path: req.path, query: flatQuery(req.rawQuery), body: req.body, contentType: String(req.headers['content-type'] || '') });
		if (!result.match) return undefined;
		if (result.problems.length) return adminError(400, 'validation_error', result.problems[0].message, result.problems[0].param || undefined);
		const key = req.headers['idempotency-key'];
		if (typeof key === 'string' && key.length > 255) return adminError(400, 'validation_error', 'Idempotency-Key must be at most 255 characters.', 'Idempotency-Key');
		req.locals.query = result.query;
		return undefined;
	});
	if (options.latencyMs) addLatency(app, options.latencyMs);

	/** Run a write under the Idempotency-Key, scoped to the credential. @param {import('../core/server').SandboxRequest} req @param {() => import('../core/server').SandboxResponse} fn */
	const write = (req, fn) => idempotency.run(req, options.apiKey, fn);
	/** @param {string} id */
	const tenantMissing = (id) => adminError(404, 'tenant_not_found', `Tenant ${id} was not found.`, 'tenantId');
	const now = () => new Date().toISOString();

	app.route('GET', '/v1/health', () => ({ body: { status: 'ok' } }));
	app.route('GET', '/v1/tenants', (req) => {
		const query = /** @type {any} */ (req.locals.query);
		const needle = String(query.query || '').toLowerCase();
		const matches = [...state.tenants.values()].filter((t) => !needle || [t.name, t.id, t.ownerEmail, t.subdomain].some((v) => String(v || '').toLowerCase().includes(needle)));
		const { data, next } = pageOf(matches, query.limit || 50, query.cursor);
		return { body: { data, nextCursor: next } };
	});
	app.route('POST', '/v1/tenants', (req) =>
		write(req, () => {
			const body = /** @type {any} */ (req.body);
			const existing = [...state.tenants.values()].find((t) => t.businessKey === body.businessKey);
			if (existing) return adminError(409, 'already_exists', `Tenant ${existing.id} already exists for ${body.businessKey}.`, 'businessKey');
			if (body.subdomain && [...state.tenants.values()].some((t) => t.subdomain === body.subdomain)) {
				return adminError(409, 'already_exists', `Subdomain ${body.subdomain} is taken.`, 'subdomain');
			}
			if (body.tier === 'world_class') {
				const minimum = new Date();
				minimum.setUTCMonth(minimum.getUTCMonth() + 24);
				if (!body.contractEndDate || Date.parse(`${body.contractEndDate}T23:59:59Z`) < minimum.getTime()) {
					return adminError(422, 'validation_error', 'A World Class tenant needs a contractEndDate at least two years away.', 'contractEndDate');
				}
			}
			const tenant = {
				id: newId('ten_').toLowerCase(),
				name: body.name,
				status: 'active',
				tier: body.tier,
				edition: body.edition ?? null,
				ownerEmail: body.ownerEmail,
				businessKey: body.businessKey,
				...(body.country ? { country: body.country } : {}),
				subdomain: body.subdomain ?? null,
				createdAt: now(),
			};
			state.tenants.set(tenant.id, tenant);
			return { status: 201, body: clone(tenant) };
		}),
	);
	app.route('GET', '/v1/tenants/{tenantId}', (req) => {
		const tenant = state.tenants.get(req.params.tenantId);
		return tenant ? { body: clone(tenant) } : tenantMissing(req.params.tenantId);
	});

	/** @param {import('../core/server').SandboxRequest} req @param {'enable' | 'change-edition'} mode */
	const changeSubscription = (req, mode) =>
		write(req, () => {
			const tenant = state.tenants.get(req.params.tenantId);
			if (!tenant) return tenantMissing(req.params.tenantId);
			const body = /** @type {any} */ (req.body);
			if (body.featureFlags.tier !== body.tier) return adminError(400, 'validation_error', `featureFlags.tier (${body.featureFlags.tier}) must equal tier (${body.tier}).`, 'featureFlags.tier');
			const current = state.subscriptions.get(tenant.id);
			if (mode === 'change-edition' && (!current || current.status !== 'active')) {
				return adminError(409, 'conflict', `Tenant ${tenant.id} has no active subscription to change.`);
			}
			if (current && current.status === 'active' && current.edition === body.edition && current.tier === body.tier) {
				return { body: { subscription: clone(current), changed: false } };
			}
			const subscription = { tenantId: tenant.id, status: 'active', edition: body.edition, tier: body.tier, businessKey: body.businessKey, updatedAt: now() };
			state.subscriptions.set(tenant.id, subscription);
			state.featureFlags.set(tenant.id, { tenantId: tenant.id, tier: body.tier, flags: body.featureFlags.flags, ...(body.featureFlags.extras ? { extras: body.featureFlags.extras } : {}), updatedAt: now() });
			Object.assign(tenant, { tier: body.tier, edition: body.edition });
			return { body: { subscription: clone(subscription), changed: true } };
		});
	app.route('POST', '/v1/tenants/{tenantId}/subscription/enable', (req) => changeSubscription(req, 'enable'));
	app.route('POST', '/v1/tenants/{tenantId}/subscription/change-edition', (req) => changeSubscription(req, 'change-edition'));
	app.route('POST', '/v1/tenants/{tenantId}/subscription/disable', (req) =>
		write(req, () => {
			const tenant = state.tenants.get(req.params.tenantId);
			if (!tenant) return tenantMissing(req.params.tenantId);
			const current = state.subscriptions.get(tenant.id);
			if (!current) return adminError(404, 'subscription_not_found', `Tenant ${tenant.id} never had a subscription.`);
			if (current.status === 'disabled') return { body: { subscription: clone(current), changed: false } };
			const body = /** @type {any} */ (req.body);
			Object.assign(current, { status: 'disabled', businessKey: body.businessKey, reason: body.reason ?? null, updatedAt: now() });
			return { body: { subscription: clone(current), changed: true } };
		}),
	);
	app.route('GET', '/v1/tenants/{tenantId}/feature-flags', (req) => {
		if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
		const flags = state.featureFlags.get(req.params.tenantId) || { tenantId: req.params.tenantId, tier: state.tenants.get(req.params.tenantId).tier, flags: {} };
		return { body: clone(flags) };
	});
	app.route('PUT', '/v1/tenants/{tenantId}/feature-flags', (req) =>
		write(req, () => {
			if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
			const body = /** @type {any} */ (req.body);
			const flags = { tenantId: req.params.tenantId, tier: body.tier, flags: body.flags, ...(body.extras ? { extras: body.extras } : {}), updatedAt: now() };
			state.featureFlags.set(req.params.tenantId, flags);
			return { body: clone(flags) };
		}),
	);
	app.route('GET', '/v1/tenants/{tenantId}/maintenance', (req) => {
		if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
		return { body: clone(state.maintenance.get(req.params.tenantId) || { tenantId: req.params.tenantId, enabled: false, message: null, since: null }) };
	});
	app.route('PUT', '/v1/tenants/{tenantId}/maintenance', (req) =>
		write(req, () => {
			if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
			const body = /** @type {any} */ (req.body);
			const previous = state.maintenance.get(req.params.tenantId);
			const since = body.enabled ? (previous && previous.enabled ? previous.since : now()) : null;
			const record = { tenantId: req.params.tenantId, enabled: body.enabled, message: body.enabled ? (body.message ?? null) : null, since };
			state.maintenance.set(req.params.tenantId, record);
			return { body: clone(record) };
		}),
	);
	app.route('POST', '/v1/tenants/{tenantId}/api-keys', (req) =>
		write(req, () => {
			if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
			const body = /** @type {any} */ (req.body);
			const secret = `sk_sandbox_${crypto.randomBytes(18).toString('hex')}`;
			const key = {
				id: newId('key_').toLowerCase(),
				tenantId: req.params.tenantId,
				name: body.name,
				prefix: secret.slice(0, 14),
				scopes: body.scopes || [],
				createdAt: now(),
				expiresAt: body.expiresAt ?? null,
				revokedAt: null,
				secretHash: crypto.createHash('sha256').update(secret).digest('hex'),
			};
			state.apiKeys.set(key.id, key);
			return { status: 201, body: { ...keyMetadata(key), secret, secretReturned: true } };
		}),
	);
	app.route('DELETE', '/v1/tenants/{tenantId}/api-keys/{keyId}', (req) =>
		write(req, () => {
			const key = state.apiKeys.get(req.params.keyId);
			if (!key || key.tenantId !== req.params.tenantId) return adminError(404, 'api_key_not_found', `API key ${req.params.keyId} was not found.`, 'keyId');
			if (!key.revokedAt) key.revokedAt = now();
			return { body: keyMetadata(key) };
		}),
	);

	require('./subdomains').registerSubdomainLookup(app, state, adminError);
	require('./customers').registerCustomerRoutes(app, { state, write, adminError });
	const tenantDatabase = registerTenantDatabaseRoutes(app, { state, write, tenantMissing, adminError, now, clone });

	return { app, state, listen: app.listen, close: app.close, useDatabase: tenantDatabase.useDatabase };
}

module.exports = { createSuperAdminFake, adminError };
