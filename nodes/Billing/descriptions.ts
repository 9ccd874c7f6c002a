import type { INodeProperties } from 'n8n-workflow';

/** displayOptions for one resource/operation pair. */
export function showFor(resource: string, operation: string) {
	return { show: { resource: [resource], operation: [operation] } };
}

export function businessKeyField(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Business Key',
		name: 'businessKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ORD-2024-0042',
		description: 'The contract or order ID. Makes the write idempotent (a redelivered contract never bills twice) and is stored in Stripe metadata.',
		displayOptions: showFor(resource, operation),
	};
}

export function customerLocator(resource: string, operation: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Customer',
		name: 'customerId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Stripe customer',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCustomers', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'cus_…',
				validation: [{ type: 'regex', properties: { regex: '^cus_[A-Za-z0-9]+$', errorMessage: 'Not a Stripe customer ID (cus_…)' } }],
			},
		],
		displayOptions: showFor(resource, operation),
		...extra,
	};
}

export function subscriptionLocator(resource: string, operation: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Subscription',
		name: 'subscriptionId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Stripe subscription',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchSubscriptions', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'sub_…',
				validation: [{ type: 'regex', properties: { regex: '^sub_[A-Za-z0-9]+$', errorMessage: 'Not a Stripe subscription ID (sub_…)' } }],
			},
		],
		displayOptions: showFor(resource, operation),
		...extra,
	};
}

export function lineItemsField(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Line Items',
		name: 'lineItems',
		type: 'json',
		required: true,
		default: '[]',
		description:
			'The contract line items: [{"sku", "quantity", "unitAmount" (minor units), "interval": "month"|"year"|"one_time"}]. Items with a unitAmount are billed at that contract price.',
		displayOptions: showFor(resource, operation),
	};
}

export function priceMappingField(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Price Mapping',
		name: 'priceMapping',
		type: 'json',
		default: '{}',
		description:
			'SKU → Stripe price: a lookup_key or price ID, or {"lookupKey", "productId", "priceId"}. Edit here to change prices and mapping without code.',
		displayOptions: showFor(resource, operation),
	};
}

export const priceSourceOption: INodeProperties = {
	displayName: 'Price Source',
	name: 'priceSource',
	type: 'options',
	default: 'contract',
	options: [
		{ name: 'Contract', value: 'contract', description: 'Bill items at the contract unitAmount (catalog price reused when equal)' },
		{ name: 'Catalog', value: 'catalog', description: 'Bill the Stripe catalog price of the mapped lookup_key or price ID' },
	],
};

export const metadataOption: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'json',
	default: '{}',
	description: 'Extra Stripe metadata (string values). The contract link (q2c_business_key, q2c_step) is always added.',
};
