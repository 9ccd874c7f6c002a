/**
 * The database resource on the RDS backend, through the node, with the AWS SDK clients mocked (aws-sdk-client-mock):
 * what reaches RDS and Secrets Manager, what comes out, receipts, errors per item, and the AWS credential test.
 */
import {
	CreateDBInstanceCommand,
	DBInstanceNotFoundFault,
	DeleteDBInstanceCommand,
	DescribeDBInstancesCommand,
	ModifyDBInstanceCommand,
	RDSClient,
	RDSServiceException,
	type DBInstance,
} from '@aws-sdk/client-rds';
import { ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateSecretCommand, GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import { sha256Hex } from '../../connectors/core';
import { receiptsIn, recordReceipt, useTempStore } from '../shared/__tests__/receiptKit';
import { runNode } from './__tests__/context';
import { provisioningAwsApiTest } from './credentialTest';

const rds = mockClient(RDSClient);
const secrets = mockClient(SecretsManagerClient);
const route53 = mockClient(Route53Client);
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-node-test';
const aws: ICredentialDataDecryptedObject = { authentication: 'accessKey', region: 'eu-west-1', accessKeyId: 'AKIDNODETEST', secretAccessKey: SECRET_ACCESS_KEY };
const credentials = { provisioningAwsApi: aws };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf';
const meta = { httpStatusCode: 400, requestId: 'req-1' };
const store = useTempStore();

function instance(status: string, extra: Partial<DBInstance> = {}): DBInstance {
	return {
		DBInstanceIdentifier: 'tenant-acme',
		DBInstanceStatus: status,
		DBName: 'tenant_acme',
		MasterUsername: 'q2c_admin',
		MasterUserSecret: { SecretArn: SECRET_ARN },
		TagList: [{ Key: 'q2c:business-key-sha256', Value: sha256Hex('acme').slice(0, 32) }],
		...(status === 'available' ? { Endpoint: { Address: 'tenant-acme.abc.eu-west-1.rds.amazonaws.com', Port: 5432 } } : {}),
		...extra,
	};
}

const rdsItem = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'database', operation, databaseBackend: 'rds', businessKey: 'acme', ...extra });
const notFound = () => new DBInstanceNotFoundFault({ message: 'DBInstance tenant-acme not found.', $metadata: { ...meta, httpStatusCode: 404 } });

beforeEach(() => {
	rds.reset();
	secrets.reset();
	route53.reset();
});
afterAll(() => {
	rds.restore();
	secrets.restore();
	route53.restore();
});

