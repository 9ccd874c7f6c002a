import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { toContract, type VmfClient } from '../../../../connectors/vmf';
import { orderIdParam, orderLocator, toJson } from '../common';

const show = { resource: ['order'], operation: ['get'] };

export const properties: INodeProperties[] = [
	orderLocator(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Raw Order Only',
				name: 'rawOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return the order and its custom fields without mapping them into the normalized contract',
			},
		],
	},
];

/** The order as the normalized contract (top level) plus the raw order and custom fields under `order`. */
export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	const orderId = orderIdParam(context, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as { rawOnly?: boolean };
	const { order, customFields } = await client.getOrderWithCustomFields(orderId);
	const raw = toJson({ ...order, customFields });
	if (options.rawOnly) return { orderId: order.id, businessKey: order.id, order: raw };
	return { ...toJson(toContract(order, customFields, { partnerId: client.partnerId })), order: raw };
}
