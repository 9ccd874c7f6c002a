/**
 * A dedicated AWS RDS for PostgreSQL instance per business key (seed 004, Tier 2). `create` only asks RDS and returns
 * (status `creating`): the workflow polls `get` with n8n's Wait node; scripts may call `waitUntilAvailable`.
 */
import {
	CreateDBInstanceCommand,
	DeleteDBInstanceCommand,
	DescribeDBInstancesCommand,
	ModifyDBInstanceCommand,
	waitUntilDBInstanceAvailable,
	waitUntilDBInstanceDeleted,
	type DBInstance,
	type Tag,
} from '@aws-sdk/client-rds';
import { ConnectorError, idempotencyKey, sha256Hex, validationError } from '../../core';
import { mapAwsError } from './awsErrors';
import { checkBusinessKey, postgresName, rdsIdentifier } from './names';
import { generatePassword } from './password';
import { checkRdsOptions, type CheckedRdsOptions, type RdsProvisionerOptions } from './rdsOptions';
import { infoFromInstance, TAG_BUSINESS_KEY, TAG_KEY_HASH, TAG_MANAGED_BY, TAG_SECRET_REFERENCE, tagValue } from './rdsStatus';
import { SecretString } from './secret';
import type { CreateDatabaseRequest, DatabaseConnection, DatabaseInfo, DatabaseProvisioner, DeleteDatabaseOptions } from './types';

export const RDS_VENDOR = 'aws-rds';
export const RDS_CREATE_STEP = 'provisioning.database.rds.create';
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

export class RdsProvisioner implements DatabaseProvisioner {
	private readonly options: CheckedRdsOptions;

	constructor(options: RdsProvisionerOptions) {
		this.options = checkRdsOptions(options);
	}

	/** Identifier and database name for a business key (validated; no AWS call). */
	namesFor(key: string): { identifier: string; databaseName: string } {
		return { identifier: rdsIdentifier(key, this.options.identifierPrefix), databaseName: postgresName(key, this.options.databaseNamePrefix) };
	}

	async create(request: CreateDatabaseRequest): Promise<DatabaseInfo> {
		const key = checkBusinessKey(request?.key, 'key');
		const { identifier, databaseName } = this.namesFor(key);
		const tags = this.tags(key, request.tags);
		const managed = this.options.manageMasterUserPassword !== false;
		let masterPassword: string | undefined;
		if (!managed) {
			const vault = this.options.vault!;
			const secretName = this.options.secretNamePrefix + identifier;
			const stored = await vault.get(secretName);
			const password = stored ? secretFields(stored.value, identifier).password : generatePassword();
			const reference = stored
				? stored.reference
				: (
						await vault.put(secretName, JSON.stringify({ engine: 'postgres', dbInstanceIdentifier: identifier, dbname: databaseName, username: this.masterUsername, password }), {
							idempotencyKey: idempotencyKey(key, RDS_CREATE_STEP),
							description: `Master credential of RDS instance ${identifier}`,
						})
					).reference;
			masterPassword = password;
			tags.push({ Key: TAG_SECRET_REFERENCE, Value: reference });
		}
		try {
			const created = await this.options.client.send(
				new CreateDBInstanceCommand({
					DBInstanceIdentifier: identifier,
					DBName: databaseName,
					Engine: 'postgres',
					EngineVersion: this.options.engineVersion,
					DBInstanceClass: this.options.instanceClass ?? 'db.t4g.micro',
					AllocatedStorage: this.options.allocatedStorage ?? 20,
					MaxAllocatedStorage: this.options.maxAllocatedStorage,
					MasterUsername: this.masterUsername,
					ManageMasterUserPassword: managed ? true : undefined,
					MasterUserSecretKmsKeyId: managed ? this.options.masterUserSecretKmsKeyId : undefined,
					MasterUserPassword: masterPassword,
					DBSubnetGroupName: this.options.dbSubnetGroupName,
					VpcSecurityGroupIds: this.options.vpcSecurityGroupIds,
					DeletionProtection: this.options.deletionProtection ?? true,
					StorageEncrypted: this.options.storageEncrypted ?? true,
					PubliclyAccessible: this.options.publiclyAccessible ?? false,
					BackupRetentionPeriod: this.options.backupRetentionPeriod,
					Tags: tags,
				}),
			);
			return infoFromInstance(key, created.DBInstance ?? { DBInstanceIdentifier: identifier, DBInstanceStatus: 'creating' }, databaseName);
		} catch (error) {
			if ((error as { name?: string })?.name !== 'DBInstanceAlreadyExistsFault') throw mapAwsError(error, RDS_VENDOR, `Creating RDS instance ${identifier}`);
		}
		// Already there: the same resource when it carries this key's tag; someone else's instance otherwise.
		const instance = await this.describe(identifier);
		if (!instance) throw new ConnectorError('transient', `RDS instance ${identifier} was reported as existing but cannot be found; retry`, { vendor: RDS_VENDOR });
		if (tagValue(instance, TAG_KEY_HASH) !== keyHash(key)) {
			throw new ConnectorError('conflict', `RDS instance ${identifier} already exists but was not created for this business key`, { vendor: RDS_VENDOR, code: 'identifier_taken' });
		}
		return infoFromInstance(key, instance, databaseName);
	}

