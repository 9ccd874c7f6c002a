/**
 * PostgresServerProvisioner against the machine's real PostgreSQL (the store suites' admin URL). Every database and
 * role carries this run's own prefix and is dropped afterwards. PGlite (the fallback) has no roles or
 * CREATE DATABASE, so without a server the suite is skipped, saying why.
 */
import { createHmac, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, postgresPlan, type TestDatabase } from '../../../../test/stores/support/backends';
import { InMemorySecretVault } from '../memoryVault';
import { mapPostgresError } from '../pgErrors';
import { PostgresServerProvisioner } from '../postgresServer';
import { rejection } from '../../../../test/support/connectorErrors';

const PREFIX = `q2ct_${randomBytes(3).toString('hex')}_`;
const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`postgresServer suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);

/** The SCRAM-SHA-256 check a server makes at login, written out here independently of the code under test. */
function scramMatches(stored: string, password: string): boolean {
	const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(stored);
	if (!match) return false;
	const salted = pbkdf2Sync(password, Buffer.from(match[2], 'base64'), Number(match[1]), 32, 'sha256');
	const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
	return storedKey === match[3] && createHmac('sha256', salted).update('Server Key').digest('base64') === match[4];
}

suite('PostgresServerProvisioner on a real PostgreSQL', () => {
	let database: TestDatabase;
	let admin: Client;
	let vault: InMemorySecretVault;
	let provisioner: PostgresServerProvisioner;

	async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
		return (await admin.query<T>(sql, params)).rows;
	}

	async function connectAs(url: string): Promise<Client> {
		const client = new Client({ connectionString: url });
		client.on('error', () => undefined);
		await client.connect();
		return client;
	}

	const rolePassword = async (role: string) => (await query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [role]))[0]?.p;

	beforeAll(async () => {
		database = await createTestDatabase('provisioning_pg');
		admin = new Client({ connectionString: database.url });
		await admin.connect();
		vault = new InMemorySecretVault();
		provisioner = new PostgresServerProvisioner({ adminConnectionString: database.url, vault, namePrefix: PREFIX });
	});

	afterAll(async () => {
		// Safety net: whatever a failed test left behind with this run's prefix.
		for (const { datname } of await query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [PREFIX])) {
			await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
		}
		for (const { rolname } of await query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)', [PREFIX])) {
			await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
		}
		await admin.end();
		await database.drop();
	});

	it('creates a role and a database it owns, reachable with the returned connection string, and never shows the password', async () => {
		const info = await provisioner.create({ key: 'acme' });
		const name = `${PREFIX}acme`;
		expect(info).toMatchObject({ key: 'acme', status: 'available', engine: 'postgres', identifier: name, databaseName: name, username: name, host: '127.0.0.1', port: 5432 });
		expect(info.secretReference).toBe(`memory:q2c/postgres/${name}`);
		expect((await query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [name]))[0]).toEqual({ owner: name });

		const connection = await provisioner.connection('acme');
		const url = connection.connectionString.reveal();
		const password = decodeURIComponent(new URL(url).password);
		expect(password.length).toBeGreaterThanOrEqual(32);
		// The role's stored SCRAM verifier is the one for exactly this password (so a password login would succeed).
		expect(scramMatches(await rolePassword(name), password)).toBe(true);
		for (const shown of [JSON.stringify(info), JSON.stringify(connection), inspect(connection), `${connection.connectionString}`]) {
			expect(shown).not.toContain(password);
		}
		expect(JSON.stringify(connection)).toContain('[redacted]');

		const tenant = await connectAs(url);
		try {
			const { rows } = await tenant.query('SELECT current_user AS user, current_database() AS db');
			expect(rows[0]).toEqual({ user: name, db: name });
			await tenant.query('CREATE TABLE probe (id int)');
		} finally {
			await tenant.end();
		}
	});

	it('is idempotent: a repeat create returns the same database and keeps the password', async () => {
		const first = await provisioner.create({ key: 'repeat-me' });
		const verifier = await rolePassword(first.identifier);
		const before = (await provisioner.connection('repeat-me')).connectionString.reveal();
		const second = await provisioner.create({ key: 'repeat-me' });
		expect(second).toEqual(first);
		expect(await rolePassword(first.identifier)).toBe(verifier);
		expect((await provisioner.connection('repeat-me')).connectionString.reveal()).toBe(before);
		expect(await query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${PREFIX}repeat`])).toHaveLength(1);
	});

	it('serialises concurrent creates of one key: both answer the same database', async () => {
		const results = await Promise.all([provisioner.create({ key: 'racer' }), provisioner.create({ key: 'racer' }), provisioner.create({ key: 'racer' })]);
		expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
		const password = decodeURIComponent(new URL((await provisioner.connection('racer')).connectionString.reveal()).password);
		expect(scramMatches(await rolePassword(results[0].identifier), password)).toBe(true);
	});

	it('resets the password only when asked, vault first', async () => {
		await provisioner.create({ key: 'rotate' });
		const old = decodeURIComponent(new URL((await provisioner.connection('rotate')).connectionString.reveal()).password);
		await provisioner.create({ key: 'rotate', resetPassword: true });
		const fresh = decodeURIComponent(new URL((await provisioner.connection('rotate')).connectionString.reveal()).password);
		expect(fresh).not.toBe(old);
		const verifier = await rolePassword(`${PREFIX}rotate`);
		expect(scramMatches(verifier, fresh)).toBe(true);
		expect(scramMatches(verifier, old)).toBe(false);
	});

	it('refuses a role whose password the vault lost, unless a reset is asked for', async () => {
		const info = await provisioner.create({ key: 'lost-secret' });
		await vault.delete(`q2c/postgres/${info.identifier}`);
		const verifier = await rolePassword(info.identifier);
		const error = await rejection(provisioner.create({ key: 'lost-secret' }));
		expect(error).toMatchObject({ kind: 'conflict', code: 'role_without_secret' });
		expect(await rolePassword(info.identifier)).toBe(verifier);
		await provisioner.create({ key: 'lost-secret', resetPassword: true });
		const password = decodeURIComponent(new URL((await provisioner.connection('lost-secret')).connectionString.reveal()).password);
		expect(scramMatches(await rolePassword(info.identifier), password)).toBe(true);
	});

	it("keeps tenants apart: one tenant's role cannot connect to another tenant's database", async () => {
		await provisioner.create({ key: 'tenant-a' });
		await provisioner.create({ key: 'tenant-b' });
		const url = new URL((await provisioner.connection('tenant-a')).connectionString.reveal());
		url.pathname = `/${(await provisioner.get('tenant-b')).databaseName}`;
		await expect(connectAs(url.toString())).rejects.toThrow(/permission denied for database/);
	});

	it('deletes the database, the role and the secret, even with a session open; a second delete is fine', async () => {
		const info = await provisioner.create({ key: 'doomed' });
		const open = await connectAs((await provisioner.connection('doomed')).connectionString.reveal());
		const deleted = await provisioner.delete('doomed');
		await open.end().catch(() => undefined);
		expect(deleted).toMatchObject({ key: 'doomed', status: 'deleted', identifier: info.identifier });
		expect(deleted.secretReference).toBeUndefined();
		expect(await query('SELECT 1 FROM pg_database WHERE datname = $1', [info.identifier])).toHaveLength(0);
		expect(await query('SELECT 1 FROM pg_roles WHERE rolname = $1', [info.identifier])).toHaveLength(0);
		expect(vault.names()).not.toContain(`q2c/postgres/${info.identifier}`);
		expect((await provisioner.get('doomed')).status).toBe('deleted');
		await expect(provisioner.delete('doomed')).resolves.toMatchObject({ status: 'deleted' });
		expect((await rejection(provisioner.connection('doomed'))).kind).toBe('not_found');
	});

	it('reports a role left without its database as failed, and a create finishes the job', async () => {
		const name = `${PREFIX}half`;
		await provisioner.create({ key: 'half' });
		await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
		expect((await provisioner.get('half')).status).toBe('failed');
		expect((await provisioner.create({ key: 'half' })).status).toBe('available');
		expect((await provisioner.get('half')).status).toBe('available');
	});

	it('refuses to adopt a database of the same name owned by someone else', async () => {
		const name = `${PREFIX}squatted`;
		await admin.query(`CREATE DATABASE "${name}"`);
		expect(await rejection(provisioner.create({ key: 'squatted' }))).toMatchObject({ kind: 'conflict', code: 'database_owned_by_other_role' });
		expect(await query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).toHaveLength(0);
	});

	it('works with a non-superuser admin that has CREATEDB and CREATEROLE (as on RDS)', async () => {
		const adminRole = `${PREFIX}admin`;
		await admin.query(`CREATE ROLE "${adminRole}" LOGIN CREATEDB CREATEROLE`);
		const url = new URL(database.url);
		url.username = adminRole;
		const limited = new PostgresServerProvisioner({ adminConnectionString: url.toString(), vault, namePrefix: PREFIX });
		const info = await limited.create({ key: 'limited' });
		const tenant = await connectAs((await limited.connection('limited')).connectionString.reveal());
		await tenant.end();
		expect((await query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [info.identifier]))[0]).toEqual({ owner: info.identifier });
		await limited.delete('limited');
		expect(await query('SELECT 1 FROM pg_roles WHERE rolname = $1', [info.identifier])).toHaveLength(0);
	});

	it('removes what each test created', async () => {
		await Promise.all(['acme', 'repeat-me', 'racer', 'rotate', 'lost-secret', 'tenant-a', 'tenant-b', 'half'].map((key) => provisioner.delete(key)));
		expect(await query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2', [PREFIX, `${PREFIX}squatted`])).toEqual([]);
		expect(vault.names()).toEqual([]);
	});
});

