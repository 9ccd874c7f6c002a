import { CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient, waitUntilDBInstanceAvailable, waitUntilDBInstanceDeleted } from '@aws-sdk/client-rds';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';

const { createSecretsManagerFake } = require('../../sandbox/provisioning/secretsManager');
const { createRdsFake } = require('../../sandbox/provisioning/rds');
const { newAwsCredentials } = require('../../sandbox/provisioning/awsAuth');

/**
 * The RDS and Secrets Manager fakes driven by the official AWS SDK v3 clients (SigV4-signed, Query/XML and JSON
 * 1.1 protocols), with a REAL database behind every available instance: PostgreSQL at Q2C_TEST_POSTGRES_URL
 * (default postgres://postgres@127.0.0.1:5432/test) when reachable, else an embedded PGlite.
 */

const ADMIN_URL = process.env.Q2C_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const credentials = newAwsCredentials();
const secrets = createSecretsManagerFake({ credentials });
const rds = createRdsFake({ credentials, secrets, postgresAdminUrl: ADMIN_URL, delays: { creating: 400, backingUp: 300, deleting: 300 } });
const suffix = randomBytes(3).toString('hex');
let rdsClient: RDSClient;
let smClient: SecretsManagerClient;

const client = <T>(Type: new (config: any) => T, url: string, creds = credentials) => new Type({ endpoint: url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const waiter = (seconds = 20) => ({ client: rdsClient, maxWaitTime: seconds, minDelay: 1, maxDelay: 1 });

beforeAll(async () => {
	await secrets.listen();
	await rds.listen();
	rdsClient = client(RDSClient, rds.url);
	smClient = client(SecretsManagerClient, secrets.url);
});
afterAll(async () => {
	await rds.close();
	await secrets.close();
	rdsClient?.destroy();
	smClient?.destroy();
});

describe('RDS fake', () => {
	it('creates a real database with a managed master secret, protects it, then deletes it and drops the database', async () => {
		const id = `q2c-it-${suffix}`;
		const dbName = `q2c_it_${suffix}`;
		const username = `q2c_master_${suffix}`;
		const created = await rdsClient.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: username, DBName: dbName, AllocatedStorage: 20, ManageMasterUserPassword: true, DeletionProtection: true, Tags: [{ Key: 'tenant', Value: 't-1' }] }));
		expect(created.DBInstance).toMatchObject({ DBInstanceIdentifier: id, DBInstanceStatus: 'creating', DeletionProtection: true, TagList: [{ Key: 'tenant', Value: 't-1' }] });
		expect(created.DBInstance?.Endpoint).toBeUndefined();
		const secretArn = created.DBInstance?.MasterUserSecret?.SecretArn as string;
		expect(secretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!db-/);

		// The same identifier again: RDS's own "already exists" fault, not a second instance.
		await expect(rdsClient.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: username, ManageMasterUserPassword: true }))).rejects.toMatchObject({ name: 'DBInstanceAlreadyExistsFault', $metadata: { httpStatusCode: 400 } });
		// Deleting while it is being created fails like RDS does.
		await expect(rdsClient.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }))).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });

		await waitUntilDBInstanceAvailable(waiter(), { DBInstanceIdentifier: id });
		const described = (await rdsClient.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
		expect(described?.DBInstanceStatus).toBe('available');
		expect(described?.MasterUserSecret?.SecretStatus).toBe('active');
		expect(rds.state().history.filter((h: { id: string }) => h.id === id).map((h: { status: string }) => h.status)).toEqual(['creating', 'backing-up', 'available']);

		const secret = await smClient.send(new GetSecretValueCommand({ SecretId: secretArn }));
		const master = JSON.parse(secret.SecretString as string);
		expect(master.username).toBe(username);
		const db = new Client({ host: described?.Endpoint?.Address, port: described?.Endpoint?.Port, database: dbName, user: master.username, password: master.password });
		await db.connect();
		const who = await db.query('SELECT current_user AS "user", current_database() AS "database"');
		await db.query('CREATE TABLE tenants (id int)');
		await db.end();
		if (rds.databases()[0].kind === 'server') expect(who.rows[0]).toEqual({ user: username, database: dbName });
		// Passwords never appear in what RDS describes.
		expect(JSON.stringify(described)).not.toContain(master.password);

		await expect(rdsClient.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }))).rejects.toMatchObject({ name: 'InvalidParameterCombination', message: expect.stringMatching(/deletion protection/) });
		const modified = await rdsClient.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
		expect(modified.DBInstance?.DeletionProtection).toBe(false);
		const deleting = await rdsClient.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
		expect(deleting.DBInstance?.DBInstanceStatus).toBe('deleting');
		await waitUntilDBInstanceDeleted(waiter(), { DBInstanceIdentifier: id });
		await expect(rdsClient.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault', $metadata: { httpStatusCode: 404 } });
		expect(rds.databases()).toEqual([]);
		await expect(smClient.send(new DescribeSecretCommand({ SecretId: secretArn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
		const gone = new Client({ host: described?.Endpoint?.Address, port: described?.Endpoint?.Port, database: dbName, user: username, password: master.password, connectionTimeoutMillis: 2000 });
		await expect(gone.connect()).rejects.toThrow();
	}, 30_000);

	it('validates before creating anything and fails an instance when told to', async () => {
		await expect(rdsClient.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: '1-bad', DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: 'm', MasterUserPassword: 'long-enough-1' }))).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringMatching(/DBInstanceIdentifier/) });
		await expect(rdsClient.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ok-id', DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: 'm', MasterUserPassword: 'x', ManageMasterUserPassword: true }))).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
		expect(rds.instance('ok-id')).toBeNull();

		rds.failNext('db-instance', { message: 'insufficient capacity' });
		const id = `q2c-fail-${suffix}`;
		await rdsClient.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: `m_${suffix}`, DBName: `q2c_fail_${suffix}`, MasterUserPassword: 'long-enough-1' }));
		await expect(waitUntilDBInstanceAvailable(waiter(), { DBInstanceIdentifier: id })).rejects.toThrow(/FAILURE/);
		expect(rds.instance(id).DBInstanceStatus).toBe('failed');
		expect(rds.databases()).toEqual([]);
		await rdsClient.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
		await waitUntilDBInstanceDeleted(waiter(), { DBInstanceIdentifier: id });
	}, 20_000);

	it('answers injected faults and bad credentials in RDS shapes', async () => {
		rds.addFaults({ route: 'POST /', times: 1, fault: { status: 503 } });
		await expect(rdsClient.send(new DescribeDBInstancesCommand({}))).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
		const stranger = client(RDSClient, rds.url, newAwsCredentials());
		await expect(stranger.send(new DescribeDBInstancesCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
		const wrongSecret = client(RDSClient, rds.url, { accessKeyId: credentials.accessKeyId, secretAccessKey: 'not-the-secret' });
		await expect(wrongSecret.send(new DescribeDBInstancesCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
		expect((await rdsClient.send(new DescribeDBInstancesCommand({}))).DBInstances).toBeDefined();
	});
});

describe('RDS fake without a PostgreSQL server', () => {
	const embedded = createRdsFake({ credentials, secrets, delays: { creating: 100, backingUp: 100, deleting: 100 } });
	beforeAll(() => embedded.listen());
	afterAll(() => embedded.close());

	it('runs each instance on its own embedded PGlite and stops it on delete', async () => {
		const rdsLocal = client(RDSClient, embedded.url);
		const id = `q2c-lite-${suffix}`;
		await rdsLocal.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: 'app', DBName: 'app', MasterUserPassword: 'long-enough-1' }));
		await waitUntilDBInstanceAvailable({ client: rdsLocal, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: id });
		const endpoint = embedded.instance(id).Endpoint;
		expect(embedded.databases()).toEqual([expect.objectContaining({ kind: 'pglite', port: endpoint.Port })]);
		// PGlite checks neither the password nor the database name: this proves a real SQL engine answers.
		const db = new Client({ host: endpoint.Address, port: endpoint.Port, database: 'app', user: 'app', password: 'long-enough-1' });
		await db.connect();
		expect((await db.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'app'")).rows).toEqual([{ n: 1 }]);
		await db.end();
		await rdsLocal.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
		await waitUntilDBInstanceDeleted({ client: rdsLocal, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: id });
		await expect(new Client({ host: endpoint.Address, port: endpoint.Port, connectionTimeoutMillis: 2000 }).connect()).rejects.toThrow();
		rdsLocal.destroy();
	}, 60_000);
});

describe('Secrets Manager fake', () => {
	it('creates idempotently by ClientRequestToken, reads, and force-deletes so the name can be reused', async () => {
		const name = `q2c/tenant-${suffix}/db`;
		const token = randomUUID();
		const first = await smClient.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"p1"}', ClientRequestToken: token }));
		const again = await smClient.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"p1"}', ClientRequestToken: token }));
		expect(again).toMatchObject({ ARN: first.ARN, VersionId: token });
		await expect(smClient.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"p2"}', ClientRequestToken: token }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
		await expect(smClient.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"p1"}', ClientRequestToken: randomUUID() }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
		expect((await smClient.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('{"password":"p1"}');
		expect((await smClient.send(new DescribeSecretCommand({ SecretId: first.ARN }))).VersionIdsToStages).toEqual({ [token]: ['AWSCURRENT'] });

		await smClient.send(new DeleteSecretCommand({ SecretId: name }));
		await expect(smClient.send(new GetSecretValueCommand({ SecretId: name }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
		await expect(smClient.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }))).rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringMatching(/scheduled for deletion/) });
		await smClient.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
		await expect(smClient.send(new GetSecretValueCommand({ SecretId: name }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
		await smClient.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
	});

	it('rejects bad credentials, and fails the next create when told to', async () => {
		const stranger = client(SecretsManagerClient, secrets.url, newAwsCredentials());
		await expect(stranger.send(new GetSecretValueCommand({ SecretId: 'x' }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
		const wrongSecret = client(SecretsManagerClient, secrets.url, { accessKeyId: credentials.accessKeyId, secretAccessKey: 'nope' });
		await expect(wrongSecret.send(new GetSecretValueCommand({ SecretId: 'x' }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
		const res = await fetch(`${secrets.url}/__sandbox/fail-next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'create-secret' }) });
		expect(res.status).toBe(201);
		await expect(smClient.send(new CreateSecretCommand({ Name: `q2c-fail-${suffix}`, SecretString: 'x' }))).rejects.toMatchObject({ name: 'InternalServiceError', $metadata: { httpStatusCode: 500 } });
		await smClient.send(new CreateSecretCommand({ Name: `q2c-fail-${suffix}`, SecretString: 'x' }));
	});
});