	async get(key: string): Promise<DatabaseInfo> {
		const trimmed = checkBusinessKey(key, 'key');
		const { identifier, databaseName } = this.namesFor(trimmed);
		const instance = await this.describe(identifier);
		return instance ? infoFromInstance(trimmed, instance, databaseName) : { key: trimmed, status: 'deleted', engine: 'postgres', identifier, databaseName };
	}

	/** For scripts: blocks (SDK waiter) until available; transient error on timeout, permanent when RDS gives up. */
	async waitUntilAvailable(key: string, options: { maxWaitSeconds?: number } = {}): Promise<DatabaseInfo> {
		const waiter = this.waiterConfig(options.maxWaitSeconds);
		const current = await this.get(key);
		if (current.status === 'available') return current;
		if (current.status !== 'creating') throw notAvailable(current);
		try {
			await waitUntilDBInstanceAvailable(waiter, { DBInstanceIdentifier: current.identifier });
		} catch (error) {
			throw await this.waiterError(key, error, 'available');
		}
		return this.get(key);
	}

	/** For scripts: blocks until the instance is gone. */
	async waitUntilDeleted(key: string, options: { maxWaitSeconds?: number } = {}): Promise<DatabaseInfo> {
		const waiter = this.waiterConfig(options.maxWaitSeconds);
		const current = await this.get(key);
		if (current.status === 'deleted') return current;
		try {
			await waitUntilDBInstanceDeleted(waiter, { DBInstanceIdentifier: current.identifier });
		} catch (error) {
			throw await this.waiterError(key, error, 'deleted');
		}
		return this.get(key);
	}

