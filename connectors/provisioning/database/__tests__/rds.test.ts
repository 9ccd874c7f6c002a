import {
	CreateDBInstanceCommand,
	DBInstanceAlreadyExistsFault,
	DBInstanceNotFoundFault,
	DeleteDBInstanceCommand,
	DescribeDBInstancesCommand,
	InvalidDBInstanceStateFault,
	ModifyDBInstanceCommand,
	RDSClient,
	RDSServiceException,
	type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { inspect } from 'node:util';
import { sha256Hex } from '../../../core';
import { InMemorySecretVault } from '../memoryVault';
import { RdsProvisioner } from '../rds';
import type { RdsProvisionerOptions } from '../rdsOptions';
import { rdsStatus } from '../rdsStatus';
import { rejection } from '../../../../test/support/connectorErrors';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf';
const rds = mockClient(RDSClient);
const client = new RDSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' } });
const fast = { min: 0.01, max: 0.02 };
const meta = { httpStatusCode: 400, requestId: 'req-1' };
const keyTag = (key: string) => ({ Key: 'q2c:business-key-sha256', Value: sha256Hex(key).slice(0, 32) });

function instance(status: string, extra: Partial<DBInstance> = {}): DBInstance {
	return {
		DBInstanceIdentifier: 'tenant-acme',
		DBInstanceStatus: status,
		DBName: 'tenant_acme',
		Engine: 'postgres',
		MasterUsername: 'q2c_admin',
		MasterUserSecret: { SecretArn: SECRET_ARN, SecretStatus: 'active' },
		TagList: [keyTag('acme')],
		...(status === 'available' ? { Endpoint: { Address: 'tenant-acme.abc.eu-west-1.rds.amazonaws.com', Port: 5432 } } : {}),
		...extra,
	};
}

const notFound = () => new DBInstanceNotFoundFault({ message: 'DBInstance tenant-acme not found.', $metadata: { ...meta, httpStatusCode: 404 } });

beforeEach(() => rds.reset());
afterAll(() => rds.restore());

describe('RdsProvisioner.create', () => {
	const provisioner = new RdsProvisioner({ client, dbSubnetGroupName: 'tenants', vpcSecurityGroupIds: ['sg-0123456789abcdef0'], engineVersion: '16.4', tags: { env: 'test' }, waiterDelaySeconds: fast });

	it('asks RDS for a managed-password instance named from the key and returns at once (status creating)', async () => {
		rds.on(CreateDBInstanceCommand).resolves({ DBInstance: instance('creating') });
		const info = await provisioner.create({ key: 'acme', tags: { tier: 'professional' } });
		expect(info).toEqual({ key: 'acme', status: 'creating', vendorStatus: 'creating', engine: 'postgres', identifier: 'tenant-acme', databaseName: 'tenant_acme', username: 'q2c_admin', secretReference: SECRET_ARN });
		const input = rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input;
		expect(input).toMatchObject({
			DBInstanceIdentifier: 'tenant-acme',
			DBName: 'tenant_acme',
			Engine: 'postgres',
			EngineVersion: '16.4',
			DBInstanceClass: 'db.t4g.micro',
			AllocatedStorage: 20,
			ManageMasterUserPassword: true,
			DeletionProtection: true,
			StorageEncrypted: true,
			PubliclyAccessible: false,
			DBSubnetGroupName: 'tenants',
			VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
		});
		expect(input.MasterUserPassword).toBeUndefined();
		expect(input.Tags).toEqual(expect.arrayContaining([{ Key: 'env', Value: 'test' }, { Key: 'tier', Value: 'professional' }, keyTag('acme'), { Key: 'q2c:business-key', Value: 'acme' }]));
		expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
	});

	it('treats DBInstanceAlreadyExists as the same resource when it carries this key', async () => {
		rds.on(CreateDBInstanceCommand).rejects(new DBInstanceAlreadyExistsFault({ message: 'DB instance already exists', $metadata: meta }));
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('backing-up')] });
		expect(await provisioner.create({ key: 'acme' })).toMatchObject({ identifier: 'tenant-acme', status: 'creating', vendorStatus: 'backing-up' });
	});

	it("refuses an existing instance that was not made for this key", async () => {
		rds.on(CreateDBInstanceCommand).rejects(new DBInstanceAlreadyExistsFault({ message: 'DB instance already exists', $metadata: meta }));
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('available', { TagList: [keyTag('someone-else')] })] });
		expect(await rejection(provisioner.create({ key: 'acme' }))).toMatchObject({ kind: 'conflict', code: 'identifier_taken' });
	});

	it('with a generated password: stores it in the vault first, reuses it on a repeat, and never returns it', async () => {
		const vault = new InMemorySecretVault();
		const own = new RdsProvisioner({ client, vault, manageMasterUserPassword: false });
		rds.on(CreateDBInstanceCommand)
			.resolvesOnce({ DBInstance: instance('creating', { MasterUserSecret: undefined }) })
			.rejects(new DBInstanceAlreadyExistsFault({ message: 'exists', $metadata: meta }));
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('creating', { MasterUserSecret: undefined, TagList: [keyTag('acme'), { Key: 'q2c:secret-reference', Value: 'memory:q2c/rds/tenant-acme' }] })] });
		const first = await own.create({ key: 'acme' });
		const second = await own.create({ key: 'acme' });
		const calls = rds.commandCalls(CreateDBInstanceCommand).map((call) => call.args[0].input);
		const password = calls[0].MasterUserPassword as string;
		expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(calls[1].MasterUserPassword).toBe(password);
		expect(calls[0].ManageMasterUserPassword).toBeUndefined();
		expect(calls[0].Tags).toContainEqual({ Key: 'q2c:secret-reference', Value: 'memory:q2c/rds/tenant-acme' });
		expect(JSON.parse((await vault.get('q2c/rds/tenant-acme'))!.value.reveal())).toMatchObject({ username: 'q2c_admin', password });
		expect(second.secretReference).toBe('memory:q2c/rds/tenant-acme');
		expect(JSON.stringify([first, second])).not.toContain(password);
	});

	it('maps AWS failures into the taxonomy', async () => {
		const fail = (name: string, status: number) => new RDSServiceException({ name, $fault: 'client', message: `${name} happened`, $metadata: { httpStatusCode: status } });
		rds.on(CreateDBInstanceCommand)
			.rejectsOnce(fail('AccessDenied', 403))
			.rejectsOnce(fail('InstanceQuotaExceeded', 400))
			.rejectsOnce(fail('Throttling', 400))
			.rejectsOnce(fail('DBSubnetGroupNotFoundFault', 404))
			.rejectsOnce(fail('InsufficientDBInstanceCapacity', 400));
		expect((await rejection(provisioner.create({ key: 'acme' }))).kind).toBe('auth');
		const quota = await rejection(provisioner.create({ key: 'acme' }));
		expect(quota.kind).toBe('permanent');
		expect(quota.retryable).toBe(false);
		expect((await rejection(provisioner.create({ key: 'acme' }))).kind).toBe('rate_limited');
		expect((await rejection(provisioner.create({ key: 'acme' }))).kind).toBe('validation');
		expect((await rejection(provisioner.create({ key: 'acme' }))).retryable).toBe(true);
	});

	it('validates the key, tags and configuration before any AWS call', async () => {
		expect(await rejection(provisioner.create({ key: '' }))).toMatchObject({ kind: 'validation', field: 'key' });
		expect(await rejection(provisioner.create({ key: 'acme', tags: { bad: 'no#hash' } }))).toMatchObject({ kind: 'validation' });
		expect(await rejection(provisioner.get('\u0001'))).toMatchObject({ kind: 'validation', field: 'key' });
		expect(rds.calls()).toHaveLength(0);
		for (const [options, field] of [
			[{ instanceClass: 't4g.micro' }, 'instanceClass'],
			[{ allocatedStorage: 5 }, 'allocatedStorage'],
			[{ masterUsername: 'rdsadmin' }, 'masterUsername'],
			[{ vpcSecurityGroupIds: ['default'] }, 'vpcSecurityGroupIds'],
			[{ identifierPrefix: 'Tenant--' }, 'identifierPrefix'],
			[{ manageMasterUserPassword: false }, 'vault'],
			[{ waiterDelaySeconds: { min: 0, max: 1 } }, 'waiterDelaySeconds'],
			[{ backupRetentionPeriod: 40 }, 'backupRetentionPeriod'],
		] as Array<[Partial<RdsProvisionerOptions>, string]>) {
			expect(() => new RdsProvisioner({ client, ...options })).toThrow(new RegExp(field));
		}
		expect(() => new RdsProvisioner({} as never)).toThrow(/client/);
	});
});

