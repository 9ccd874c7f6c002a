import {
	CreateSecretCommand,
	DeleteSecretCommand,
	GetSecretValueCommand,
	InvalidRequestException,
	PutSecretValueCommand,
	ResourceExistsException,
	ResourceNotFoundException,
	SecretsManagerClient,
	SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { inspect } from 'node:util';
import { SecretsManagerVault } from '../secretsManager';
import { rejection } from '../../../../test/support/connectorErrors';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:q2c/postgres/tenant_acme-AbCdEf';
const sm = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' } });
const vault = new SecretsManagerVault({ client, tags: { team: 'platform' } });

const meta = { httpStatusCode: 400, requestId: 'req-1' };
const exists = () => new ResourceExistsException({ message: 'The operation failed because the secret already exists.', $metadata: meta });
const missing = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: meta });

beforeEach(() => sm.reset());
afterAll(() => sm.restore());

describe('SecretsManagerVault', () => {
	it('creates the secret with a ClientRequestToken derived from the idempotency key and the value', async () => {
		sm.on(CreateSecretCommand).resolves({ ARN, Name: 'q2c/postgres/tenant_acme' });
		const stored = await vault.put('q2c/postgres/tenant_acme', '{"password":"pw-one-123456"}', { idempotencyKey: 'q2c-step-abc', description: 'tenant db' });
		expect(stored).toEqual({ reference: ARN, created: true });
		const input = sm.commandCalls(CreateSecretCommand)[0].args[0].input;
		expect(input).toMatchObject({ Name: 'q2c/postgres/tenant_acme', SecretString: '{"password":"pw-one-123456"}', Description: 'tenant db', Tags: [{ Key: 'team', Value: 'platform' }] });
		expect(input.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);

		await vault.put('q2c/postgres/tenant_acme', '{"password":"pw-one-123456"}', { idempotencyKey: 'q2c-step-abc' });
		await vault.put('q2c/postgres/tenant_acme', '{"password":"pw-two-123456"}', { idempotencyKey: 'q2c-step-abc' });
		const tokens = sm.commandCalls(CreateSecretCommand).map((call) => call.args[0].input.ClientRequestToken);
		// Same key and value → same token (a retry); a different value → a new token (a new version).
		expect(tokens[1]).toBe(tokens[0]);
		expect(tokens[2]).not.toBe(tokens[0]);
	});

	it('keeps an existing secret (returns its ARN) unless told to overwrite', async () => {
		sm.on(CreateSecretCommand).rejects(exists());
		sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'old-value-123' });
		sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: 'v2' });
		expect(await vault.put('q2c/x', 'new-value-123')).toEqual({ reference: ARN, created: false });
		expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
		expect(await vault.put('q2c/x', 'new-value-123', { overwrite: true, idempotencyKey: 'k' })).toEqual({ reference: ARN, created: false });
		expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toMatchObject({ SecretId: 'q2c/x', SecretString: 'new-value-123' });
	});

	it('reads a secret by name or ARN as a SecretString, and a missing one as undefined', async () => {
		sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ ARN, SecretString: 'hunter2-long-secret' });
		sm.on(GetSecretValueCommand, { SecretId: 'nope' }).rejects(missing());
		const found = await vault.get(ARN);
		expect(found?.reference).toBe(ARN);
		expect(found?.value.reveal()).toBe('hunter2-long-secret');
		expect(JSON.stringify(found)).not.toContain('hunter2');
		expect(inspect(found)).not.toContain('hunter2');
		expect(await vault.get('nope')).toBeUndefined();
	});

	it("reads the master password RDS manages under its own rds!… name", async () => {
		sm.on(GetSecretValueCommand, { SecretId: 'rds!db-0a1b2c3d' }).resolves({ ARN, SecretString: '{"username":"admin","password":"rds-managed-pw"}' });
		expect((await vault.get('rds!db-0a1b2c3d'))?.value.reveal()).toContain('rds-managed-pw');
	});

	it('refuses binary secrets', async () => {
		sm.on(GetSecretValueCommand).resolves({ ARN, SecretBinary: new Uint8Array([1, 2]) });
		expect(await rejection(vault.get('bin'))).toMatchObject({ kind: 'permanent', code: 'secret_not_text' });
	});

	it('deletes without recovery, and a missing secret is already deleted', async () => {
		sm.on(DeleteSecretCommand).resolvesOnce({ ARN }).rejects(missing());
		await vault.delete('q2c/x');
		await vault.delete('q2c/x');
		expect(sm.commandCalls(DeleteSecretCommand).map((call) => call.args[0].input)).toEqual([
			{ SecretId: 'q2c/x', ForceDeleteWithoutRecovery: true },
			{ SecretId: 'q2c/x', ForceDeleteWithoutRecovery: true },
		]);
	});

	it('maps AWS errors into the taxonomy', async () => {
		const fail = (name: string, status: number, message = 'nope') => new SecretsManagerServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: status } });
		sm.on(GetSecretValueCommand)
			.rejectsOnce(fail('AccessDeniedException', 400))
			.rejectsOnce(fail('ThrottlingException', 400))
			.rejectsOnce(fail('InternalServiceError', 500))
			.rejectsOnce(fail('InvalidParameterException', 400))
			.rejectsOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		expect(await rejection(vault.get('a'))).toMatchObject({ kind: 'auth', code: 'AccessDeniedException' });
		const throttled = await rejection(vault.get('a'));
		expect(throttled).toMatchObject({ kind: 'rate_limited' });
		expect(throttled.retryable).toBe(true);
		expect((await rejection(vault.get('a'))).kind).toBe('transient');
		expect((await rejection(vault.get('a'))).kind).toBe('validation');
		expect((await rejection(vault.get('a'))).kind).toBe('transient');

		sm.on(CreateSecretCommand).rejects(new InvalidRequestException({ message: "You can't create this secret because a secret with this name is already scheduled for deletion.", $metadata: meta }));
		const settling = await rejection(vault.put('q2c/x', 'value-123456'));
		expect(settling.kind).toBe('transient');
		expect(settling.retryable).toBe(true);
	});

	it('never puts the secret value into an error', async () => {
		sm.on(CreateSecretCommand).rejects(new InvalidRequestException({ message: 'bad secret value super-secret-value-1', $metadata: meta }));
		const error = await rejection(vault.put('q2c/x', 'super-secret-value-1'));
		expect(error.message).not.toContain('super-secret-value-1');
		expect(JSON.stringify(error)).not.toContain('super-secret-value-1');
	});

	it('validates names and values before calling AWS', async () => {
		expect(await rejection(vault.put('bad name!', 'value-123456'))).toMatchObject({ kind: 'validation', field: 'name' });
		expect(await rejection(vault.put('q2c/x', ''))).toMatchObject({ kind: 'validation', field: 'value' });
		expect(await rejection(vault.get(''))).toMatchObject({ kind: 'validation', field: 'name' });
		expect(await rejection(vault.delete('x'.repeat(600)))).toMatchObject({ kind: 'validation', field: 'name' });
		expect(sm.calls()).toHaveLength(0);
		expect(() => new SecretsManagerVault({} as never)).toThrow(/client/);
	});
});