describe('PostgresServerProvisioner input checks (no database needed)', () => {
	// Port 1 refuses connections: a validation error here proves the check ran before any SQL.
	const unreachable = 'postgres://postgres:admin-pass-123@127.0.0.1:1/postgres';
	const provisioner = new PostgresServerProvisioner({ adminConnectionString: unreachable, vault: new InMemorySecretVault(), connectTimeoutMs: 2000 });

	it.each([
		['', 'key'],
		['   ', 'key'],
		['x'.repeat(201), 'key'],
		['bad\u0000key', 'key'],
	])('rejects key %j before connecting', async (key, field) => {
		expect(await rejection(provisioner.create({ key }))).toMatchObject({ kind: 'validation', field });
		expect(await rejection(provisioner.get(key))).toMatchObject({ kind: 'validation', field });
		expect(await rejection(provisioner.delete(key))).toMatchObject({ kind: 'validation', field });
	});

	it('rejects bad configuration at construction', () => {
		expect(() => new PostgresServerProvisioner({ adminConnectionString: 'host=x user=y', vault: new InMemorySecretVault() })).toThrow(/adminConnectionString/);
		expect(() => new PostgresServerProvisioner({ adminConnectionString: 'mysql://x/y', vault: new InMemorySecretVault() })).toThrow(/adminConnectionString/);
		expect(() => new PostgresServerProvisioner({ adminConnectionString: unreachable, vault: new InMemorySecretVault(), namePrefix: 'pg_x' })).toThrow(/namePrefix/);
		expect(() => new PostgresServerProvisioner({ adminConnectionString: unreachable, vault: new InMemorySecretVault(), namePrefix: 'Bad"; DROP' })).toThrow(/namePrefix/);
		expect(() => new PostgresServerProvisioner({ adminConnectionString: unreachable, vault: undefined as never })).toThrow(/vault/);
	});

	it('reports an unreachable cluster as transient (retryable) without the admin password', async () => {
		const error = await rejection(provisioner.create({ key: 'acme' }));
		expect(error.kind).toBe('transient');
		expect(error.retryable).toBe(true);
		expect(JSON.stringify(error)).not.toContain('admin-pass-123');
		expect(error.message).not.toContain('admin-pass-123');
	});

	it('maps SQLSTATEs into the taxonomy and masks secrets in server messages', () => {
		expect(mapPostgresError(Object.assign(new Error('password authentication failed'), { code: '28P01' }), 'x').kind).toBe('auth');
		expect(mapPostgresError(Object.assign(new Error('permission denied'), { code: '42501' }), 'x').kind).toBe('auth');
		expect(mapPostgresError(Object.assign(new Error('exists'), { code: '42P04' }), 'x').kind).toBe('conflict');
		expect(mapPostgresError(Object.assign(new Error('too many connections'), { code: '53300' }), 'x').kind).toBe('transient');
		expect(mapPostgresError(Object.assign(new Error('syntax error'), { code: '42601' }), 'x').kind).toBe('permanent');
		expect(mapPostgresError(new Error('Connection terminated unexpectedly'), 'x').kind).toBe('transient');
		const leaked = mapPostgresError(new Error('role secret is s3cr3t-Value-42'), 'Creating', ['s3cr3t-Value-42']);
		expect(leaked.message).not.toContain('s3cr3t-Value-42');
	});
});
