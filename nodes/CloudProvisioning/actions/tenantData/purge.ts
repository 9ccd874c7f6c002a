import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { purgeTenantData } from '../../../../connectors/provisioning/tenantData';
import type { CloudClients } from '../../clients';
import { tenantDataOptionsOf } from './fields';

const show = { show: { resource: ['tenantData'], operation: ['purge'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Verified At',
		name: 'verifiedAt',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.verifiedAt }}',
		description: 'When the copy was verified (ISO 8601, the Verify operation\'s verifiedAt)',
		displayOptions: show,
	},
	{
		displayName: 'Grace Period (Minutes)',
		name: 'gracePeriodMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10080,
		description: 'The shared rows are kept at least this long after the verification; an earlier purge is refused',
		displayOptions: show,
	},
];

/** Deletes the tenant's shared rows, only past the grace period and only those the dedicated database holds. */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { key, ...options } = await tenantDataOptionsOf(context, itemIndex, clients);
	const verifiedAt = String(context.getNodeParameter('verifiedAt', itemIndex, '') ?? '').trim();
	const gracePeriodMinutes = Number(context.getNodeParameter('gracePeriodMinutes', itemIndex, 10080));
	return { key, ...(await purgeTenantData({ ...options, verifiedAt, gracePeriodMinutes })) } as unknown as IDataObject;
}
