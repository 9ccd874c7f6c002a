import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient } from '../../../../connectors/vmf';
import { activationFields, resolve } from './shared';

export const properties: INodeProperties[] = [
	...activationFields('reject'),
	{
		displayName: 'Rejection Reason',
		name: 'rejectionReason',
		type: 'string',
		default: '',
		required: true,
		description: 'Shown to the partner beside the rejection',
		displayOptions: { show: { resource: ['activation'], operation: ['reject'] } },
	},
];

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	return resolve(context, itemIndex, client, false);
}
