/**
 * copy / verify / purge against real PostgreSQL: a shared database with two tenants' rows and a tenant database made
 * by PostgresServerProvisioner and migrated with the platform schema, connected as the tenant's own role. Skipped
 * (saying why) without a PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, postgresPlan, type TestDatabase } from '../../../../test/stores/support/backends';
import { InMemorySecretVault } from '../../database/memoryVault';
import { PostgresServerProvisioner } from '../../database/postgresServer';
import { runMigrations } from '../../migrations/runMigrations';
import { copyTenantData, purgeTenantData, verifyTenantData, type TenantDataOptions } from '..';
import { rejection } from '../../../../test/support/connectorErrors';

const { seedTenant, sharedCounts, SHARED_TABLES, withDatabase } = require('../../../../sandbox/superadmin/sharedDatabase');

const PREFIX = `q2ct_${randomBytes(3).toString('hex')}_`;
const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`tenantData suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);

const withClient = <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => withDatabase(url, work);

const count = (url: string, table: string) => withClient(url, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n));

suite('tenant data on real PostgreSQL', () => {
	let shared: TestDatabase;
	let provisioner: PostgresServerProvisioner;
	const keys: string[] = [];

	async function dedicated(key: string): Promise<string> {
		keys.push(key);
		await provisioner.create({ key });
		const { connectionString } = await provisioner.connection(key);
		await runMigrations({ connectionString });
		return connectionString.reveal();
	}

	const options = (tenantId: string, dedicatedUrl: string): TenantDataOptions => ({ sharedConnectionString: shared.url, dedicatedConnectionString: dedicatedUrl, tenantId, tables: SHARED_TABLES });

	beforeAll(async () => {
		shared = await createTestDatabase('tenant_data');
		provisioner = new PostgresServerProvisioner({ adminConnectionString: shared.url, vault: new InMemorySecretVault(), namePrefix: PREFIX });
		await withClient(shared.url, async (c) => {
			await seedTenant(c, 'acme', { courses: 300, perCourse: 9 });
			await seedTenant(c, 'other', { courses: 20, perCourse: 3 });
		});
	});

	afterAll(async () => {
		await Promise.all(keys.map((key) => provisioner.delete(key)));
		await shared.drop();
	});

	it('copies every row of the tenant (and only its rows), verifies counts and checksums, and the ids continue after the copy', async () => {
		const url = await dedicated('copy');
		const copied = await copyTenantData({ ...options('acme', url), batchSize: 500 });
		expect(copied.tables).toEqual([
			{ table: 'courses', sourceRows: 300, inserted: 300, skipped: 0, batches: 1 },
			{ table: 'enrollments', sourceRows: 2700, inserted: 2700, skipped: 0, batches: 6 },
		]);
		const verified = await verifyTenantData(options('acme', url));
		expect(verified.verified).toBe(true);
		for (const table of verified.tables) {
			expect(table.dedicatedRows).toBe(table.sharedRows);
			expect(table.dedicatedChecksum).toBe(table.sharedChecksum);
			expect(table.sharedChecksum).toMatch(/^[0-9a-f]{32}$/);
		}
		// The other tenant's rows stay where they are.
		expect(await count(url, 'courses')).toBe(300);
		// The app's next insert gets a fresh id instead of colliding with a copied one.
		await withClient(url, async (c) => {
			const { rows } = await c.query("INSERT INTO courses (code, title) VALUES ('NEW-1', 'After the move') RETURNING id");
			const max = (await c.query("SELECT max(id) AS m FROM courses WHERE code <> 'NEW-1'")).rows[0].m;
			expect(Number(rows[0].id)).toBeGreaterThan(Number(max));
		});
	});

	it('finishes a copy that stopped half-way: rows copied before are kept, the rest inserted, none twice', async () => {
		const url = await dedicated('resume');
		await copyTenantData(options('acme', url));
		await withClient(url, (c) => c.query('DELETE FROM enrollments WHERE id % 3 = 0'));
		const missing = 2700 - (await count(url, 'enrollments'));
		expect(missing).toBeGreaterThan(0);
		const again = await copyTenantData(options('acme', url));
		expect(again.tables[0]).toMatchObject({ table: 'courses', inserted: 0, skipped: 300 });
		expect(again.tables[1]).toMatchObject({ table: 'enrollments', inserted: missing, skipped: 2700 - missing });
		expect((await verifyTenantData(options('acme', url))).verified).toBe(true);
	});

	it('names the table whose rows differ, whether a row changed or one is missing', async () => {
		const url = await dedicated('differs');
		await copyTenantData(options('acme', url));
		await withClient(url, (c) => c.query("UPDATE enrollments SET member_name = member_name || ' ' WHERE id = (SELECT min(id) FROM enrollments)"));
		const changed = await rejection(verifyTenantData(options('acme', url)));
		expect(changed).toMatchObject({ kind: 'conflict', code: 'verification_failed', field: 'tables' });
		expect(changed.message).toMatch(/table enrollments: 2700 row\(s\) in the dedicated database, 2700 in the shared one, checksums differ/);
		expect(changed.message).not.toMatch(/table courses/);
		await withClient(url, (c) => c.query('DELETE FROM courses WHERE id = (SELECT max(id) FROM courses)'));
		const result = await verifyTenantData({ ...options('acme', url), failOnMismatch: false });
		expect(result.verified).toBe(false);
		expect(result.tables.find((t) => t.table === 'courses')).toMatchObject({ sharedRows: 300, dedicatedRows: 299, match: false });
	});

	it('stops at a row the dedicated schema refuses, naming the table, and leaves the shared rows alone', async () => {
		const url = await dedicated('refused');
		await withClient(shared.url, async (c) => {
			await seedTenant(c, 'broken', { courses: 5, perCourse: 2 });
			await c.query("UPDATE shared.enrollments SET member_email = 'no-at-sign' WHERE tenant_id = 'broken' AND id = (SELECT max(id) FROM shared.enrollments WHERE tenant_id = 'broken')");
		});
		const error = await rejection(copyTenantData(options('broken', url)));
		expect(error.message).toMatch(/Copying table enrollments/);
		expect(error).toMatchObject({ kind: 'validation', field: 'tables', details: { table: 'enrollments' } });
		expect(error.message).not.toContain(url);
		expect(await withClient(shared.url, (c) => sharedCounts(c, 'broken'))).toEqual({ courses: 5, enrollments: 10 });
	});

	it('purges only after the grace period, only rows the dedicated database holds, all tables or none; a repeat deletes nothing', async () => {
		const url = await dedicated('purge');
		await withClient(shared.url, (c) => seedTenant(c, 'leaving', { courses: 40, perCourse: 4 }));
		await copyTenantData(options('leaving', url));
		const { verifiedAt } = await verifyTenantData(options('leaving', url));
		const early = await rejection(purgeTenantData({ ...options('leaving', url), verifiedAt, gracePeriodMinutes: 60 }));
		expect(early).toMatchObject({ kind: 'conflict', code: 'grace_period_not_over', field: 'gracePeriodMinutes' });
		const later = new Date(Date.parse(verifiedAt) + 61 * 60_000);

		// A row that never reached the dedicated database blocks the purge of every table.
		await withClient(url, (c) => c.query('DELETE FROM enrollments WHERE id = (SELECT max(id) FROM enrollments)'));
		const blocked = await rejection(purgeTenantData({ ...options('leaving', url), verifiedAt, gracePeriodMinutes: 60, now: later }));
		expect(blocked).toMatchObject({ code: 'rows_not_in_dedicated', details: { table: 'enrollments', missing: 1 } });
		expect(await withClient(shared.url, (c) => sharedCounts(c, 'leaving'))).toEqual({ courses: 40, enrollments: 160 });

		await copyTenantData(options('leaving', url));
		// Rows the app wrote to the dedicated database after the switch do not block it.
		await withClient(url, (c) => c.query("INSERT INTO courses (code, title) VALUES ('AFTER', 'Written after the switch')"));
		const purged = await purgeTenantData({ ...options('leaving', url), verifiedAt, gracePeriodMinutes: 60, now: later });
		expect(purged.tables).toEqual([
			{ table: 'enrollments', deleted: 160 },
			{ table: 'courses', deleted: 40 },
		]);
		expect(await withClient(shared.url, (c) => sharedCounts(c, 'leaving'))).toEqual({ courses: 0, enrollments: 0 });
		expect(await withClient(shared.url, (c) => sharedCounts(c, 'other'))).toEqual({ courses: 20, enrollments: 60 });
		expect((await purgeTenantData({ ...options('leaving', url), verifiedAt, gracePeriodMinutes: 60, now: later })).deleted).toBe(0);
	});

	it('refuses bad input before connecting, naming the field', async () => {
		const base = { sharedConnectionString: 'postgres://nobody@127.0.0.1:1/none', dedicatedConnectionString: 'postgres://nobody@127.0.0.1:1/none', tenantId: 't1', tables: ['courses'] };
		expect(await rejection(copyTenantData({ ...base, tables: ['Courses; DROP'] }))).toMatchObject({ kind: 'validation', field: 'tables[0]' });
		expect(await rejection(copyTenantData({ ...base, tables: [] }))).toMatchObject({ field: 'tables' });
		expect(await rejection(copyTenantData({ ...base, tables: ['a', 'a'] }))).toMatchObject({ field: 'tables' });
		expect(await rejection(copyTenantData({ ...base, sharedConnectionString: 'mysql://x' }))).toMatchObject({ field: 'sharedConnectionString' });
		expect(await rejection(copyTenantData({ ...base, tenantId: ' ' }))).toMatchObject({ field: 'tenantId' });
		expect(await rejection(copyTenantData({ ...base, batchSize: 0 }))).toMatchObject({ field: 'batchSize' });
		expect(await rejection(purgeTenantData({ ...base, verifiedAt: 'yesterday', gracePeriodMinutes: 1 }))).toMatchObject({ field: 'verifiedAt' });
		expect(await rejection(purgeTenantData({ ...base, verifiedAt: new Date().toISOString(), gracePeriodMinutes: -1 }))).toMatchObject({ field: 'gracePeriodMinutes' });
	});
});
