import type { IDataObject } from 'n8n-workflow';
import type { DatabaseInfo } from '../../../../connectors/provisioning/database';
import type { DatabaseBackend } from '../../clients';

/**
 * A database's output: DatabaseInfo holds no password and no connection string by construction; it is copied field
 * by field anyway, so nothing a backend might add later reaches the output unseen.
 */
export function databaseJson(backend: DatabaseBackend, info: DatabaseInfo): IDataObject {
	const json: IDataObject = {
		backend,
		key: info.key,
		status: info.status,
		ready: info.status === 'available',
		engine: info.engine,
		identifier: info.identifier,
		databaseName: info.databaseName,
	};
	for (const field of ['username', 'host', 'port', 'secretReference', 'vendorStatus'] as const) {
		if (info[field] !== undefined) json[field] = info[field];
	}
	return json;
}
