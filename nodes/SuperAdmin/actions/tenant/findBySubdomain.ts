import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, stringParam } from '../../fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Subdomain',
		name: 'subdomain',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'myclub',
		description: 'The custom subdomain to look up (one DNS label). Output: available, and the tenant and business key holding it if taken.',
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['tenant'], operation: ['findBySubdomain'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	return asJson(await client.findTenantBySubdomain(stringParam(context, 'subdomain', itemIndex)));
}
