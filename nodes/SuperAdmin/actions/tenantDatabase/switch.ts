import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf } from '../../fields';

const properties: INodeProperties[] = [
	tenantIdField,
	{ ...businessKeyField, description: 'ID of the change (e.g. the upgrade order). The idempotency key is derived from it and the target backend.' },
	{
		displayName: 'Backend',
		name: 'backend',
		type: 'options',
		default: 'dedicated',
		options: [
			{ name: 'Dedicated Database', value: 'dedicated', description: "The tenant's own database (Tier 2 and up)" },
			{ name: 'Shared Database', value: 'shared', description: 'Back to the shared Tier 1 database (the rollback)' },
		],
	},
	// A reference that names the secret (shown so it can be checked), not the secret itself.
	{
		displayName: 'Connection Secret Reference',
		name: 'connectionSecretRef',
		// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.secretReference }}',
		description: "Reference of the secret holding the dedicated database's connection string (Cloud Provisioning → Store Connection outputs it); never the string itself",
		displayOptions: { show: { backend: ['dedicated'] } },
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['tenantDatabase'], operation: ['switch'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const backend = stringParam(context, 'backend', itemIndex) as 'shared' | 'dedicated';
	const ref = backend === 'dedicated' ? stringParam(context, 'connectionSecretRef', itemIndex).trim() : '';
	return asJson(
		await client.switchTenantDatabase({
			tenantId: tenantIdOf(context, itemIndex),
			businessKey: stringParam(context, 'businessKey', itemIndex),
			backend,
			...(ref ? { connectionSecretRef: ref } : {}),
		}),
	);
}
