import type { DBInstance } from '@aws-sdk/client-rds';
import type { DatabaseInfo, DatabaseStatus } from './types';

/** Tags the RDS backend puts on every instance: who made it, for which key, and where its credential is. */
export const TAG_MANAGED_BY = 'q2c:managed-by';
export const TAG_KEY_HASH = 'q2c:business-key-sha256';
export const TAG_BUSINESS_KEY = 'q2c:business-key';
export const TAG_SECRET_REFERENCE = 'q2c:secret-reference';

/** States that will not become `available` without a person (or a delete). */
const FAILED = new Set(['failed', 'restore-error', 'storage-full', 'stopped', 'stopping', 'insufficient-capacity', 'inaccessible-encryption-credentials', 'inaccessible-encryption-credentials-recoverable']);

/**
 * RDS DBInstanceStatus → DatabaseStatus. Everything else (creating, backing-up, modifying, configuring-*, rebooting,
 * upgrading, and statuses AWS adds later) counts as `creating`: it exists and is on its way to `available`.
 */
export function rdsStatus(status: string | undefined): DatabaseStatus {
	if (status === 'available') return 'available';
	if (status === 'deleting') return 'deleting';
	if (status && (FAILED.has(status) || status.startsWith('incompatible-'))) return 'failed';
	return 'creating';
}

export function tagValue(instance: DBInstance, key: string): string | undefined {
	return instance.TagList?.find((tag) => tag.Key === key)?.Value;
}

/** The non-secret facts of an instance; the endpoint appears only once RDS publishes it. */
export function infoFromInstance(key: string, instance: DBInstance, fallbackDatabaseName: string): DatabaseInfo {
	const info: DatabaseInfo = {
		key,
		status: rdsStatus(instance.DBInstanceStatus),
		engine: 'postgres',
		identifier: instance.DBInstanceIdentifier ?? '',
		databaseName: instance.DBName ?? fallbackDatabaseName,
	};
	if (instance.MasterUsername) info.username = instance.MasterUsername;
	if (instance.Endpoint?.Address) info.host = instance.Endpoint.Address;
	if (instance.Endpoint?.Port) info.port = instance.Endpoint.Port;
	const secretReference = instance.MasterUserSecret?.SecretArn ?? tagValue(instance, TAG_SECRET_REFERENCE);
	if (secretReference) info.secretReference = secretReference;
	if (instance.DBInstanceStatus) info.vendorStatus = instance.DBInstanceStatus;
	return info;
}
