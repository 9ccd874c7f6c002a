// @ts-check
'use strict';

/**
 * For the optional vendor-spec layer only: Stripe's published spec file is the 2023-08-16 API, while stripe-node
 * v23 (and our connector) speak a 2025+ version. These few additions (marked `newer` in ./api) let that layer
 * accept what the newer API documents and our connector sends; everything else is checked against the 2023 spec
 * as published. Each entry says what it adds.
 */

const STRING_MAP = { additionalProperties: { type: 'string' }, type: 'object' };
const ID = { maxLength: 5000, type: 'string' };
const EXPAND = { explode: true, in: 'query', name: 'expand', required: false, schema: { items: ID, type: 'array' }, style: 'deepObject' };

/** GET /v1/invoice_payments (API 2025-03-31): the payments behind an invoice; the connector refunds through it. */
const invoicePayments = {
	get: {
		operationId: 'GetInvoicePayments',
		parameters: [
			{ in: 'query', name: 'ending_before', schema: ID, style: 'form' },
			EXPAND,
			{ in: 'query', name: 'invoice', schema: ID, style: 'form' },
			{ in: 'query', name: 'limit', schema: { type: 'integer' }, style: 'form' },
			{
				explode: true,
				in: 'query',
				name: 'payment',
				schema: { properties: { payment_intent: ID, type: { enum: ['payment_intent'], type: 'string' } }, required: ['type'], type: 'object' },
				style: 'deepObject',
			},
			{ in: 'query', name: 'starting_after', schema: ID, style: 'form' },
			{ in: 'query', name: 'status', schema: { enum: ['canceled', 'open', 'paid'], type: 'string' }, style: 'form' },
		],
	},
};

const invoicePayment = {
	get: {
		operationId: 'GetInvoicePaymentsInvoicePayment',
		parameters: [EXPAND, { in: 'path', name: 'invoice_payment', required: true, schema: ID, style: 'simple' }],
	},
};

const PAGE_PARAMS = [
	{ in: 'query', name: 'ending_before', schema: ID, style: 'form' },
	EXPAND,
	{ in: 'query', name: 'limit', schema: { type: 'integer' }, style: 'form' },
	{ in: 'query', name: 'starting_after', schema: ID, style: 'form' },
];
const METER_PATH = { in: 'path', name: 'id', required: true, schema: ID, style: 'simple' };

/** Billing Meters (API 2024-04-10): list and retrieve meters, report meter events, read usage summaries. */
const billingMeters = {
	'/v1/billing/meters': {
		get: { operationId: 'GetBillingMeters', parameters: [...PAGE_PARAMS, { in: 'query', name: 'status', schema: { enum: ['active', 'inactive'], type: 'string' }, style: 'form' }] },
	},
	'/v1/billing/meters/{id}': { get: { operationId: 'GetBillingMetersId', parameters: [EXPAND, METER_PATH] } },
	'/v1/billing/meter_events': {
		post: {
			operationId: 'PostBillingMeterEvents',
			requestBody: {
				content: {
					'application/x-www-form-urlencoded': {
						schema: {
							additionalProperties: false,
							properties: { event_name: { maxLength: 100, type: 'string' }, expand: { items: ID, type: 'array' }, identifier: { maxLength: 100, type: 'string' }, payload: STRING_MAP, timestamp: { type: 'integer' } },
							required: ['event_name', 'payload'],
							type: 'object',
						},
					},
				},
				required: true,
			},
		},
	},
	'/v1/billing/meters/{id}/event_summaries': {
		get: {
			operationId: 'GetBillingMetersIdEventSummaries',
			parameters: [
				...PAGE_PARAMS,
				METER_PATH,
				{ in: 'query', name: 'customer', required: true, schema: ID, style: 'form' },
				{ in: 'query', name: 'end_time', required: true, schema: { type: 'integer' }, style: 'form' },
				{ in: 'query', name: 'start_time', required: true, schema: { type: 'integer' }, style: 'form' },
				{ in: 'query', name: 'value_grouping_window', schema: { enum: ['day', 'hour'], type: 'string' }, style: 'form' },
			],
		},
	},
};

const ITEM_CHANGE = {
	properties: {
		deleted: { type: 'boolean' },
		id: ID,
		metadata: { anyOf: [STRING_MAP, { enum: [''], type: 'string' }] },
		price: ID,
		price_data: {
			properties: { currency: { type: 'string' }, product: ID, recurring: { properties: { interval: { enum: ['day', 'month', 'week', 'year'], type: 'string' }, interval_count: { type: 'integer' } }, required: ['interval'], type: 'object' }, tax_behavior: { enum: ['exclusive', 'inclusive', 'unspecified'], type: 'string' }, unit_amount: { type: 'integer' }, unit_amount_decimal: { format: 'decimal', type: 'string' } },
			required: ['currency', 'product', 'recurring'],
			type: 'object',
		},
		quantity: { type: 'integer' },
	},
	type: 'object',
};

/** POST /v1/invoices/create_preview (API 2025-03-31, replacing GET /v1/invoices/upcoming): a subscription change's prorations. */
const createPreview = {
	post: {
		operationId: 'PostInvoicesCreatePreview',
		requestBody: {
			content: {
				'application/x-www-form-urlencoded': {
					schema: {
						additionalProperties: false,
						properties: {
							customer: ID,
							expand: { items: ID, type: 'array' },
							subscription: ID,
							subscription_details: {
								properties: { items: { items: ITEM_CHANGE, type: 'array' }, proration_behavior: { enum: ['always_invoice', 'create_prorations', 'none'], type: 'string' }, proration_date: { type: 'integer' } },
								type: 'object',
							},
						},
						type: 'object',
					},
				},
			},
			required: false,
		},
	},
};

/**
 * Apply the additions to a parsed spec (mutates and returns it; applying twice is harmless).
 * @param {any} spec
 */
function applyExtensions(spec) {
	spec.paths['/v1/invoice_payments'] = spec.paths['/v1/invoice_payments'] || invoicePayments;
	spec.paths['/v1/invoice_payments/{invoice_payment}'] = spec.paths['/v1/invoice_payments/{invoice_payment}'] || invoicePayment;
	for (const [route, item] of Object.entries(billingMeters)) spec.paths[route] = spec.paths[route] || item;
	spec.paths['/v1/invoices/create_preview'] = spec.paths['/v1/invoices/create_preview'] || createPreview;
	// `add_invoice_items[n][metadata]` (added to the API in 2024): the connector tags one-time items with their SKU.
	for (const [route, method] of [['/v1/subscriptions', 'post'], ['/v1/subscriptions/{subscription_exposed_id}', 'post']]) {
		const schema = spec.paths[route]?.[method]?.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
		const item = schema?.properties?.add_invoice_items?.items;
		if (item?.properties && !item.properties.metadata) item.properties.metadata = STRING_MAP;
	}
	return spec;
}

module.exports = { applyExtensions };
