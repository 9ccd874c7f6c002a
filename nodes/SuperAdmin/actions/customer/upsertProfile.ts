import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { upsertCustomerProfile } from '../../../../connectors/superadmin/customers/customer360';
import { asJson, businessKeyField, stringParam } from '../../fields';

export const customerKeyField: INodeProperties = {
	displayName: 'Customer Key',
	name: 'customerKey',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.businessKey }}',
	description: 'The ID SysOps knows the customer by (e.g. the support purchase ID)',
};

const properties: INodeProperties[] = [
	customerKeyField,
	businessKeyField,
	{
		displayName: 'Stage',
		name: 'stage',
		type: 'string',
		default: 'profile',
		placeholder: 'e.g. account or contract',
		description: 'Names this update. With the business key it makes the idempotency key, so each stage is written once and a rerun repeats it exactly.',
	},
	{
		displayName: 'Profile (JSON)',
		name: 'profile',
		type: 'json',
		default: '{\n  "name": "",\n  "email": "",\n  "address": {},\n  "contacts": [],\n  "payment": {},\n  "contract": null,\n  "product": null\n}',
		description: 'Name, email, preferred email, address, contacts, payment (method, brand, last4, card expiry, schedule), contract (ID, signed, ends) and product (name, since). Validated before the call; an error names the field.',
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['customer'], operation: ['upsertProfile'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const raw = context.getNodeParameter('profile', itemIndex, {}) as unknown;
	const profile = typeof raw === 'string' ? (JSON.parse(raw) as IDataObject) : (raw as IDataObject);
	const input = { ...profile, customerKey: stringParam(context, 'customerKey', itemIndex), stage: stringParam(context, 'stage', itemIndex) || undefined, businessKey: stringParam(context, 'businessKey', itemIndex) };
	return asJson(await upsertCustomerProfile(client.transport, input as Parameters<typeof upsertCustomerProfile>[1]));
}
