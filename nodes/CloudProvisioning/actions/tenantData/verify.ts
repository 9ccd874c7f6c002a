import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { verifyTenantData } from '../../../../connectors/provisioning/tenantData';
import type { CloudClients } from '../../clients';
import { tenantDataOptionsOf } from './fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Fail on Mismatch',
		name: 'failOnMismatch',
		type: 'boolean',
		default: true,
		description: 'Whether a table whose count or checksum differs fails the node (naming the tables) instead of returning verified: false',
		displayOptions: { show: { resource: ['tenantData'], operation: ['verify'] } },
	},
];

/** Row count and order-independent checksum of every table, on both sides. */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { key, ...options } = await tenantDataOptionsOf(context, itemIndex, clients);
	const failOnMismatch = context.getNodeParameter('failOnMismatch', itemIndex, true) as boolean;
	return { key, ...(await verifyTenantData({ ...options, failOnMismatch })) } as unknown as IDataObject;
}
