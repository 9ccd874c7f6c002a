import type { RDSClient } from '@aws-sdk/client-rds';
import { validationError } from '../../core';
import { checkPostgresPrefix, checkRdsPrefix } from './names';
import type { SecretVault } from './types';

export interface RdsProvisionerOptions {
	client: RDSClient;
	/**
	 * Reads credentials for `connection` (a SecretsManagerVault reads RDS-managed secrets by ARN). Required when
	 * `manageMasterUserPassword` is false: the generated master password is stored there before the instance exists.
	 */
	vault?: SecretVault;
	/** Default true: RDS generates the master password and keeps it in Secrets Manager (MasterUserSecret.SecretArn). */
	manageMasterUserPassword?: boolean;
	masterUserSecretKmsKeyId?: string;
	/** DB instance identifiers start with this (default "tenant-"). */
	identifierPrefix?: string;
	/** The initial database's name starts with this (default "tenant_"). */
	databaseNamePrefix?: string;
	/** Vault names for generated passwords are this + the identifier (default "q2c/rds/"). */
	secretNamePrefix?: string;
	/** Default db.t4g.micro. */
	instanceClass?: string;
	/** GiB, default 20. */
	allocatedStorage?: number;
	maxAllocatedStorage?: number;
	engineVersion?: string;
	dbSubnetGroupName?: string;
	vpcSecurityGroupIds?: string[];
	/** Default q2c_admin. */
	masterUsername?: string;
	/** Default true; `delete` turns it off first. */
	deletionProtection?: boolean;
	/** Default true. */
	storageEncrypted?: boolean;
	/** Default false. */
	publiclyAccessible?: boolean;
	backupRetentionPeriod?: number;
	tags?: Record<string, string>;
	/** Query parameters of connection strings; default { sslmode: 'require' } (RDS PostgreSQL 15+ forces SSL). */
	connectionParameters?: Record<string, string>;
	/** SDK waiter polling delays (default 30 s to 120 s). */
	waiterDelaySeconds?: { min: number; max: number };
}

export type CheckedRdsOptions = RdsProvisionerOptions & { identifierPrefix: string; databaseNamePrefix: string; secretNamePrefix: string };

/** Every configuration mistake as a validation error, at construction, before any AWS call. */
export function checkRdsOptions(options: RdsProvisionerOptions): CheckedRdsOptions {
	if (!options?.client) throw validationError('client', 'an RDSClient');
	if (options.manageMasterUserPassword === false && !options.vault) {
		throw validationError('vault', 'a SecretVault to keep the generated master password in (or manageMasterUserPassword: true)');
	}
	if (options.instanceClass !== undefined && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(options.instanceClass)) {
		throw validationError('instanceClass', 'an RDS instance class such as "db.t4g.micro"', options.instanceClass);
	}
	for (const field of ['allocatedStorage', 'maxAllocatedStorage'] as const) {
		const value = options[field];
		if (value !== undefined && (!Number.isInteger(value) || value < 20 || value > 65536)) throw validationError(field, 'a whole number of GiB from 20 to 65536', value);
	}
	if (options.backupRetentionPeriod !== undefined && (!Number.isInteger(options.backupRetentionPeriod) || options.backupRetentionPeriod < 0 || options.backupRetentionPeriod > 35)) {
		throw validationError('backupRetentionPeriod', 'a whole number of days from 0 to 35', options.backupRetentionPeriod);
	}
	if (options.masterUsername !== undefined && (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(options.masterUsername) || /^rdsadmin$/i.test(options.masterUsername))) {
		throw validationError('masterUsername', 'a user name of 1-63 letters, digits or underscores starting with a letter, not a reserved name', options.masterUsername);
	}
	if (options.vpcSecurityGroupIds !== undefined && (!Array.isArray(options.vpcSecurityGroupIds) || options.vpcSecurityGroupIds.some((id) => !/^sg-[0-9a-f]{8,17}$/.test(id)))) {
		throw validationError('vpcSecurityGroupIds', 'a list of security group ids such as "sg-0123456789abcdef0"', options.vpcSecurityGroupIds);
	}
	const delays = options.waiterDelaySeconds;
	if (delays !== undefined && !(delays.min > 0 && delays.max >= delays.min)) throw validationError('waiterDelaySeconds', 'min > 0 and max >= min', delays);
	const secretNamePrefix = options.secretNamePrefix ?? 'q2c/rds/';
	if (!/^[A-Za-z0-9/_+=.@-]{0,400}$/.test(secretNamePrefix)) throw validationError('secretNamePrefix', 'letters, digits or /_+=.@- characters', secretNamePrefix);
	return {
		...options,
		identifierPrefix: checkRdsPrefix(options.identifierPrefix ?? 'tenant-'),
		databaseNamePrefix: checkPostgresPrefix(options.databaseNamePrefix ?? 'tenant_', 'databaseNamePrefix'),
		secretNamePrefix,
	};
}
