/**
 * What copy, verify and purge share: the shared database (on the PostgreSQL Server credential's cluster), the
 * tenant's id there, the tables (parents first) and the layout options. The dedicated database is the business key's,
 * reached as the tenant's own role, like the migrations.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import type { TenantDataOptions } from '../../../../connectors/provisioning/tenantData';
import { adminConnectionString, POSTGRES_CREDENTIAL, type CloudClients } from '../../clients';
import { businessKeyOf, databaseSettingsOf } from '../database/fields';

const show = (operations?: string[]) => ({ show: { resource: ['tenantData'], ...(operations ? { operation: operations } : {}) } });

export const tenantDataFields: INodeProperties[] = [
	{
		displayName: 'Tenant ID in the Shared Database',
		name: 'sharedTenantId',
		type: 'string',
		required: true,
		default: '={{ $json.tenantId }}',
		description: "The value of the shared tables' tenant column for this tenant",
		displayOptions: show(),
	},
	{
		displayName: 'Tables',
		name: 'tables',
		type: 'string',
		required: true,
		default: 'courses, enrollments',
		description: 'Comma-separated, parents before children: copied in this order, purged in the reverse one',
		displayOptions: show(),
	},
	{
		displayName: 'Layout',
		name: 'tenantDataLayout',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(),
		options: [
			{ displayName: 'Dedicated Schema', name: 'dedicatedSchema', type: 'string', default: 'public' },
			{ displayName: 'Key Column', name: 'keyColumn', type: 'string', default: 'id', description: 'Unique column of every table: pages are read in its order, rows already copied are skipped' },
			{ displayName: 'Shared Database', name: 'sharedDatabase', type: 'string', default: '', description: "Database of the shared tables on the PostgreSQL Server credential's cluster (default: the credential's database)" },
			{ displayName: 'Shared Schema', name: 'sharedSchema', type: 'string', default: 'shared' },
			{ displayName: 'Tenant Column', name: 'tenantColumn', type: 'string', default: 'tenant_id', description: 'Column of the shared tables that holds the tenant ID (not copied)' },
		],
	},
];

export function tablesOf(context: IExecuteFunctions, itemIndex: number): string[] {
	const raw = context.getNodeParameter('tables', itemIndex, '') as unknown;
	const list = Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(',');
	const tables = list.map((table) => table.trim()).filter(Boolean);
	if (tables.length === 0) throw validationError('tables', 'comma-separated table names, parents first', raw);
	return tables;
}

/** The connector options of one item: both connection strings (never output) and the checked layout. */
export async function tenantDataOptionsOf(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<TenantDataOptions & { key: string }> {
	const key = businessKeyOf(context, itemIndex);
	const settings = databaseSettingsOf(context, itemIndex);
	const tenantId = String(context.getNodeParameter('sharedTenantId', itemIndex, '') ?? '').trim();
	if (!tenantId) throw validationError('sharedTenantId', "the tenant's id in the shared tables");
	const tables = tablesOf(context, itemIndex);
	const layout = (context.getNodeParameter('tenantDataLayout', itemIndex, {}) ?? {}) as Record<string, string | undefined>;
	const blank = (value: string | undefined) => (value ?? '').trim() || undefined;
	const sharedUrl = new URL(adminConnectionString(await context.getCredentials(POSTGRES_CREDENTIAL, itemIndex)));
	const sharedDatabase = blank(layout.sharedDatabase);
	if (sharedDatabase) {
		if (!/^[A-Za-z0-9_-]{1,63}$/.test(sharedDatabase)) throw validationError('tenantDataLayout.sharedDatabase', 'a database name of letters, digits, _ or -', sharedDatabase);
		sharedUrl.pathname = `/${sharedDatabase}`;
	}
	const provisioner = await clients.database(settings);
	const connection = await provisioner.connection(key);
	return {
		key,
		sharedConnectionString: sharedUrl.toString(),
		dedicatedConnectionString: connection.connectionString,
		tenantId,
		tables,
		sharedSchema: blank(layout.sharedSchema),
		dedicatedSchema: blank(layout.dedicatedSchema),
		tenantColumn: blank(layout.tenantColumn),
		keyColumn: blank(layout.keyColumn),
	};
}
