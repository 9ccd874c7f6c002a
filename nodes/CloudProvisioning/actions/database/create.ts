import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CloudClients } from '../../clients';
import { businessKeyOf, databaseSettingsOf } from './fields';
import { databaseJson } from './output';
import { rdsCreateSettingsOf } from './rdsFields';

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'createOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['database'], operation: ['create'], databaseBackend: ['postgresServer'] } },
		options: [
			{
				displayName: 'Reset Password',
				name: 'resetPassword',
				type: 'boolean',
				default: false,
				description: 'Whether to give an existing role a new password (stored first). Repair for "role exists but its password is not in the vault".',
			},
		],
	},
];

/** Creates the tenant database, or returns the one an earlier run made for the same key. */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const key = businessKeyOf(context, itemIndex);
	const settings = databaseSettingsOf(context, itemIndex);
	let resetPassword: boolean | undefined;
	if (settings.backend === 'rds') {
		settings.rds = { ...settings.rds, ...rdsCreateSettingsOf(context, itemIndex) };
	} else {
		const options = (context.getNodeParameter('createOptions', itemIndex, {}) ?? {}) as { resetPassword?: boolean };
		resetPassword = options.resetPassword === true ? true : undefined;
	}
	const provisioner = await clients.database(settings);
	const info = await provisioner.create({ key, resetPassword });
	return databaseJson(settings.backend, info);
}
