/**
 * The Super Admin fake's tenant-database switch and its academy-app stand-in, through the connector: writes are
 * refused (423) while the tenant is in maintenance, land in the shared rows before the switch and in the dedicated
 * database after it. Needs the sandbox's PostgreSQL (the machine's); skipped, saying why, without a server.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { isConnectorError } from '../../connectors/core';
import { PostgresServerProvisioner, PostgresTableVault } from '../../connectors/provisioning/database';
import { runMigrations } from '../../connectors/provisioning/migrations';
import { SuperAdminClient } from '../../connectors/superadmin';
import { postgresPlan } from '../stores/support/backends';

const { startSandbox } = require('../../sandbox');
const { platformDatabaseUrl, sharedCounts, withDatabase } = require('../../sandbox/superadmin/sharedDatabase');

const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`Super Admin tenant-database suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);
const PREFIX = `q2cs_${randomBytes(3).toString('hex')}_`;

suite('Super Admin fake: tenant database switch and the academy app', () => {
	let sb: any;
	let client: SuperAdminClient;
	let adminUrl: string;
	let provisioner: PostgresServerProvisioner;
	const app = async (tenantId: string, code: string) => {
		const response = await fetch(`${sb.urls.superAdmin}/v1/tenants/${tenantId}/app/courses`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${sb.credentials.superAdminApi.apiKey}` },
			body: JSON.stringify({ code, title: `Course ${code}` }),
		});
		return { status: response.status, body: (await response.json()) as any };
	};

	beforeAll(async () => {
		sb = await startSandbox({ latencyMs: 0 });
		client = new SuperAdminClient({ baseUrl: sb.urls.superAdmin, apiKey: sb.credentials.superAdminApi.apiKey });
		adminUrl = platformDatabaseUrl(sb.credentials.provisioningPostgresApi);
		provisioner = new PostgresServerProvisioner({ adminConnectionString: adminUrl, vault: new PostgresTableVault({ adminConnectionString: adminUrl }), namePrefix: PREFIX });
	});

	afterAll(async () => {
		await provisioner?.delete('upgrade-1').catch(() => undefined);
		await sb?.close();
	});

	it('refuses writes during maintenance, accepts them after, and sends them to the dedicated database once switched', async () => {
		const { tenant } = await client.createTenant({ businessKey: `ORD-${PREFIX}`, name: 'Academy', tier: 'grassroots', ownerEmail: 'owner@example.org' } as any);
		await sb.seedSharedTenant(tenant.id, { courses: 3, perCourse: 1 });
		expect(await client.getTenantDatabase(tenant.id)).toMatchObject({ backend: 'shared', connectionSecretRef: null });

		await client.setMaintenance({ tenantId: tenant.id, businessKey: 'upgrade-1', enabled: true, message: 'Upgrading' });
		expect(await app(tenant.id, 'DURING')).toMatchObject({ status: 423, body: { error: { code: 'tenant_read_only', message: 'Upgrading' } } });
		await client.setMaintenance({ tenantId: tenant.id, businessKey: 'upgrade-1', enabled: false });
		expect(await app(tenant.id, 'BEFORE')).toMatchObject({ status: 201, body: { database: 'shared' } });
		expect(await withDatabase(adminUrl, (c: Client) => sharedCounts(c, tenant.id))).toEqual({ courses: 4, enrollments: 3 });

		await provisioner.create({ key: 'upgrade-1' });
		const { connectionString } = await provisioner.connection('upgrade-1');
		await runMigrations({ connectionString });
		const stored = await new PostgresTableVault({ adminConnectionString: adminUrl }).put(`tenants/${PREFIX}/database-url`, connectionString.reveal(), { overwrite: true });

		const switched = await client.switchTenantDatabase({ tenantId: tenant.id, businessKey: 'upgrade-1', backend: 'dedicated', connectionSecretRef: stored.reference });
		expect(switched.database).toMatchObject({ backend: 'dedicated', connectionSecretRef: stored.reference, changed: true });
		const again = await client.switchTenantDatabase({ tenantId: tenant.id, businessKey: 'upgrade-1', backend: 'dedicated', connectionSecretRef: stored.reference });
		expect(again.database.changed).toBe(false);
		expect(await app(tenant.id, 'AFTER')).toMatchObject({ status: 201, body: { database: 'dedicated' } });
		const dedicated = await withDatabase(connectionString.reveal(), (c: Client) => c.query("SELECT count(*)::int AS n FROM courses WHERE code = 'AFTER'"));
		expect(dedicated.rows[0].n).toBe(1);
		expect(await withDatabase(adminUrl, (c: Client) => sharedCounts(c, tenant.id))).toEqual({ courses: 4, enrollments: 3 });

		// The rollback: back to the shared database.
		await client.switchTenantDatabase({ tenantId: tenant.id, businessKey: 'upgrade-1', backend: 'shared' });
		expect(await app(tenant.id, 'BACK')).toMatchObject({ status: 201, body: { database: 'shared' } });
		await withDatabase(adminUrl, (c: Client) => c.query('DELETE FROM shared.enrollments WHERE tenant_id = $1; ', [tenant.id]).then(() => c.query('DELETE FROM shared.courses WHERE tenant_id = $1', [tenant.id])));
		await withDatabase(adminUrl, (c: Client) => c.query('DELETE FROM q2c_provisioning_secrets WHERE name = $1', [`tenants/${PREFIX}/database-url`]));
	});

	it('names the field before sending: a dedicated switch needs a secret reference, never a connection string', async () => {
		for (const input of [
			{ tenantId: 't1', businessKey: 'k', backend: 'dedicated' as const },
			{ tenantId: 't1', businessKey: 'k', backend: 'dedicated' as const, connectionSecretRef: 'postgres://u:p@h/db' },
		]) {
			const error = await client.switchTenantDatabase(input).then(() => undefined, (caught: unknown) => caught);
			expect(isConnectorError(error) && error.kind === 'validation' && /connectionSecretRef/.test(`${error.field} ${error.message}`)).toBe(true);
			expect(String((error as Error).message)).not.toContain('u:p@');
		}
	});
});