describe('RdsProvisioner.get and the waiters', () => {
	const provisioner = new RdsProvisioner({ client, waiterDelaySeconds: fast });

	it.each([
		['creating', 'creating'],
		['backing-up', 'creating'],
		['modifying', 'creating'],
		['configuring-enhanced-monitoring', 'creating'],
		['available', 'available'],
		['deleting', 'deleting'],
		['failed', 'failed'],
		['incompatible-parameters', 'failed'],
		['incompatible-network', 'failed'],
		['storage-full', 'failed'],
		['some-new-aws-status', 'creating'],
	])('maps RDS status %s to %s', async (vendor, expected) => {
		expect(rdsStatus(vendor)).toBe(expected);
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance(vendor)] });
		expect(await provisioner.get('acme')).toMatchObject({ status: expected, vendorStatus: vendor });
	});

	it('reports a missing instance as deleted and publishes the endpoint once available', async () => {
		rds.on(DescribeDBInstancesCommand).rejectsOnce(notFound()).resolves({ DBInstances: [instance('available')] });
		expect(await provisioner.get('acme')).toEqual({ key: 'acme', status: 'deleted', engine: 'postgres', identifier: 'tenant-acme', databaseName: 'tenant_acme' });
		expect(await provisioner.get('acme')).toMatchObject({ status: 'available', host: 'tenant-acme.abc.eu-west-1.rds.amazonaws.com', port: 5432 });
	});

	it('waitUntilAvailable polls with the SDK waiter until available', async () => {
		rds.on(DescribeDBInstancesCommand)
			.resolvesOnce({ DBInstances: [instance('creating')] })
			.resolvesOnce({ DBInstances: [instance('creating')] })
			.resolvesOnce({ DBInstances: [instance('backing-up')] })
			.resolves({ DBInstances: [instance('available')] });
		expect(await provisioner.waitUntilAvailable('acme', { maxWaitSeconds: 5 })).toMatchObject({ status: 'available' });
		expect(rds.commandCalls(DescribeDBInstancesCommand).length).toBeGreaterThanOrEqual(4);
	});

	it('waitUntilAvailable: a transient error on timeout, a permanent one when the instance fails', async () => {
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('creating')] });
		const timeout = await rejection(provisioner.waitUntilAvailable('acme', { maxWaitSeconds: 0.1 }));
		expect(timeout).toMatchObject({ kind: 'transient', code: 'wait_timeout' });

		rds.reset();
		rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [instance('creating')] }).resolves({ DBInstances: [instance('incompatible-parameters')] });
		expect(await rejection(provisioner.waitUntilAvailable('acme', { maxWaitSeconds: 5 }))).toMatchObject({ kind: 'permanent', code: 'wait_failed' });

		rds.reset();
		rds.on(DescribeDBInstancesCommand).rejects(notFound());
		expect((await rejection(provisioner.waitUntilAvailable('acme'))).kind).toBe('not_found');
		expect(await rejection(provisioner.waitUntilAvailable('acme', { maxWaitSeconds: -1 }))).toMatchObject({ kind: 'validation', field: 'maxWaitSeconds' });
	});

	it('waitUntilDeleted returns once RDS no longer knows the instance', async () => {
		rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [instance('deleting')] }).resolvesOnce({ DBInstances: [instance('deleting')] }).rejects(notFound());
		expect(await provisioner.waitUntilDeleted('acme', { maxWaitSeconds: 5 })).toMatchObject({ status: 'deleted' });
	});
});

