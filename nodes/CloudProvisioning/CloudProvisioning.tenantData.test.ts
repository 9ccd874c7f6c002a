/**
 * The tenant-data resource through the node: a tenant database created and migrated by the node, the shared tables in
 * the credential's database, copy → verify → purge. No connection string reaches the output. Skipped without a
 * PostgreSQL server, saying why.
 */
import { randomBytes } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { Client } from 'pg';
import { createTestDatabase, postgresPlan, type TestDatabase } from '../../test/stores/support/backends';
import { runNode } from './__tests__/context';

const { seedTenant, sharedCounts } = require('../../sandbox/superadmin/sharedDatabase');

const PREFIX = `q2cd_${randomBytes(3).toString('hex')}_`;
const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`Cloud Provisioning tenantData suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);

suite('Cloud Provisioning: tenant data', () => {
	let database: TestDatabase;
	let admin: Client;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	const base = (resource: string, operation: string, extra: Record<string, unknown> = {}) => ({
		resource,
		operation,
		databaseBackend: 'postgresServer',
		secretStore: 'postgresTable',
		businessKey: 'academy-7',
		naming: { namePrefix: PREFIX },
		...extra,
	});
	const data = (operation: string, extra: Record<string, unknown> = {}) => base('tenantData', operation, { sharedTenantId: 'ten_7', tables: 'courses, enrollments', ...extra });

	beforeAll(async () => {
		database = await createTestDatabase('cloudprov_data');
		admin = new Client({ connectionString: database.url });
		await admin.connect();
		await seedTenant(admin, 'ten_7', { courses: 50, perCourse: 5 });
		const url = new URL(database.url);
		credentials = {
			provisioningPostgresApi: { host: url.hostname, port: Number(url.port) || 5432, database: url.pathname.slice(1), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), ssl: false, tenantHost: '' },
		};
	});

	afterAll(async () => {
		await runNode([base('database', 'delete')], credentials);
		await admin.end();
		await database.drop();
	});

	it('copies, verifies and (after the grace period) purges the tenant rows; outputs no connection string', async () => {
		await runNode([base('database', 'create')], credentials);
		await runNode([base('migration', 'run', { migrationSource: 'platform' })], credentials);

		const copied = (await runNode([data('copy', { batchSize: 100 })], credentials)).output[0].json;
		expect(copied).toMatchObject({ key: 'academy-7', tenantId: 'ten_7', sourceRows: 300, inserted: 300 });
		const verified = (await runNode([data('verify')], credentials)).output[0].json as { verified: boolean; verifiedAt: string; tables: Array<{ sharedChecksum: string; dedicatedChecksum: string }> };
		expect(verified.verified).toBe(true);
		for (const table of verified.tables) expect(table.dedicatedChecksum).toBe(table.sharedChecksum);

		const early = await runNode([data('purge', { verifiedAt: verified.verifiedAt, gracePeriodMinutes: 60 })], credentials, { continueOnFail: true });
		expect(String(early.output[0].json.error)).toMatch(/grace period runs until/);
		expect(await sharedCounts(admin, 'ten_7')).toEqual({ courses: 50, enrollments: 250 });

		const purged = (await runNode([data('purge', { verifiedAt: verified.verifiedAt, gracePeriodMinutes: 0 })], credentials)).output[0].json;
		expect(purged).toMatchObject({ deleted: 300 });
		expect(await sharedCounts(admin, 'ten_7')).toEqual({ courses: 0, enrollments: 0 });
		expect(JSON.stringify([copied, verified, purged])).not.toMatch(/postgres(ql)?:\/\//);
	});

	it('names the field at fault before touching a database', async () => {
		const { output } = await runNode([data('copy', { tables: ' , ' }), data('copy', { sharedTenantId: '' }), data('copy', { tenantDataLayout: { sharedSchema: 'Bad-Schema' } })], credentials, { continueOnFail: true });
		expect(output.map((item) => String(item.json.error))).toEqual([expect.stringMatching(/tables/), expect.stringMatching(/sharedTenantId/), expect.stringMatching(/sharedSchema/)]);
	});
});