	async delete(key: string, options: DeleteDatabaseOptions = {}): Promise<DatabaseInfo> {
		if (options.waitIfCreating) this.waiterConfig(options.maxWaitSeconds);
		let current = await this.get(key);
		if (current.status === 'creating') {
			if (!options.waitIfCreating) {
				throw new ConnectorError('transient', `RDS instance ${current.identifier} is ${current.vendorStatus ?? 'creating'}; RDS refuses to delete it now: wait until it is available, then retry the delete`, {
					vendor: RDS_VENDOR,
					code: 'db_instance_not_ready',
				});
			}
			current = await this.waitUntilAvailable(key, { maxWaitSeconds: options.maxWaitSeconds });
		}
		const { identifier } = current;
		if (current.status !== 'deleted' && current.status !== 'deleting') {
			try {
				const instance = await this.describe(identifier);
				if (instance?.DeletionProtection) {
					await this.options.client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, DeletionProtection: false, ApplyImmediately: true }));
				}
				const deleted = await this.options.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: identifier, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }));
				current = infoFromInstance(current.key, deleted.DBInstance ?? { DBInstanceIdentifier: identifier, DBInstanceStatus: 'deleting' }, current.databaseName);
			} catch (error) {
				if ((error as { name?: string })?.name !== 'DBInstanceNotFoundFault') throw mapAwsError(error, RDS_VENDOR, `Deleting RDS instance ${identifier}`);
				current = { ...current, status: 'deleted', vendorStatus: undefined };
			}
		}
		if (this.options.manageMasterUserPassword === false) await this.options.vault!.delete(this.options.secretNamePrefix + identifier);
		return current;
	}

	async connection(key: string): Promise<DatabaseConnection> {
		const info = await this.get(key);
		if (info.status !== 'available' || !info.host) throw notAvailable(info);
		if (!this.options.vault) throw validationError('vault', 'a SecretVault (e.g. SecretsManagerVault) to read the master credential with');
		const stored = info.secretReference ? await this.options.vault.get(info.secretReference) : undefined;
		if (!stored) throw new ConnectorError('not_found', `The credential of RDS instance ${info.identifier} was not found`, { vendor: RDS_VENDOR, code: 'secret_not_found' });
		const secret = secretFields(stored.value, info.identifier);
		const url = new URL('postgres://localhost');
		url.hostname = info.host;
		url.port = String(info.port ?? 5432);
		url.username = encodeURIComponent(secret.username ?? info.username ?? this.masterUsername);
		url.password = encodeURIComponent(secret.password);
		url.pathname = `/${info.databaseName}`;
		for (const [param, value] of Object.entries(this.options.connectionParameters ?? { sslmode: 'require' })) url.searchParams.set(param, value);
		return { key: info.key, secretReference: stored.reference, connectionString: new SecretString(url.toString()) };
	}

	private get masterUsername(): string {
		return this.options.masterUsername ?? 'q2c_admin';
	}

	private tags(key: string, extra: Record<string, string> | undefined): Tag[] {
		const tags: Tag[] = [
			...Object.entries({ ...this.options.tags, ...extra }).map(([Key, Value]) => ({ Key, Value })),
			{ Key: TAG_MANAGED_BY, Value: 'q2c' },
			{ Key: TAG_KEY_HASH, Value: keyHash(key) },
		];
		if (TAG_VALUE.test(key)) tags.push({ Key: TAG_BUSINESS_KEY, Value: key });
		for (const [index, tag] of tags.entries()) {
			if (!tag.Key || tag.Key.length > 128 || typeof tag.Value !== 'string' || !TAG_VALUE.test(tag.Value)) {
				throw validationError(`tags[${index}]`, 'a tag key of 1-128 characters and a value of at most 256 letters, digits, spaces or _.:/=+-@', tag.Key);
			}
		}
		return tags;
	}

	private async describe(identifier: string): Promise<DBInstance | undefined> {
		try {
			const found = await this.options.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
			return found.DBInstances?.[0];
		} catch (error) {
			if ((error as { name?: string })?.name === 'DBInstanceNotFoundFault') return undefined;
			throw mapAwsError(error, RDS_VENDOR, `Reading RDS instance ${identifier}`);
		}
	}

	private waiterConfig(maxWaitSeconds = 1800) {
		if (!Number.isFinite(maxWaitSeconds) || maxWaitSeconds <= 0) throw validationError('maxWaitSeconds', 'a positive number of seconds', maxWaitSeconds);
		const delays = this.options.waiterDelaySeconds ?? { min: 30, max: 120 };
		return { client: this.options.client, maxWaitTime: maxWaitSeconds, minDelay: delays.min, maxDelay: delays.max };
	}

	private async waiterError(key: string, error: unknown, target: 'available' | 'deleted'): Promise<ConnectorError> {
		if ((error as { name?: string })?.name === 'TimeoutError') {
			return new ConnectorError('transient', `RDS instance for key ${JSON.stringify(key)} was not ${target} within the wait; poll again later`, { vendor: RDS_VENDOR, code: 'wait_timeout' });
		}
		const info = await this.get(key);
		return new ConnectorError('permanent', `RDS instance ${info.identifier} will not become ${target}: it is ${info.vendorStatus ?? info.status}`, { vendor: RDS_VENDOR, code: 'wait_failed' });
	}
}

/** The JSON credential's fields; a parse error must not be rethrown, as its message would quote the secret. */
function secretFields(value: SecretString, identifier: string): { username?: string; password: string } {
	let parsed: { username?: unknown; password?: unknown } | undefined;
	try {
		parsed = JSON.parse(value.reveal()) as typeof parsed;
	} catch {
		parsed = undefined;
	}
	if (typeof parsed?.password !== 'string') {
		throw new ConnectorError('permanent', `The credential of RDS instance ${identifier} is not JSON with a password`, { vendor: RDS_VENDOR, code: 'credential_unreadable' });
	}
	return { username: typeof parsed.username === 'string' ? parsed.username : undefined, password: parsed.password };
}

function keyHash(key: string): string {
	return sha256Hex(key).slice(0, 32);
}

function notAvailable(info: DatabaseInfo): ConnectorError {
	if (info.status === 'deleted') return new ConnectorError('not_found', `No RDS instance ${info.identifier} for key ${JSON.stringify(info.key)}`, { vendor: RDS_VENDOR });
	if (info.status === 'creating') {
		return new ConnectorError('transient', `RDS instance ${info.identifier} is ${info.vendorStatus ?? 'creating'}, not available yet`, { vendor: RDS_VENDOR, code: 'db_instance_not_ready' });
	}
	return new ConnectorError('permanent', `RDS instance ${info.identifier} is ${info.vendorStatus ?? info.status}`, { vendor: RDS_VENDOR, code: 'db_instance_unusable' });
}