describe('RdsProvisioner.delete', () => {
	const provisioner = new RdsProvisioner({ client, waiterDelaySeconds: fast });

	it('turns deletion protection off, then deletes without a final snapshot or automated backups', async () => {
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('available', { DeletionProtection: true })] });
		rds.on(ModifyDBInstanceCommand).resolves({});
		rds.on(DeleteDBInstanceCommand).resolves({ DBInstance: instance('deleting') });
		expect(await provisioner.delete('acme')).toMatchObject({ status: 'deleting', identifier: 'tenant-acme' });
		expect(rds.commandCalls(ModifyDBInstanceCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: 'tenant-acme', DeletionProtection: false, ApplyImmediately: true });
		expect(rds.commandCalls(DeleteDBInstanceCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: 'tenant-acme', SkipFinalSnapshot: true, DeleteAutomatedBackups: true });
		const order = rds.calls().map((call) => (call.args[0] as object).constructor.name);
		expect(order.indexOf('ModifyDBInstanceCommand')).toBeLessThan(order.indexOf('DeleteDBInstanceCommand'));
	});

	it('while creating: a retryable "wait, then retry" error, or a wait when allowed', async () => {
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('creating')] });
		const error = await rejection(provisioner.delete('acme'));
		expect(error).toMatchObject({ kind: 'transient', code: 'db_instance_not_ready' });
		expect(error.retryable).toBe(true);
		expect(error.message).toMatch(/wait until it is available, then retry/);
		expect(rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);

		rds.reset();
		rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [instance('creating')] }).resolvesOnce({ DBInstances: [instance('creating')] }).resolves({ DBInstances: [instance('available')] });
		rds.on(DeleteDBInstanceCommand).resolves({ DBInstance: instance('deleting') });
		expect(await provisioner.delete('acme', { waitIfCreating: true, maxWaitSeconds: 5 })).toMatchObject({ status: 'deleting' });
		expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
	});

	it('is idempotent: a missing or already deleting instance is fine', async () => {
		rds.on(DescribeDBInstancesCommand).rejectsOnce(notFound()).resolvesOnce({ DBInstances: [instance('deleting')] });
		expect(await provisioner.delete('acme')).toMatchObject({ status: 'deleted' });
		expect(await provisioner.delete('acme')).toMatchObject({ status: 'deleting' });
		expect(rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);

		rds.reset();
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('failed')] });
		rds.on(DeleteDBInstanceCommand).rejects(notFound());
		expect(await provisioner.delete('acme')).toMatchObject({ status: 'deleted' });
	});

	it('reports a state RDS refuses as transient, and removes a generated password from the vault', async () => {
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('available')] });
		rds.on(DeleteDBInstanceCommand).rejectsOnce(new InvalidDBInstanceStateFault({ message: 'Instance is not in available state', $metadata: meta })).resolves({ DBInstance: instance('deleting') });
		expect((await rejection(provisioner.delete('acme'))).kind).toBe('transient');

		const vault = new InMemorySecretVault();
		await vault.put('q2c/rds/tenant-acme', '{"password":"generated-pw-1"}');
		await new RdsProvisioner({ client, vault, manageMasterUserPassword: false }).delete('acme');
		expect(vault.names()).toEqual([]);
	});
});

