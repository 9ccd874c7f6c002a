import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import { copyTenantData } from '../../../../connectors/provisioning/tenantData';
import type { CloudClients } from '../../clients';
import { tenantDataOptionsOf } from './fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 1000,
		description: 'Rows per page and per transaction in the dedicated database',
		displayOptions: { show: { resource: ['tenantData'], operation: ['copy'] } },
	},
];

/** Copies the tenant's rows; running it again after a failure finishes the copy without duplicating a row. */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { key, ...options } = await tenantDataOptionsOf(context, itemIndex, clients);
	const batchSize = Number(context.getNodeParameter('batchSize', itemIndex, 1000));
	if (!Number.isInteger(batchSize)) throw validationError('batchSize', 'a whole number from 1 to 10000', batchSize);
	const result = await copyTenantData({ ...options, batchSize });
	return { key, ...result } as unknown as IDataObject;
}
