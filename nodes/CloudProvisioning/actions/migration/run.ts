import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import { PLATFORM_SQL_DIR } from '../../../../connectors/provisioning/migrations';
import type { CloudClients } from '../../clients';
import { businessKeyOf, databaseSettingsOf } from '../database/fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Migrations',
		name: 'migrationSource',
		type: 'options',
		noDataExpression: true,
		default: 'platform',
		displayOptions: { show: { resource: ['migration'], operation: ['run'] } },
		options: [
			{ name: 'Platform Schema (Shipped)', value: 'platform', description: 'The platform SQL migrations shipped with this node package' },
			{ name: 'Directory on This Server', value: 'directory', description: 'Your own .sql migration files, on the machine n8n runs on' },
		],
	},
	{
		displayName: 'Directory',
		name: 'migrationsDirectory',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/home/node/migrations',
		description: 'Absolute path of a directory of .sql files (split at "-- Up Migration" / "-- Down Migration"), applied in file-name order',
		displayOptions: { show: { resource: ['migration'], operation: ['run'], migrationSource: ['directory'] } },
	},
	{
		displayName: 'Options',
		name: 'migrationOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['migration'], operation: ['run'] } },
		options: [
			{ displayName: 'Lock Wait (Seconds)', name: 'lockWaitSeconds', type: 'number', typeOptions: { minValue: 0 }, default: 60, description: 'How long to wait for a concurrent run on the same database to finish' },
			{ displayName: 'Migrations Table', name: 'migrationsTable', type: 'string', default: 'pgmigrations' },
			{ displayName: 'Schema', name: 'schema', type: 'string', default: 'public' },
		],
	},
];

/** Brings the tenant database's schema up to date: all pending migrations in one transaction, under a lock. */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const key = businessKeyOf(context, itemIndex);
	const settings = databaseSettingsOf(context, itemIndex);
	const source = context.getNodeParameter('migrationSource', itemIndex, 'platform') as string;
	let dir = PLATFORM_SQL_DIR;
	if (source === 'directory') {
		dir = String(context.getNodeParameter('migrationsDirectory', itemIndex, '') ?? '').trim();
		if (!dir.startsWith('/')) throw validationError('migrationsDirectory', 'an absolute path of a directory of .sql migration files', dir);
	} else if (source !== 'platform') {
		throw validationError('migrationSource', '"platform" or "directory"', source);
	}
	const options = (context.getNodeParameter('migrationOptions', itemIndex, {}) ?? {}) as { lockWaitSeconds?: number; migrationsTable?: string; schema?: string };
	const lockWaitMs = options.lockWaitSeconds === undefined ? undefined : Number(options.lockWaitSeconds) * 1000;
	const provisioner = await clients.database(settings);
	const connection = await provisioner.connection(key);
	const result = await clients.migrations({
		connectionString: connection.connectionString,
		dir,
		migrationsTable: options.migrationsTable?.trim() || undefined,
		schema: options.schema?.trim() || undefined,
		lockWaitMs,
	});
	return {
		backend: settings.backend,
		key,
		migrations: source,
		applied: result.applied,
		alreadyApplied: result.alreadyApplied,
		appliedCount: result.applied.length,
		upToDate: result.applied.length === 0,
	};
}
