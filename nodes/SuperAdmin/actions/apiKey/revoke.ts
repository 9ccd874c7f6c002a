import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf } from '../../fields';

const properties: INodeProperties[] = [
	tenantIdField,
	businessKeyField,
	{
		displayName: 'Key ID',
		name: 'keyId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'key_123',
		description: 'ID of the key to revoke (the "apiKey.ID" of the Generate output)',
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['apiKey'], operation: ['revoke'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const input = {
		tenantId: tenantIdOf(context, itemIndex),
		businessKey: stringParam(context, 'businessKey', itemIndex),
		keyId: stringParam(context, 'keyId', itemIndex),
	};
	return asJson(await client.revokeApiKey(input));
}
