/**
 * Parameters every database and migration operation shares: where the tenant databases live (backend, secret
 * store, name prefixes) and the business key. The same key and prefixes always name the same database, so create,
 * get, delete and the migrations find what an earlier step made.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import { checkBusinessKey, checkPostgresPrefix, checkRdsPrefix } from '../../../../connectors/provisioning/database';
import type { DatabaseBackend, DatabaseSettings, SecretStore } from '../../clients';

export const DATABASE_RESOURCES = ['database', 'migration', 'tenantData'];

export const backendFields: INodeProperties[] = [
	{
		displayName: 'Database Backend',
		name: 'databaseBackend',
		type: 'options',
		noDataExpression: true,
		default: 'postgresServer',
		displayOptions: { show: { resource: DATABASE_RESOURCES } },
		options: [
			{ name: 'PostgreSQL Server', value: 'postgresServer', description: 'A database and login role per tenant on an existing PostgreSQL cluster' },
			{ name: 'AWS RDS', value: 'rds', description: 'A dedicated RDS for PostgreSQL instance per tenant' },
		],
	},
	{
		displayName: 'Secret Store',
		name: 'secretStore',
		type: 'options',
		noDataExpression: true,
		default: 'postgresTable',
		description: 'Where generated tenant passwords are kept, so any n8n process (queue mode workers too) can read them later',
		displayOptions: { show: { resource: DATABASE_RESOURCES, databaseBackend: ['postgresServer'] } },
		options: [
			{ name: 'Table in the Admin Database', value: 'postgresTable', description: 'Table q2c_provisioning_secrets in the credential\'s database, readable by the admin role only' },
			{ name: 'AWS Secrets Manager', value: 'secretsManager', description: 'Needs an AWS credential' },
		],
	},
	{
		displayName: 'Business Key',
		name: 'businessKey',
		type: 'string',
		required: true,
		default: '={{ $json.businessKey }}',
		description: 'The tenant (or contract) ID: the same key always names the same database',
		displayOptions: { show: { resource: DATABASE_RESOURCES } },
	},
	{
		displayName: 'Naming',
		name: 'naming',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'Prefixes of the names derived from the business key. Use the same values in every step that touches these databases.',
		displayOptions: { show: { resource: DATABASE_RESOURCES } },
		options: [
			{
				displayName: 'Database Name Prefix',
				name: 'namePrefix',
				type: 'string',
				default: 'tenant_',
				description: 'Database (and, on a PostgreSQL server, role) names start with this: lowercase letters, digits and underscores',
			},
			{
				displayName: 'RDS Identifier Prefix',
				name: 'identifierPrefix',
				type: 'string',
				default: 'tenant-',
				description: 'RDS only: DB instance identifiers start with this: lowercase letters, digits and hyphens',
			},
		],
	},
];

export function backendOf(context: IExecuteFunctions, itemIndex: number): DatabaseBackend {
	const backend = context.getNodeParameter('databaseBackend', itemIndex, 'postgresServer') as string;
	if (backend !== 'postgresServer' && backend !== 'rds') throw validationError('databaseBackend', '"postgresServer" or "rds"', backend);
	return backend;
}

export function businessKeyOf(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('businessKey', itemIndex, '') as unknown;
	return checkBusinessKey(typeof value === 'number' ? String(value) : value, 'businessKey');
}

/** Backend, secret store and prefixes, all checked before any connection is made. */
export function databaseSettingsOf(context: IExecuteFunctions, itemIndex: number): DatabaseSettings {
	const backend = backendOf(context, itemIndex);
	const naming = (context.getNodeParameter('naming', itemIndex, {}) ?? {}) as { namePrefix?: string; identifierPrefix?: string };
	const namePrefix = blankToUndefined(naming.namePrefix);
	if (namePrefix !== undefined) checkPostgresPrefix(namePrefix, 'naming.namePrefix');
	if (backend === 'rds') {
		const identifierPrefix = blankToUndefined(naming.identifierPrefix);
		if (identifierPrefix !== undefined) checkRdsPrefix(identifierPrefix, 'naming.identifierPrefix');
		return { backend, rds: { databaseNamePrefix: namePrefix, identifierPrefix } };
	}
	const secretStore = context.getNodeParameter('secretStore', itemIndex, 'postgresTable') as SecretStore;
	if (secretStore !== 'postgresTable' && secretStore !== 'secretsManager') throw validationError('secretStore', '"postgresTable" or "secretsManager"', secretStore);
	return { backend, secretStore, postgres: { namePrefix } };
}

export function blankToUndefined(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}