describe('Cloud Provisioning: database on RDS', () => {
	it('creates an instance with the chosen options and outputs its status, never a password', async () => {
		rds.on(CreateDBInstanceCommand).resolves({ DBInstance: instance('creating') });
		const { output, requestedCredentials } = await runNode(
			[
				rdsItem('create', {
					rdsOptions: { instanceClass: 'db.t4g.small', allocatedStorage: 50, dbSubnetGroupName: 'tenants', vpcSecurityGroupIds: 'sg-0123456789abcdef0, sg-0fedcba9876543210', engineVersion: '16.4' },
				}),
			],
			credentials,
		);
		const sent = rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input;
		expect(sent).toMatchObject({
			DBInstanceIdentifier: 'tenant-acme',
			DBName: 'tenant_acme',
			DBInstanceClass: 'db.t4g.small',
			AllocatedStorage: 50,
			DBSubnetGroupName: 'tenants',
			VpcSecurityGroupIds: ['sg-0123456789abcdef0', 'sg-0fedcba9876543210'],
			EngineVersion: '16.4',
			ManageMasterUserPassword: true,
		});
		expect(sent.MasterUserPassword).toBeUndefined();
		expect(output[0].json).toEqual({
			backend: 'rds',
			key: 'acme',
			status: 'creating',
			ready: false,
			engine: 'postgres',
			identifier: 'tenant-acme',
			databaseName: 'tenant_acme',
			username: 'q2c_admin',
			secretReference: SECRET_ARN,
			vendorStatus: 'creating',
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(requestedCredentials).toEqual(['provisioningAwsApi']);
	});

	it('with a generated password, stores it in Secrets Manager first and outputs only the reference', async () => {
		const stored = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:q2c/rds/tenant-acme-XyZ';
		secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: meta }));
		secrets.on(CreateSecretCommand).resolves({ ARN: stored });
		rds.on(CreateDBInstanceCommand).resolves({ DBInstance: instance('creating', { MasterUserSecret: undefined, TagList: [{ Key: 'q2c:secret-reference', Value: stored }] }) });
		const { output } = await runNode([rdsItem('create', { rdsPassword: 'generated' })], credentials);
		const secret = JSON.parse(String(secrets.commandCalls(CreateSecretCommand)[0].args[0].input.SecretString)) as { password: string };
		const sent = rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input;
		expect(sent.MasterUserPassword).toBe(secret.password);
		expect(sent.ManageMasterUserPassword).toBeUndefined();
		expect(output[0].json.secretReference).toBe(stored);
		expect(JSON.stringify(output)).not.toContain(secret.password);
	});

	it('gets the status for a polling loop: available with its endpoint, deleted when there is none', async () => {
		rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [instance('available')] }).rejectsOnce(notFound());
		const { output } = await runNode([rdsItem('get'), rdsItem('get')], credentials);
		expect(output.map((item) => [item.json.status, item.json.ready, item.json.host ?? null])).toEqual([
			['available', true, 'tenant-acme.abc.eu-west-1.rds.amazonaws.com'],
			['deleted', false, null],
		]);
	});

	it('deletes (turning deletion protection off first) and deleting again succeeds; both record compensation receipts', async () => {
		rds.on(DescribeDBInstancesCommand)
			.resolvesOnce({ DBInstances: [instance('available', { DeletionProtection: true })] })
			.resolvesOnce({ DBInstances: [instance('available', { DeletionProtection: true })] })
			.rejects(notFound());
		rds.on(ModifyDBInstanceCommand).resolves({});
		rds.on(DeleteDBInstanceCommand).resolves({ DBInstance: instance('deleting') });
		const on = recordReceipt(store.dir, 'acme');
		const { output } = await runNode([rdsItem('delete', on), rdsItem('delete', on)], credentials, { executionId: '77' });
		expect(rds.commandCalls(ModifyDBInstanceCommand)[0].args[0].input).toMatchObject({ DBInstanceIdentifier: 'tenant-acme', DeletionProtection: false });
		expect(rds.commandCalls(DeleteDBInstanceCommand)[0].args[0].input).toMatchObject({ DBInstanceIdentifier: 'tenant-acme', SkipFinalSnapshot: true });
		expect(rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
		expect(output.map((item) => item.json.status)).toEqual(['deleting', 'deleted']);
		const receipts = await receiptsIn(store.dir, 'acme');
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([
			['compensation.provisioning.database.delete', 'tenant-acme'],
			['compensation.provisioning.database.delete', 'tenant-acme'],
		]);
		expect(output[0].json.receipt).toMatchObject({ step: 'compensation.provisioning.database.delete' });
	});

	it('records a create receipt under provisioning.database.create naming the instance', async () => {
		rds.on(CreateDBInstanceCommand).resolves({ DBInstance: instance('creating') });
		await runNode([rdsItem('create', recordReceipt(store.dir, 'acme'))], credentials);
		const [receipt] = await receiptsIn(store.dir, 'acme');
		expect(receipt.workflow_step).toBe('provisioning.database.create');
		expect(receipt.effect).toEqual({ type: 'provisioning.database', id: 'tenant-acme', key: 'acme', backend: 'rds', status: 'creating', databaseName: 'tenant_acme', vaultRef: SECRET_ARN });
	});

	it('stores the connection with the credential\'s Database TLS (require by default, disable for emulators), a bad value refused', async () => {
		rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('available')] });
		secrets.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: JSON.stringify({ username: 'q2c_admin', password: 'generated-Pw-1' }) });
		secrets.on(CreateSecretCommand).resolves({ ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:apps/acme/db-AbCdEf', Name: 'apps/acme/db', VersionId: 'v1' });
		const store = (tls?: string) => runNode([rdsItem('storeConnection', { storeAs: 'apps/acme/db' })], { provisioningAwsApi: tls === undefined ? aws : { ...aws, databaseTls: tls } });
		const sslmodes = () => secrets.commandCalls(CreateSecretCommand).map((call) => new URL(String(call.args[0].input.SecretString)).searchParams.get('sslmode'));
		await store();
		await store('disable');
		expect(sslmodes()).toEqual(['require', 'disable']);
		await expect(store('prefer')).rejects.toThrow(/databaseTls/);
		expect(sslmodes()).toHaveLength(2);
	});

	it('refuses a bad option naming the field before any AWS call', async () => {
		await expect(runNode([rdsItem('create', { rdsOptions: { instanceClass: 'large' } })], credentials)).rejects.toThrow(/instanceClass/);
		await expect(runNode([rdsItem('create', { businessKey: '  ' })], credentials)).rejects.toThrow(/businessKey/);
		await expect(runNode([rdsItem('get', { naming: { identifierPrefix: 'Bad_Prefix' } })], credentials)).rejects.toThrow(/identifierPrefix/);
		expect(rds.calls()).toHaveLength(0);
		expect(secrets.calls()).toHaveLength(0);
	});

	it('with Continue On Fail, a failing item becomes an error item paired to it and the others still run, without the secret key', async () => {
		rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'tenant-acme' }).resolves({ DBInstances: [instance('available')] });
		rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'tenant-beta' }).rejects(
			new RDSServiceException({ name: 'AccessDenied', $fault: 'client', message: `User with key ${SECRET_ACCESS_KEY} is not authorized`, $metadata: { ...meta, httpStatusCode: 403 } }),
		);
		const { output } = await runNode([rdsItem('get'), rdsItem('get', { businessKey: 'beta' }), rdsItem('get', { businessKey: '' })], credentials, { continueOnFail: true });
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.status).toBe('available');
		expect(output[1].json).toMatchObject({ kind: 'auth' });
		expect(output[2].json).toMatchObject({ kind: 'validation', field: 'businessKey' });
		expect(JSON.stringify(output)).not.toContain(SECRET_ACCESS_KEY);
		expect(String(output[1].error?.message)).not.toContain(SECRET_ACCESS_KEY);
	});
});

