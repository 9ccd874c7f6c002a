/**
 * The database and migration resources on the postgresServer backend, through the node, against the machine's real
 * PostgreSQL (the store suites' admin URL). Tenant passwords live in the table vault in the credential's database,
 * so a later step in another process finds them. Every database and role carries this run's prefix and is dropped
 * afterwards. Without a server (PGlite has no roles or CREATE DATABASE) the suite is skipped, saying why.
 */
import { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import { Client } from 'pg';
import { createTestDatabase, postgresPlan, type TestDatabase } from '../../test/stores/support/backends';
import { receiptsIn, recordReceipt, useTempStore } from '../shared/__tests__/receiptKit';
import { runNode } from './__tests__/context';
import { provisioningPostgresApiTest } from './credentialTest';
import { DEFAULT_VAULT_TABLE, POSTGRES_VAULT_PREFIX } from '../../connectors/provisioning/database';

const PREFIX = `q2cn_${randomBytes(3).toString('hex')}_`;
const PLATFORM = ['1764633600000_academy-courses', '1764633660000_academy-enrollments'];
const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`Cloud Provisioning postgres suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);

suite('Cloud Provisioning: database and migrations on a PostgreSQL server', () => {
	const store = useTempStore();
	let database: TestDatabase;
	let admin: Client;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	const item = (operation: string, key: string, extra: Record<string, unknown> = {}) => ({
		resource: 'database',
		operation,
		databaseBackend: 'postgresServer',
		secretStore: 'postgresTable',
		businessKey: key,
		naming: { namePrefix: PREFIX },
		...extra,
	});
	const migrate = (key: string, extra: Record<string, unknown> = {}) => ({ ...item('run', key), resource: 'migration', migrationSource: 'platform', ...extra });
	const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await admin.query<T>(sql, params)).rows;
	const storedPassword = async (name: string) => {
		const [row] = await query<{ value: string }>(`SELECT value FROM ${DEFAULT_VAULT_TABLE} WHERE name = $1`, [`q2c/postgres/${name}`]);
		return row ? (JSON.parse(row.value) as { password: string }).password : undefined;
	};

	beforeAll(async () => {
		database = await createTestDatabase('cloudprov');
		admin = new Client({ connectionString: database.url });
		await admin.connect();
		const url = new URL(database.url);
		credentials = {
			provisioningPostgresApi: {
				host: url.hostname,
				port: Number(url.port) || 5432,
				database: url.pathname.slice(1),
				user: decodeURIComponent(url.username),
				password: decodeURIComponent(url.password),
				ssl: false,
				tenantHost: '',
			},
		};
	});

	afterAll(async () => {
		for (const { datname } of await query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [PREFIX])) {
			await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
		}
		for (const { rolname } of await query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)', [PREFIX])) {
			await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
		}
		await admin.end();
		await database.drop();
	});

	it('creates the database once (a repeat returns it), keeps the password in the table vault and never outputs it', async () => {
		const name = `${PREFIX}acme`;
		const on = recordReceipt(store.dir, 'acme');
		const { output, requestedCredentials } = await runNode([item('create', 'acme', on), item('create', 'acme', on)], credentials, { executionId: '5' });
		expect(requestedCredentials).toEqual(['provisioningPostgresApi', 'provisioningPostgresApi']);
		const reference = `${POSTGRES_VAULT_PREFIX}q2c/postgres/${name}`;
		for (const { json } of output) {
			expect(json).toMatchObject({ backend: 'postgresServer', key: 'acme', status: 'available', ready: true, identifier: name, databaseName: name, username: name, secretReference: reference });
		}
		expect(await query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [name])).toEqual([{ owner: name }]);
		const password = await storedPassword(name);
		expect(password).toHaveLength(32);
		expect(JSON.stringify(output)).not.toContain(password);
		// PUBLIC (so every tenant role) has no right on the vault table.
		expect(await query(`SELECT has_table_privilege('public', $1, 'SELECT') AS readable`, [DEFAULT_VAULT_TABLE])).toEqual([{ readable: false }]);

		const receipts = await receiptsIn(store.dir, 'acme');
		// One receipt per item (the router keys a receipt by item), both naming the same database.
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([
			['provisioning.database.create', name],
			['provisioning.database.create', name],
		]);
		expect(JSON.stringify(receipts)).not.toContain(password);
	});

	it('reports available / deleted for a polling loop, and a delete is idempotent and removes role, database and stored password', async () => {
		const name = `${PREFIX}beta`;
		await runNode([item('create', 'beta')], credentials);
		const { output } = await runNode([item('get', 'beta'), item('delete', 'beta'), item('delete', 'beta'), item('get', 'beta')], credentials);
		expect(output.map((entry) => entry.json.status)).toEqual(['available', 'deleted', 'deleted', 'deleted']);
		expect(await query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).toEqual([]);
		expect(await query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).toEqual([]);
		expect(await storedPassword(name)).toBeUndefined();
	});

	it('stores the connection string under a name and outputs only the reference; the stored URL logs in as the tenant', async () => {
		const name = `${PREFIX}gamma`;
		await runNode([item('create', 'gamma')], credentials);
		const storeItem = item('storeConnection', 'gamma', { storeAs: `apps/${name}/database-url` });
		const { output } = await runNode([storeItem, storeItem], credentials);
		expect(output[0].json).toMatchObject({ key: 'gamma', storedAs: `apps/${name}/database-url`, secretReference: `${POSTGRES_VAULT_PREFIX}apps/${name}/database-url`, created: true });
		// A repeat replaces the value under the same name instead of adding a second secret.
		expect(output[1].json).toMatchObject({ secretReference: output[0].json.secretReference, created: false });
		expect(await query(`SELECT count(*)::int AS n FROM ${DEFAULT_VAULT_TABLE} WHERE name = $1`, [`apps/${name}/database-url`])).toEqual([{ n: 1 }]);
		const [row] = await query<{ value: string }>(`SELECT value FROM ${DEFAULT_VAULT_TABLE} WHERE name = $1`, [`apps/${name}/database-url`]);
		const password = await storedPassword(name);
		expect(decodeURIComponent(new URL(row.value).password)).toBe(password);
		expect(JSON.stringify(output)).not.toContain(String(password));
		const tenant = new Client({ connectionString: row.value });
		await tenant.connect();
		try {
			expect((await tenant.query('SELECT current_user AS user, current_database() AS db')).rows).toEqual([{ user: name, db: name }]);
		} finally {
			await tenant.end();
		}
	});

	it('runs the platform migrations as the tenant, then finds them applied; receipts name the database key', async () => {
		const name = `${PREFIX}delta`;
		await runNode([item('create', 'delta')], credentials);
		const on = recordReceipt(store.dir, 'delta');
		const first = await runNode([migrate('delta', on)], credentials);
		expect(first.output[0].json).toMatchObject({ key: 'delta', applied: PLATFORM, alreadyApplied: [], appliedCount: 2, upToDate: false });
		const again = await runNode([migrate('delta')], credentials);
		expect(again.output[0].json).toMatchObject({ applied: [], alreadyApplied: PLATFORM, upToDate: true });
		const tables = new Client({ connectionString: database.url.replace(/\/[^/]*$/, `/${name}`) });
		await tables.connect();
		try {
			const { rows } = await tables.query<{ owner: string }>("SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'pgmigrations'");
			expect(rows).toEqual([{ owner: name }]);
		} finally {
			await tables.end();
		}
		expect((await receiptsIn(store.dir, 'delta')).map((r) => [r.workflow_step, r.resource_ref])).toEqual([['provisioning.migration.run', 'delta']]);
	});

	it('fails a migration of a database that does not exist as not_found, and a relative directory before connecting', async () => {
		const { output } = await runNode([migrate('nobody'), migrate('nobody', { migrationSource: 'directory', migrationsDirectory: 'relative/dir' })], credentials, { continueOnFail: true });
		expect(output[0].json).toMatchObject({ kind: 'not_found' });
		expect(output[1].json).toMatchObject({ kind: 'validation', field: 'migrationsDirectory' });
		expect(output.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('refuses a bad name prefix or store name naming the field, before creating anything', async () => {
		await expect(runNode([item('create', 'eps', { naming: { namePrefix: 'Bad-Prefix' } })], credentials)).rejects.toThrow(/namePrefix/);
		await expect(runNode([item('storeConnection', 'eps', { storeAs: 'has spaces' })], credentials)).rejects.toThrow(/storeAs/);
		expect(await query('SELECT 1 FROM pg_roles WHERE rolname LIKE $1', [`%eps`])).toEqual([]);
	});

	it('keeps the password in AWS Secrets Manager when that is the secret store, and only there', async () => {
		const secrets = mockClient(SecretsManagerClient);
		try {
			const name = `${PREFIX}zeta`;
			const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:q2c/postgres/${name}-AbC`;
			secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
			secrets.on(CreateSecretCommand).resolves({ ARN: arn });
			secrets.on(DeleteSecretCommand).resolves({});
			const withAws = { ...credentials, provisioningAwsApi: { authentication: 'accessKey', region: 'eu-west-1', accessKeyId: 'AKIDPGTEST', secretAccessKey: 'pg-suite-secret-access-key' } };
			const { output, requestedCredentials } = await runNode([item('create', 'zeta', { secretStore: 'secretsManager' })], withAws);
			expect(requestedCredentials.sort()).toEqual(['provisioningAwsApi', 'provisioningPostgresApi']);
			const sent = secrets.commandCalls(CreateSecretCommand)[0].args[0].input;
			expect(sent.Name).toBe(`q2c/postgres/${name}`);
			const password = (JSON.parse(String(sent.SecretString)) as { password: string }).password;
			expect(output[0].json).toMatchObject({ status: 'available', secretReference: arn });
			expect(JSON.stringify(output)).not.toContain(password);
			expect(await query('SELECT 1 AS found FROM pg_roles WHERE rolname = $1', [name])).toEqual([{ found: 1 }]);
			expect(await storedPassword(name)).toBeUndefined();
			await runNode([item('delete', 'zeta', { secretStore: 'secretsManager' })], withAws);
			expect(secrets.commandCalls(DeleteSecretCommand)[0].args[0].input).toMatchObject({ SecretId: `q2c/postgres/${name}`, ForceDeleteWithoutRecovery: true });
		} finally {
			secrets.restore();
		}
	});

	describe('credential test', () => {
		const test = (data: ICredentialDataDecryptedObject) => provisioningPostgresApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'pg', type: 'provisioningPostgresApi', data });

		it('is OK for a role that may create databases and roles', async () => {
			await expect(test(credentials.provisioningPostgresApi)).resolves.toMatchObject({ status: 'OK', message: expect.stringMatching(/PostgreSQL \d+/) });
		});

		it('fails for a role without CREATEDB / CREATEROLE, and for a login the server refuses, without the password', async () => {
			const weak = `${PREFIX}weak`;
			const secret = `pw-${randomBytes(8).toString('hex')}`;
			await admin.query(`CREATE ROLE "${weak}" LOGIN PASSWORD '${secret}'`);
			const weakResult = await test({ ...credentials.provisioningPostgresApi, user: weak, password: secret });
			expect(weakResult).toMatchObject({ status: 'Error', message: expect.stringMatching(/CREATEDB and CREATEROLE/) });
			const missing = await test({ ...credentials.provisioningPostgresApi, user: `${PREFIX}nobody`, password: secret });
			expect(missing.status).toBe('Error');
			expect(missing.message).not.toContain(secret);
		});
	});
});
