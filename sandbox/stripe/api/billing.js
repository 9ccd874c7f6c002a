// @ts-check
'use strict';

const { op, obj, req, str, int, bool, oneOf, arr, anyOf, newer } = require('../../core/apiDoc');
const { id, unset, metadata, metadataMap, EXPAND, PAGE, SEARCH, created, interval, taxBehavior } = require('./common');

/**
 * Subscriptions, invoices, charges, payment intents, refunds and invoice payments
 * (https://docs.stripe.com/api/subscriptions, /invoices, /refunds, /invoice-payment): the fields billing.js and
 * invoices.js read, our connector sends and the tests use.
 */

const priceData = () => ({ currency: req(str()), product: req(id()), unit_amount: int(), unit_amount_decimal: str(), tax_behavior: taxBehavior() });
const recurringPriceData = () => obj({ ...priceData(), recurring: req(obj({ interval: req(interval()), interval_count: int() })) });

/** `items[n]` on create. */
const newItem = () => obj({ price: id(), price_data: recurringPriceData(), quantity: int(), metadata: metadataMap() });
/** `items[n]` on update: an existing item by `id` (changed or `deleted`), or a new one. */
const changedItem = () => obj({ id: id(), deleted: bool(), price: id(), price_data: recurringPriceData(), quantity: int(), metadata: metadata() });
/** `add_invoice_items[n]`: one-time prices for the next invoice. */
const invoiceItem = () =>
	obj({
		price: id(),
		price_data: obj(priceData()),
		quantity: int(),
		// The connector tags one-time items with their SKU.
		metadata: newer(metadataMap(), 'API 2024+, docs.stripe.com/api/subscriptions/create'),
	});

const collectionMethod = () => oneOf('charge_automatically', 'send_invoice');
const trialEnd = () => anyOf(oneOf('now'), int());
const cancellationDetails = () =>
	obj({
		comment: anyOf(str(), unset()),
		feedback: oneOf('', 'customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused'),
	});

const subscriptions = {
	'POST /v1/subscriptions': op({
		form: {
			customer: req(id()),
			// Stripe requires items (its 2023 spec file does not say so).
			items: req(arr(newItem())),
			add_invoice_items: arr(invoiceItem()),
			currency: str(),
			collection_method: collectionMethod(),
			days_until_due: int(),
			default_payment_method: id(),
			description: str(),
			billing_cycle_anchor: int(),
			cancel_at: int(),
			cancel_at_period_end: bool(),
			trial_end: trialEnd(),
			trial_period_days: int(),
			// Accepted; payment is not simulated beyond `default_incomplete` leaving the subscription incomplete.
			off_session: bool(),
			payment_behavior: oneOf('allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete'),
			metadata: metadata(),
			...EXPAND,
		},
	}),
	'GET /v1/subscriptions/search': op({ query: SEARCH }),
	'GET /v1/subscriptions/{subscription_exposed_id}': op({ path: { subscription_exposed_id: id() }, query: EXPAND }),
	'POST /v1/subscriptions/{subscription_exposed_id}': op({
		path: { subscription_exposed_id: id() },
		form: {
			items: arr(changedItem()),
			add_invoice_items: arr(invoiceItem()),
			proration_behavior: oneOf('always_invoice', 'create_prorations', 'none'),
			// Bills exactly what create_preview showed for the same date.
			proration_date: int(),
			collection_method: collectionMethod(),
			days_until_due: int(),
			default_payment_method: id(),
			description: anyOf(str(), unset()),
			cancel_at: anyOf(int(), unset()),
			cancel_at_period_end: bool(),
			cancellation_details: cancellationDetails(),
			trial_end: trialEnd(),
			metadata: metadata(),
			...EXPAND,
		},
	}),
	// stripe-node sends these in the query string; the validator reads them as the form body.
	'DELETE /v1/subscriptions/{subscription_exposed_id}': op({
		path: { subscription_exposed_id: id() },
		form: { invoice_now: bool(), prorate: bool(), cancellation_details: cancellationDetails(), ...EXPAND },
	}),
	'GET /v1/subscriptions': op({
		query: {
			customer: id(),
			price: id(),
			status: oneOf('active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'),
			created: created(),
			...PAGE,
		},
	}),
};

const CREATE_PREVIEW = 'Create a preview invoice, API 2025-03-31.basil (docs.stripe.com/api/invoices/create_preview); replaces GET /v1/invoices/upcoming';

const invoices = {
	// A subscription change's prorations, before making it (proration_date is then passed to the update).
	'POST /v1/invoices/create_preview': op({
		newerThanSpec: CREATE_PREVIEW,
		form: {
			customer: id(),
			subscription: id(),
			subscription_details: obj({
				items: arr(changedItem()),
				proration_behavior: oneOf('always_invoice', 'create_prorations', 'none'),
				proration_date: int(),
			}),
			...EXPAND,
		},
	}),
	'POST /v1/invoices/{invoice}/pay': op({ path: { invoice: id() }, form: EXPAND }),
	'GET /v1/invoices/search': op({ query: SEARCH }),
	'GET /v1/invoices/{invoice}': op({ path: { invoice: id() }, query: EXPAND }),
	'GET /v1/invoices': op({
		query: { customer: id(), subscription: id(), status: oneOf('draft', 'open', 'paid', 'uncollectible', 'void'), created: created(), ...PAGE },
	}),
	'GET /v1/charges/{charge}': op({ path: { charge: id() }, query: EXPAND }),
	'GET /v1/payment_intents/{intent}': op({ path: { intent: id() }, query: EXPAND }),
};

const refunds = {
	'POST /v1/refunds': op({
		form: { charge: id(), payment_intent: id(), amount: int(), reason: oneOf('duplicate', 'fraudulent', 'requested_by_customer'), metadata: metadata(), ...EXPAND },
	}),
	'GET /v1/refunds/{refund}': op({ path: { refund: id() }, query: EXPAND }),
	'GET /v1/refunds': op({ query: { charge: id(), payment_intent: id(), ...PAGE } }),
};

const INVOICE_PAYMENTS = 'Invoice Payments, API 2025-03-31.basil (docs.stripe.com/api/invoice-payment); the connector refunds through them';

const invoicePayments = {
	'GET /v1/invoice_payments': op({
		newerThanSpec: INVOICE_PAYMENTS,
		query: {
			invoice: id(),
			status: oneOf('canceled', 'open', 'paid'),
			payment: obj({ type: req(oneOf('payment_intent')), payment_intent: id() }),
			...PAGE,
		},
	}),
	'GET /v1/invoice_payments/{invoice_payment}': op({ newerThanSpec: INVOICE_PAYMENTS, path: { invoice_payment: id() }, query: EXPAND }),
};

module.exports = { ...subscriptions, ...invoices, ...refunds, ...invoicePayments };
