// @ts-check
'use strict';

const { Client } = require('pg');

/**
 * What the platform exposes for a Tier 1 → Tier 2 upgrade (issue 11), in the Super Admin fake:
 * - `GET/PUT /v1/tenants/{tenantId}/database`: which database the tenant's app uses, `shared` (Tier 1) or
 *   `dedicated` with the secret reference of its connection string (the secret itself never passes through here);
 * - `POST /v1/tenants/{tenantId}/app/courses`: a stand-in for the academy app's own writes (not part of the
 *   OpenAPI contract): refused with 423 while the tenant is in maintenance mode, otherwise written to whichever
 *   database the tenant is on, so tests see writes land in the shared rows before the switch and in the dedicated
 *   database after it. Needs `useDatabase({ adminUrl })` (the sandbox's PostgreSQL; shared tables in schema `shared`,
 *   connection secrets resolved from the `postgres-vault:` table the Cloud Provisioning node writes there).
 */

const VAULT_PREFIX = 'postgres-vault:';

/**
 * @param {any} app @param {{ state: any, write: Function, tenantMissing: (id: string) => any, adminError: Function, now: () => string, clone: Function }} deps
 */
function registerTenantDatabaseRoutes(app, deps) {
	const { state, write, tenantMissing, adminError, now, clone } = deps;
	/** @type {{ adminUrl: string } | null} */
	let database = null;
	/** @param {string} id */
	const current = (id) => state.databases.get(id) || { tenantId: id, backend: 'shared', connectionSecretRef: null, switchedAt: null };

	app.route('GET', '/v1/tenants/{tenantId}/database', (/** @type {any} */ req) => {
		if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
		return { body: clone(current(req.params.tenantId)) };
	});
	app.route('PUT', '/v1/tenants/{tenantId}/database', (/** @type {any} */ req) =>
		write(req, () => {
			if (!state.tenants.has(req.params.tenantId)) return tenantMissing(req.params.tenantId);
			const body = /** @type {any} */ (req.body);
			if (body.backend === 'dedicated' && !body.connectionSecretRef) return adminError(400, 'validation_error', 'connectionSecretRef is required for the dedicated backend.', 'connectionSecretRef');
			const before = current(req.params.tenantId);
			const ref = body.backend === 'dedicated' ? body.connectionSecretRef : null;
			if (before.backend === body.backend && before.connectionSecretRef === ref) return { body: { ...clone(before), changed: false } };
			const record = { tenantId: req.params.tenantId, backend: body.backend, connectionSecretRef: ref, businessKey: body.businessKey, switchedAt: now() };
			state.databases.set(req.params.tenantId, record);
			return { body: { ...clone(record), changed: true } };
		}),
	);

	/** @param {string} url @param {(client: Client) => Promise<any>} work */
	const withClient = async (url, work) => {
		const client = new Client({ connectionString: url });
		client.on('error', () => undefined);
		await client.connect();
		try {
			return await work(client);
		} finally {
			await client.end().catch(() => undefined);
		}
	};

	app.route('POST', '/v1/tenants/{tenantId}/app/courses', async (/** @type {any} */ req) => {
		const tenantId = req.params.tenantId;
		if (!state.tenants.has(tenantId)) return tenantMissing(tenantId);
		const maintenance = state.maintenance.get(tenantId);
		if (maintenance && maintenance.enabled) return adminError(423, 'tenant_read_only', maintenance.message || 'The academy is read-only during maintenance.');
		if (!database) return adminError(503, 'unavailable', 'The academy app has no database configured (useDatabase).');
		const body = /** @type {any} */ (req.body) || {};
		if (typeof body.code !== 'string' || typeof body.title !== 'string') return adminError(400, 'validation_error', 'Expected { code, title } strings.', typeof body.code !== 'string' ? 'code' : 'title');
		const target = current(tenantId);
		try {
			if (target.backend === 'shared') {
				const row = await withClient(database.adminUrl, (c) => c.query('INSERT INTO shared.courses (tenant_id, code, title) VALUES ($1, $2, $3) RETURNING id::text', [tenantId, body.code, body.title]));
				return { status: 201, body: { id: row.rows[0].id, database: 'shared' } };
			}
			const ref = String(target.connectionSecretRef);
			if (!ref.startsWith(VAULT_PREFIX)) return adminError(422, 'validation_error', `Cannot resolve ${ref} in the sandbox (only ${VAULT_PREFIX} references).`, 'connectionSecretRef');
			const found = await withClient(database.adminUrl, (c) => c.query('SELECT value FROM q2c_provisioning_secrets WHERE name = $1', [ref.slice(VAULT_PREFIX.length)]));
			if (!found.rows[0]) return adminError(422, 'validation_error', `Secret ${ref} does not exist.`, 'connectionSecretRef');
			const row = await withClient(found.rows[0].value, (c) => c.query('INSERT INTO courses (code, title) VALUES ($1, $2) RETURNING id::text', [body.code, body.title]));
			return { status: 201, body: { id: row.rows[0].id, database: 'dedicated' } };
		} catch (error) {
			const code = /** @type {any} */ (error).code;
			if (code === '23505') return adminError(409, 'already_exists', `Course ${body.code} already exists.`, 'code');
			return adminError(500, 'internal_error', 'The academy app could not write.');
		}
	});

	return {
		/** Points the academy stand-in at the sandbox's PostgreSQL. @param {{ adminUrl: string }} options */
		useDatabase(options) {
			database = { adminUrl: options.adminUrl };
		},
	};
}

module.exports = { registerTenantDatabaseRoutes };