describe('RdsProvisioner.connection', () => {
	it('builds the connection string from the endpoint and the managed secret, redacted in output', async () => {
		const vault = new InMemorySecretVault();
		await vault.put(SECRET_ARN, JSON.stringify({ username: 'q2c_admin', password: 'Rds-Managed-Pw-9' }));
		const provisioner = new RdsProvisioner({ client, vault });
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('available')] });
		const connection = await provisioner.connection('acme');
		expect(connection.connectionString.reveal()).toBe('postgres://q2c_admin:Rds-Managed-Pw-9@tenant-acme.abc.eu-west-1.rds.amazonaws.com:5432/tenant_acme?sslmode=require');
		expect(connection.secretReference).toBe(`memory:${SECRET_ARN}`);
		expect(JSON.stringify(connection)).not.toContain('Rds-Managed-Pw-9');
		expect(inspect(connection)).not.toContain('Rds-Managed-Pw-9');
	});

	it('is not_found without an instance, retryable while creating, and needs a vault', async () => {
		const vault = new InMemorySecretVault();
		const provisioner = new RdsProvisioner({ client, vault });
		rds.on(DescribeDBInstancesCommand).rejectsOnce(notFound()).resolvesOnce({ DBInstances: [instance('creating')] }).resolves({ DBInstances: [instance('available')] });
		expect((await rejection(provisioner.connection('acme'))).kind).toBe('not_found');
		expect((await rejection(provisioner.connection('acme'))).retryable).toBe(true);
		expect(await rejection(provisioner.connection('acme'))).toMatchObject({ kind: 'not_found', code: 'secret_not_found' });
		expect(await rejection(new RdsProvisioner({ client }).connection('acme'))).toMatchObject({ kind: 'validation', field: 'vault' });
		await vault.put(SECRET_ARN, 'not json but secret-ish-value');
		const unreadable = await rejection(provisioner.connection('acme'));
		expect(unreadable.code).toBe('credential_unreadable');
		expect(unreadable.message).not.toContain('secret-ish-value');
	});
});
