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

/**
 * Apply the additions to a parsed spec (mutates and returns it; applying twice is harmless).
 * @param {any} spec
 */
function applyExtensions(spec) {
	spec.paths['/v1/invoice_payments'] = spec.paths['/v1/invoice_payments'] || invoicePayments;
	spec.paths['/v1/invoice_payments/{invoice_payment}'] = spec.paths['/v1/invoice_payments/{invoice_payment}'] || invoicePayment;
	// `add_invoice_items[n][metadata]` (added to the API in 2024): the connector tags one-time items with their SKU.
	for (const [route, method] of [['/v1/subscriptions', 'post'], ['/v1/subscriptions/{subscription_exposed_id}', 'post']]) {
		const schema = spec.paths[route]?.[method]?.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
		const item = schema?.properties?.add_invoice_items?.items;
		if (item?.properties && !item.properties.metadata) item.properties.metadata = STRING_MAP;
	}
	return spec;
}

module.exports = { applyExtensions };
