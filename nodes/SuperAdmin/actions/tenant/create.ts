import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { CreateTenantInput, SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, stringParam, tierField } from '../../fields';

const properties: INodeProperties[] = [
	businessKeyField,
	{
		displayName: 'Organisation Name',
		name: 'tenantName',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.customer.name }}',
	},
	{
		displayName: 'Owner Email',
		name: 'ownerEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		description: 'Email of the academy owner, who gets the first login',
	},
	tierField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Contract End Date',
				name: 'contractEndDate',
				type: 'string',
				default: '',
				placeholder: '2027-12-31',
				description: 'YYYY-MM-DD. World Class (enterprise) contracts must end at least 2 years from today.',
			},
			{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'GB', description: 'ISO-3166 alpha-2 country code' },
			{ displayName: 'Edition', name: 'edition', type: 'string', default: '', description: 'Product edition ID (e.g. the VMF edition)' },
			{ displayName: 'Owner Name', name: 'ownerName', type: 'string', default: '' },
			{ displayName: 'Subdomain', name: 'subdomain', type: 'string', default: '', placeholder: 'myclub', description: 'Custom subdomain (World Class), lower-case letters, digits and hyphens' },
		],
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['tenant'], operation: ['create'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as Record<string, string>;
	const optional = Object.fromEntries(Object.entries(additional).filter(([, value]) => typeof value === 'string' && value.trim() !== ''));
	const input: CreateTenantInput = {
		businessKey: stringParam(context, 'businessKey', itemIndex),
		name: stringParam(context, 'tenantName', itemIndex),
		ownerEmail: stringParam(context, 'ownerEmail', itemIndex),
		tier: stringParam(context, 'tier', itemIndex),
		...optional,
	};
	return asJson(await client.createTenant(input));
}
