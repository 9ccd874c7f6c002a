import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SettableOrderStatus, VmfClient } from '../../../../connectors/vmf';
import { businessKeyField, orderIdParam, orderLocator, stringParam, toJson } from '../common';

const show = { resource: ['order'], operation: ['updateStatus'] };

export const properties: INodeProperties[] = [
	orderLocator(show),
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'processing',
		required: true,
		description: 'Where to move the order in its lifecycle; transitions the lifecycle does not allow are refused',
		displayOptions: { show },
		options: [
			{ name: 'Approve (Processing)', value: 'processing', description: 'Approve a submitted order so its items are processed' },
			{ name: 'Archive', value: 'archived', description: 'Archive a settled order' },
			{ name: 'Decline', value: 'declined', description: 'Decline a submitted order' },
			{ name: 'Fulfil', value: 'fulfilled', description: 'Mark a processing order fulfilled (products activated)' },
			{ name: 'Submit for Approval', value: 'submitted', description: 'Send a draft order for approval' },
		],
	},
	businessKeyField(show, false),
];

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	const orderId = orderIdParam(context, itemIndex);
	const result = await client.updateOrderStatus({
		orderId,
		status: context.getNodeParameter('status', itemIndex) as SettableOrderStatus,
		businessKey: stringParam(context, 'businessKey', itemIndex),
	});
	return toJson({
		orderId: result.order.id,
		businessKey: stringParam(context, 'businessKey', itemIndex) ?? result.order.id,
		status: result.order.attributes.statusCode,
		previousStatus: result.previousStatus,
		changed: result.changed,
		idempotencyKey: result.idempotencyKey,
		order: result.order,
	});
}
