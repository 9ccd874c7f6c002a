import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The order picker shared by order and VTM operations: search the partner's orders, or paste an id. */
export function orderLocator(show: Record<string, string[]>, description = 'The VMF order (contract) to use'): INodeProperties {
	return {
		displayName: 'Order',
		name: 'orderId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchOrders', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'AG-1234567:ORD-1234567',
				validation: [{ type: 'regex', properties: { regex: '^[^/?#\\s]+$', errorMessage: 'Not a valid VMF order id' } }],
			},
		],
	};
}

export function businessKeyField(show: Record<string, string[]>, required = true): INodeProperties {
	return {
		displayName: 'Business Key',
		name: 'businessKey',
		type: 'string',
		default: '',
		required,
		placeholder: '={{ $json.businessKey }}',
		description: 'Contract/order ID the idempotency key is derived from, so a replayed step does not repeat the write',
		displayOptions: { show },
	};
}

export function stringParam(context: IExecuteFunctions, name: string, itemIndex: number): string | undefined {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function orderIdParam(context: IExecuteFunctions, itemIndex: number): string {
	return String(context.getNodeParameter('orderId', itemIndex, '', { extractValue: true }) ?? '').trim();
}

/** Plain JSON for node output (drops undefined, keeps nested objects). */
export function toJson(value: unknown): IDataObject {
	return JSON.parse(JSON.stringify(value ?? {})) as IDataObject;
}
