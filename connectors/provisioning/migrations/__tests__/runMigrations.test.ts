/**
 * The platform SQL migrations run by node-pg-migrate against a real tenant database made by PostgresServerProvisioner,
 * connected as the tenant's own role. Skipped (saying why) without a PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getActions } from 'node-pg-migrate/dist/sqlMigration';
import { Client } from 'pg';
import { createTestDatabase, postgresPlan, type TestDatabase } from '../../../../test/stores/support/backends';
import { InMemorySecretVault } from '../../database/memoryVault';
import { PostgresServerProvisioner } from '../../database/postgresServer';
import { NODE_PG_MIGRATE_LOCK_ID, PLATFORM_SQL_DIR, runMigrations } from '../runMigrations';
import { rejection } from '../../../../test/support/connectorErrors';

const { withDatabase } = require('../../../../sandbox/superadmin/sharedDatabase');

const PREFIX = `q2cm_${randomBytes(3).toString('hex')}_`;
const PLATFORM = ['1764633600000_academy-courses', '1764633660000_academy-enrollments'];
const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`runMigrations suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);

function migrationsDir(files: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), 'q2c-migrations-'));
	for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
	return dir;
}

suite('runMigrations on a real tenant database', () => {
	let database: TestDatabase;
	let provisioner: PostgresServerProvisioner;
	const dirs: string[] = [];

	async function tenantUrl(key: string): Promise<string> {
		await provisioner.create({ key });
		return (await provisioner.connection(key)).connectionString.reveal();
	}

	const withClient = <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => withDatabase(url, work);

	beforeAll(async () => {
		database = await createTestDatabase('provisioning_migrate');
		provisioner = new PostgresServerProvisioner({ adminConnectionString: database.url, vault: new InMemorySecretVault(), namePrefix: PREFIX });
	});

	afterAll(async () => {
		await Promise.all(['main', 'race', 'broken', 'locked', 'order'].map((key) => provisioner.delete(key)));
		await withClient(database.url, async (admin) => {
			expect((await admin.query('SELECT 1 FROM pg_database WHERE starts_with(datname, $1)', [PREFIX])).rows).toEqual([]);
			expect((await admin.query('SELECT 1 FROM pg_roles WHERE starts_with(rolname, $1)', [PREFIX])).rows).toEqual([]);
		});
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
		await database.drop();
	});

	it('applies the platform schema as the tenant role, records it, and a second run applies nothing', async () => {
		const url = await tenantUrl('main');
		const { connectionString } = await provisioner.connection('main');
		expect(await runMigrations({ connectionString })).toEqual({ applied: PLATFORM, alreadyApplied: [] });
		expect(await runMigrations({ connectionString: url })).toEqual({ applied: [], alreadyApplied: PLATFORM });
		await withClient(url, async (tenant) => {
			const owners = await tenant.query("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
			expect(owners.rows).toEqual(['courses', 'enrollments', 'pgmigrations'].map((tablename) => ({ tablename, tableowner: `${PREFIX}main` })));
			expect((await tenant.query('SELECT name FROM pgmigrations ORDER BY id')).rows.map((row) => row.name)).toEqual(PLATFORM);
			// The schema works: a course, an enrollment, and the case-insensitive duplicate refused.
			const course = await tenant.query("INSERT INTO courses (code, title) VALUES ('U12-GK', 'Goalkeeping') RETURNING id");
			await tenant.query("INSERT INTO enrollments (course_id, member_email, member_name) VALUES ($1, 'ana@club.test', 'Ana')", [course.rows[0].id]);
			await expect(tenant.query("INSERT INTO enrollments (course_id, member_email, member_name) VALUES ($1, 'ANA@club.test', 'Ana')", [course.rows[0].id])).rejects.toThrow(/duplicate key/);
		});
	});

	it('lets only one of several concurrent runs apply', async () => {
		const url = await tenantUrl('race');
		const results = await Promise.all([1, 2, 3].map(() => runMigrations({ connectionString: url, lockPollMs: 20 })));
		expect(results.filter((result) => result.applied.length > 0)).toEqual([{ applied: PLATFORM, alreadyApplied: [] }]);
		expect(results.filter((result) => result.applied.length === 0)).toEqual([
			{ applied: [], alreadyApplied: PLATFORM },
			{ applied: [], alreadyApplied: PLATFORM },
		]);
		await withClient(url, async (tenant) => expect((await tenant.query('SELECT count(*)::int AS n FROM pgmigrations')).rows[0].n).toBe(2));
	});

	it("waits for node-pg-migrate's advisory lock, and says so when it stays held", async () => {
		const url = await tenantUrl('locked');
		await withClient(url, async (holder) => {
			await holder.query(`SELECT pg_advisory_lock(${NODE_PG_MIGRATE_LOCK_ID})`);
			const error = await rejection(runMigrations({ connectionString: url, lockWaitMs: 300, lockPollMs: 50 }));
			expect(error).toMatchObject({ kind: 'transient', code: 'migration_locked' });
			expect(error.retryable).toBe(true);
			const waiting = runMigrations({ connectionString: url, lockWaitMs: 5000, lockPollMs: 50 });
			await new Promise((resolve) => setTimeout(resolve, 200));
			await holder.query(`SELECT pg_advisory_unlock(${NODE_PG_MIGRATE_LOCK_ID})`);
			expect(await waiting).toEqual({ applied: PLATFORM, alreadyApplied: [] });
		});
	});

	it('names the failed migration, rolls back every pending one, and never shows the password', async () => {
		const url = await tenantUrl('broken');
		const password = decodeURIComponent(new URL(url).password);
		const dir = migrationsDir({
			'1764633600000_good.sql': '-- Up Migration\nCREATE TABLE good (id int);\n-- Down Migration\nDROP TABLE good;\n',
			'1764633660000_bad.sql': `-- Up Migration\nCREATE TABLE bad (id int);\nSELEC 1; -- ${password.slice(0, 4)}\n`,
		});
		dirs.push(dir);
		const error = await rejection(runMigrations({ connectionString: url, dir }));
		expect(error).toMatchObject({ kind: 'permanent', code: '42601', details: { migration: '1764633660000_bad' } });
		expect(error.message).toMatch(/Migration 1764633660000_bad failed/);
		expect(JSON.stringify(error)).not.toContain(password);
		await withClient(url, async (tenant) => {
			expect((await tenant.query("SELECT to_regclass('good') AS good, to_regclass('bad') AS bad")).rows[0]).toEqual({ good: null, bad: null });
			expect((await tenant.query('SELECT count(*)::int AS n FROM pgmigrations')).rows[0].n).toBe(0);
		});
	});

	it('refuses a new migration that sorts before one already applied', async () => {
		const url = await tenantUrl('order');
		const dir = migrationsDir({ '1764633660000_later.sql': '-- Up Migration\nCREATE TABLE later (id int);\n' });
		dirs.push(dir);
		expect((await runMigrations({ connectionString: url, dir })).applied).toEqual(['1764633660000_later']);
		writeFileSync(join(dir, '1764633600000_earlier.sql'), '-- Up Migration\nCREATE TABLE earlier (id int);\n');
		expect(await rejection(runMigrations({ connectionString: url, dir }))).toMatchObject({ kind: 'permanent', code: 'migration_order', details: { migration: '1764633600000_earlier' } });
	});

	it('reports a missing database as not_found without the password', async () => {
		const url = new URL(database.url);
		url.password = 'pw-in-the-url-4711';
		url.pathname = `/${PREFIX}nowhere`;
		const error = await rejection(runMigrations({ connectionString: url.toString() }));
		expect(error.kind).toBe('not_found');
		expect(JSON.stringify(error)).not.toContain('pw-in-the-url-4711');
	});
});

describe('runMigrations input checks and the shipped schema (no database needed)', () => {
	const unreachable = 'postgres://tenant:pw-123456@127.0.0.1:1/tenant';

	it('validates before connecting', async () => {
		expect(await rejection(runMigrations({ connectionString: 'mysql://x' }))).toMatchObject({ kind: 'validation', field: 'connectionString' });
		expect(await rejection(runMigrations({ connectionString: unreachable, dir: '/no/such/dir' }))).toMatchObject({ kind: 'validation', field: 'dir' });
		expect(await rejection(runMigrations({ connectionString: unreachable, migrationsTable: 'bad"table' }))).toMatchObject({ kind: 'validation', field: 'migrationsTable' });
		expect(await rejection(runMigrations({ connectionString: unreachable, schema: 'Public' }))).toMatchObject({ kind: 'validation', field: 'schema' });
		expect(await rejection(runMigrations({ connectionString: unreachable, lockWaitMs: -1 }))).toMatchObject({ kind: 'validation', field: 'lockWaitMs' });
	});

	it('reports an unreachable database as transient', async () => {
		const error = await rejection(runMigrations({ connectionString: unreachable }));
		expect(error.kind).toBe('transient');
		expect(error.message).not.toContain('pw-123456');
	});

	it('ships two SQL migrations with up and down sections', () => {
		const files = readdirSync(PLATFORM_SQL_DIR).sort();
		expect(files.map((file) => file.replace(/\.sql$/, ''))).toEqual(PLATFORM);
		for (const file of files) {
			// node-pg-migrate's own parser: a file without the markers would run whole (down part included) as "up".
			const actions = getActions(readFileSync(join(PLATFORM_SQL_DIR, file), 'utf8'));
			const up = { sql: jest.fn() };
			const down = { sql: jest.fn() };
			(actions.up as (pgm: unknown) => void)(up);
			(actions.down as (pgm: unknown) => void)(down);
			expect(up.sql.mock.calls[0][0]).toMatch(/^\s*-- Up Migration\s+CREATE /);
			expect(up.sql.mock.calls[0][0]).not.toMatch(/DROP/);
			expect(down.sql.mock.calls[0][0]).toMatch(/^\s*-- Down Migration\s+DROP TABLE/);
		}
	});
});
