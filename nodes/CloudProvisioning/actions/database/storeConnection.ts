import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { idempotencyKey, validationError } from '../../../../connectors/core';
import type { CloudClients } from '../../clients';
import { businessKeyOf, databaseSettingsOf } from './fields';

export const STORE_CONNECTION_STEP = 'provisioning.database.storeConnection';
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export const description: INodeProperties[] = [
	{
		displayName: 'Store Under Name',
		name: 'storeAs',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'tenants/acme/database-url',
		description: 'Name to store the connection string under (letters, digits and /_+=.@-). An existing secret of that name is replaced.',
		displayOptions: { show: { resource: ['database'], operation: ['storeConnection'] } },
	},
];

/**
 * Hands a tenant application its database without the URL passing through n8n: the connection string goes from the
 * backend straight into the secret store (Secrets Manager for RDS, else the backend's store) and only the secret's
 * reference is output.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const key = businessKeyOf(context, itemIndex);
	const settings = databaseSettingsOf(context, itemIndex);
	const secretName = String(context.getNodeParameter('storeAs', itemIndex, '') ?? '').trim();
	if (!SECRET_NAME.test(secretName)) throw validationError('storeAs', 'a secret name of 1-512 letters, digits or /_+=.@- characters', secretName);
	const provisioner = await clients.database(settings);
	const connection = await provisioner.connection(key);
	const vault = await clients.vault(settings);
	const stored = await vault.put(secretName, connection.connectionString.reveal(), {
		overwrite: true,
		idempotencyKey: idempotencyKey(key, `${STORE_CONNECTION_STEP}|${secretName}`),
		description: `Connection string of the tenant database for ${key}`,
	});
	return { backend: settings.backend, key, storedAs: secretName, secretReference: stored.reference, created: stored.created, credentialReference: connection.secretReference };
}