describe('Provisioning AWS credential test', () => {
	const test = (data: ICredentialDataDecryptedObject) => provisioningAwsApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'aws', type: 'provisioningAwsApi', data });

	it('is OK when RDS answers (a missing probe instance proves the keys and region work)', async () => {
		rds.on(DescribeDBInstancesCommand).rejects(notFound());
		await expect(test(aws)).resolves.toMatchObject({ status: 'OK' });
		expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
	});

	it('fails on rejected keys, without quoting the secret', async () => {
		rds.on(DescribeDBInstancesCommand).rejects(
			new RDSServiceException({ name: 'InvalidClientTokenId', $fault: 'client', message: `The security token ${SECRET_ACCESS_KEY} is invalid`, $metadata: { ...meta, httpStatusCode: 403 } }),
		);
		const result = await test(aws);
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(SECRET_ACCESS_KEY);
		expect(route53.calls()).toHaveLength(0);
	});

	it('falls back to Route 53 when the identity may not read RDS', async () => {
		rds.on(DescribeDBInstancesCommand).rejects(new RDSServiceException({ name: 'AccessDenied', $fault: 'client', message: 'not authorized', $metadata: { ...meta, httpStatusCode: 403 } }));
		route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [], IsTruncated: false, MaxItems: 100 });
		await expect(test(aws)).resolves.toMatchObject({ status: 'OK', message: expect.stringMatching(/Route 53/) });
	});

	it('fails on a missing region before any call', async () => {
		const result = await test({ ...aws, region: '' });
		expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/region/) });
		expect(rds.calls()).toHaveLength(0);
	});
});
