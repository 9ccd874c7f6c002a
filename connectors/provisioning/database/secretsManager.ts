/**
 * SecretVault over AWS Secrets Manager. Names are used as given (the provisioner chooses them); `get` and `delete`
 * also accept an ARN, so the secret RDS manages for a master user (MasterUserSecret.SecretArn) reads the same way.
 */
import {
	CreateSecretCommand,
	DeleteSecretCommand,
	GetSecretValueCommand,
	PutSecretValueCommand,
	type SecretsManagerClient,
	type Tag,
} from '@aws-sdk/client-secrets-manager';
import { ConnectorError, registerSecret, sha256Hex, validationError } from '../../core';
import { mapAwsError } from './awsErrors';
import { SecretString } from './secret';
import type { PutSecretOptions, SecretVault, StoredSecret } from './types';

export const SECRETS_MANAGER_VENDOR = 'aws-secrets-manager';

export interface SecretsManagerVaultOptions {
	client: SecretsManagerClient;
	/** Customer managed KMS key for new secrets (default: the account's aws/secretsmanager key). */
	kmsKeyId?: string;
	tags?: Record<string, string>;
}

export class SecretsManagerVault implements SecretVault {
	constructor(private readonly options: SecretsManagerVaultOptions) {
		if (!options?.client) throw validationError('client', 'a SecretsManagerClient');
	}

	async put(name: string, value: string, options: PutSecretOptions = {}): Promise<StoredSecret> {
		const secretName = checkName(name);
		if (typeof value !== 'string' || value === '') throw validationError('value', 'a non-empty secret text');
		registerSecret(value);
		// A retry of the same put sends the same token (AWS then answers with the version it already has); a new value
		// gets a new token, because an existing version can never change.
		const token = options.idempotencyKey ? sha256Hex(`${options.idempotencyKey}\u0000${sha256Hex(value)}`) : undefined;
		try {
			const created = await this.options.client.send(
				new CreateSecretCommand({
					Name: secretName,
					SecretString: value,
					ClientRequestToken: token,
					Description: options.description,
					KmsKeyId: this.options.kmsKeyId,
					Tags: tagList(this.options.tags),
				}),
			);
			return { reference: created.ARN ?? secretName, created: true };
		} catch (error) {
			if ((error as { name?: string })?.name !== 'ResourceExistsException') throw this.mapError(error, `Storing secret ${secretName}`);
		}
		if (options.overwrite) {
			try {
				const updated = await this.options.client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: value, ClientRequestToken: token }));
				return { reference: updated.ARN ?? secretName, created: false };
			} catch (error) {
				throw this.mapError(error, `Replacing secret ${secretName}`);
			}
		}
		const existing = await this.get(secretName);
		return { reference: existing?.reference ?? secretName, created: false };
	}

	async get(name: string): Promise<{ reference: string; value: SecretString } | undefined> {
		const secretId = checkName(name);
		try {
			const found = await this.options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
			if (typeof found.SecretString !== 'string') {
				throw new ConnectorError('permanent', `Secret ${secretId} holds binary data, not text`, { vendor: SECRETS_MANAGER_VENDOR, code: 'secret_not_text' });
			}
			return { reference: found.ARN ?? secretId, value: new SecretString(found.SecretString) };
		} catch (error) {
			if ((error as { name?: string })?.name === 'ResourceNotFoundException') return undefined;
			throw this.mapError(error, `Reading secret ${secretId}`);
		}
	}

	async delete(name: string): Promise<void> {
		const secretId = checkName(name);
		try {
			// Without recovery: a rollback must free the name for the next attempt at once.
			await this.options.client.send(new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }));
		} catch (error) {
			if ((error as { name?: string })?.name === 'ResourceNotFoundException') return;
			throw this.mapError(error, `Deleting secret ${secretId}`);
		}
	}

	private mapError(error: unknown, doing: string): ConnectorError {
		const mapped = mapAwsError(error, SECRETS_MANAGER_VENDOR, doing);
		// A name whose forced deletion is still settling can be created again a little later.
		if (mapped.code === 'InvalidRequestException' && /scheduled for deletion|marked for deletion/i.test(mapped.message)) {
			return new ConnectorError('transient', mapped.message, { vendor: SECRETS_MANAGER_VENDOR, code: mapped.code, status: mapped.status });
		}
		return mapped;
	}
}

/**
 * Secrets Manager names: 1-512 of letters, digits and /_+=.@- ; ARNs (arn:aws:secretsmanager:…) also pass, and so do
 * the names RDS gives the master passwords it manages (`rds!db-…`), which only RDS may create but anyone may read.
 */
function checkName(name: string): string {
	if (typeof name !== 'string' || !/^(?:[A-Za-z0-9/_+=.@-]{1,512}|rds![A-Za-z0-9/_+=.@-]{1,508}|arn:[a-z-]+:secretsmanager:[A-Za-z0-9:/_+=.@!-]{1,1800})$/.test(name)) {
		throw validationError('name', 'a secret name of 1-512 letters, digits or /_+=.@- characters, an RDS-managed rds!… name, or a secret ARN', name);
	}
	return name;
}

function tagList(tags: Record<string, string> | undefined): Tag[] | undefined {
	if (!tags) return undefined;
	return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
