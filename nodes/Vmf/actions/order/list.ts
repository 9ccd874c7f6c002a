import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Order, VmfClient } from '../../../../connectors/vmf';
import { returnAllFields } from '../../../shared/fields';
import { stringParam, toJson } from '../common';

const show = { resource: ['order'], operation: ['list'] };

export const properties: INodeProperties[] = [
	...returnAllFields(show),
	{
		displayName: 'Business Location ID',
		name: 'businessLocationId',
		type: 'string',
		default: '',
		placeholder: 'AG-1234567',
		description: 'Only orders of this business location (account group)',
		displayOptions: { show },
	},
];

export function summarize(order: Order): IDataObject {
	return toJson({
		orderId: order.id,
		businessKey: order.id,
		status: order.attributes.statusCode,
		currency: order.attributes.currencyCode?.toLowerCase(),
		accountGroupId: order.relationships?.businessLocation?.data?.id,
		lineItems: order.attributes.lineItems,
		order,
	});
}

/** One item per order of the credential's partner. */
export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject[]> {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (context.getNodeParameter('limit', itemIndex, 50) as number);
	const businessLocationId = stringParam(context, 'businessLocationId', itemIndex);
	const out: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const page = await client.listOrders({ businessLocationId, cursor, limit: Math.min(100, limit - out.length) });
		out.push(...page.orders.map(summarize));
		cursor = page.nextCursor;
	} while (cursor && out.length < limit);
	return out.slice(0, limit);
}
