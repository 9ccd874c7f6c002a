import type { INodeProperties } from 'n8n-workflow';
import type { StripeBillingClient } from '../../../connectors/billing';
import { operationProperty } from '../../shared/fields';
import { allowRiskyToolField, type ToolRisks } from '../../shared/aiTool';
import { effectIds, pick, receiptFields, type EffectOf, type SideEffects } from '../../shared/receipt';
import type { OperationMap } from '../../shared/router';
import * as checkoutCreate from './checkoutSession/create';
import * as checkoutExpire from './checkoutSession/expire';
import * as checkoutGet from './checkoutSession/get';
import * as customerFindOrCreate from './customer/findOrCreate';
import * as invoiceGet from './invoice/get';
import * as invoiceGetPaymentDecline from './invoice/getPaymentDecline';
import * as invoiceList from './invoice/list';
import * as invoicePreview from './invoice/preview';
import * as priceGetByLookupKey from './price/getByLookupKey';
import * as refundCreate from './refund/create';
import * as subscriptionCancel from './subscription/cancel';
import * as subscriptionCreate from './subscription/create';
import * as subscriptionGet from './subscription/get';
import * as subscriptionUpdate from './subscription/update';
import * as usageGet from './usage/get';
import * as usageReport from './usage/report';

/** Refused to an AI agent unless the tool opts in. */
export const toolRisks: ToolRisks = {
	subscription: { cancel: 'undoes a customer effect' },
	refund: { create: 'undoes a customer effect' },
	checkout: { expire: 'undoes a customer effect' },
};

const stripe =
	(type: string, ...keys: string[]): EffectOf =>
	(json) =>
		effectIds(`stripe.${type}`, json.id, pick(json, keys));

/** Writes that can record their receipt in the same step ("Record Receipt"), with the ids each receipt names. */
export const sideEffects: SideEffects = {
	system: 'billing',
	operations: {
		customer: { findOrCreate: stripe('customer', 'created') },
		subscription: {
			create: stripe('subscription', 'customerId', 'created'),
			update: stripe('subscription', 'customerId', 'changed'),
			cancel: stripe('subscription', 'customerId', 'alreadyCanceled'),
		},
		refund: { create: stripe('refund', 'target', 'paymentIntentId', 'chargeId') },
		// Default steps billing.checkout.create / .expire and billing.usage.report, the connector's own step names.
		checkout: {
			create: stripe('checkout_session', 'businessKey', 'customerId', 'created', 'replacedSessionId'),
			// Named by the subscription when it had no Checkout Session to end.
			expire: (json) => effectIds('stripe.checkout_session', json.id || json.subscriptionId, pick(json, ['businessKey', 'subscriptionId', 'status', 'expiredNow', 'sessionFound'])),
		},
		usage: { report: (json) => effectIds('stripe.meter_event', json.identifier, pick(json, ['eventName', 'customerId', 'value', 'timestamp', 'created'])) },
	},
};

export const operations: OperationMap<StripeBillingClient> = {
	checkout: { create: checkoutCreate.execute, get: checkoutGet.execute, expire: checkoutExpire.execute },
	customer: { findOrCreate: customerFindOrCreate.execute },
	price: { getByLookupKey: priceGetByLookupKey.execute },
	subscription: {
		create: subscriptionCreate.execute,
		update: subscriptionUpdate.execute,
		cancel: subscriptionCancel.execute,
		get: subscriptionGet.execute,
	},
	invoice: { list: invoiceList.execute, get: invoiceGet.execute, getPaymentDecline: invoiceGetPaymentDecline.execute, preview: invoicePreview.execute },
	refund: { create: refundCreate.execute },
	usage: { report: usageReport.execute, get: usageGet.execute },
};

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'subscription',
	options: [
		// "checkout" (not checkoutSession): the default receipt step is then billing.checkout.create.
		{ name: 'Checkout Session', value: 'checkout' },
		{ name: 'Customer', value: 'customer' },
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Price', value: 'price' },
		{ name: 'Refund', value: 'refund' },
		{ name: 'Subscription', value: 'subscription' },
		{ name: 'Usage', value: 'usage' },
	],
};

const operationProperties: INodeProperties[] = [
	operationProperty('checkout', 'create', [
		{ name: 'Create', value: 'create', action: 'Create a checkout session', description: "Create the hosted payment page of a self-service signup at the tier's price" },
		{ name: 'Expire', value: 'expire', action: 'Expire a checkout session', description: 'End an open checkout session (by ID or subscription) so it can no longer be paid' },
		{ name: 'Get', value: 'get', action: 'Get a checkout session', description: 'Get a checkout session and its payment status by ID' },
	]),
	operationProperty('customer', 'findOrCreate', [
		{ name: 'Find or Create', value: 'findOrCreate', action: 'Find or create a customer', description: 'Find the customer tagged with the business key, or create it' },
	]),
	operationProperty('invoice', 'list', [
		{ name: 'Get', value: 'get', action: 'Get an invoice', description: 'Get an invoice by ID' },
		{ name: 'Get Many', value: 'list', action: 'Get many invoices', description: 'List the invoices of a subscription or customer' },
		{
			name: 'Get Payment Decline',
			value: 'getPaymentDecline',
			action: 'Get the payment decline of an invoice',
			description: "Classify the card decline behind a failed invoice payment: hard or soft, and what to tell the customer",
		},
		{ name: 'Preview Subscription Change', value: 'preview', action: 'Preview a subscription change', description: 'The prorated invoice a subscription change would make (invoices.createPreview); changes nothing' },
	]),
	operationProperty('price', 'getByLookupKey', [
		{ name: 'Get by Lookup Key', value: 'getByLookupKey', action: 'Get a price by lookup key', description: 'Get the active price with a lookup_key' },
	]),
	operationProperty('refund', 'create', [
		{ name: 'Create', value: 'create', action: 'Create a refund', description: 'Refund an invoice, payment intent or charge' },
	]),
	operationProperty('subscription', 'create', [
		{ name: 'Cancel', value: 'cancel', action: 'Cancel a subscription', description: 'Cancel now; already cancelled counts as success' },
		{ name: 'Create', value: 'create', action: 'Create a subscription', description: "Create the contract's subscription at the contract's prices" },
		{ name: 'Get', value: 'get', action: 'Get a subscription', description: 'Get a subscription by ID' },
		{ name: 'Update', value: 'update', action: 'Update a subscription', description: 'Change items and prices to match the contract' },
	]),
	operationProperty('usage', 'report', [
		{ name: 'Get', value: 'get', action: 'Get usage', description: "Get a customer's usage so far on a billing meter" },
		{ name: 'Report', value: 'report', action: 'Report usage', description: 'Report usage to a billing meter, once per usage record' },
	]),
];

export const properties: INodeProperties[] = [
	resourceProperty,
	...operationProperties,
	...customerFindOrCreate.description,
	...priceGetByLookupKey.description,
	...subscriptionCreate.description,
	...subscriptionUpdate.description,
	...subscriptionCancel.description,
	...subscriptionGet.description,
	...invoiceList.description,
	...invoiceGet.description,
	...refundCreate.description,
	...invoiceGetPaymentDecline.description,
	...invoicePreview.description,
	...checkoutCreate.description,
	...checkoutGet.description,
	...checkoutExpire.description,
	...usageReport.description,
	...usageGet.description,
	...receiptFields(sideEffects),
	allowRiskyToolField,
];
