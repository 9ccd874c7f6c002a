import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf } from '../../fields';

const properties: INodeProperties[] = [
	tenantIdField,
	{ ...businessKeyField, description: 'ID of the change (e.g. the upgrade order). The idempotency key is derived from it and the on/off direction.' },
	{
		displayName: 'Read-Only Mode',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether the tenant should be in read-only maintenance mode',
	},
	{
		displayName: 'Banner Message',
		name: 'message',
		type: 'string',
		default: '',
		placeholder: 'We are upgrading your academy. The app is read-only for a short while.',
		description: 'Shown to the tenant’s users while read-only mode is on',
		displayOptions: { show: { enabled: [true] } },
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['maintenance'], operation: ['set'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const enabled = context.getNodeParameter('enabled', itemIndex) as boolean;
	const message = enabled ? stringParam(context, 'message', itemIndex).trim() : '';
	const input = {
		tenantId: tenantIdOf(context, itemIndex),
		businessKey: stringParam(context, 'businessKey', itemIndex),
		enabled,
		...(message ? { message } : {}),
	};
	return asJson(await client.setMaintenance(input));
}
