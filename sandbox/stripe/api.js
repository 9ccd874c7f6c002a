// @ts-check
'use strict';

const { api } = require('../core/apiDoc');

/**
 * The Stripe fake's own API description, written from Stripe's API reference (https://docs.stripe.com/api):
 * exactly the endpoints the fake serves and the parameters it accepts. Every request is validated against it
 * (unknown parameters, types, enums, required fields); Stripe's published spec is an optional extra check
 * (core/vendorSpecs.js) and test/sandbox/stripe.vendor-spec.test.ts keeps the two in agreement.
 */

const ownApi = api({ ...require('./api/catalog'), ...require('./api/billing'), ...require('./api/checkout') }, { title: 'Stripe sandbox (own description)' });

/**
 * Top-level resources of Stripe's v1 API (from its reference), so a 404 can say "not implemented here" rather
 * than "unknown" for real endpoints the fake does not serve, without the vendor's spec.
 */
const STRIPE_RESOURCES = new Set(
	(
		'account accounts account_links account_sessions apple_pay application_fees apps balance balance_transactions billing ' +
		'billing_portal charges checkout climate confirmation_tokens country_specs coupons credit_notes customer_sessions customers ' +
		'disputes entitlements ephemeral_keys events exchange_rates file_links files financial_connections forwarding identity ' +
		'invoice_payments invoice_rendering_templates invoiceitems invoices issuing mandates payment_intents payment_links ' +
		'payment_method_configurations payment_method_domains payment_methods payment_records payouts plans prices products ' +
		'promotion_codes quotes radar refunds reporting reviews setup_attempts setup_intents shipping_rates sigma sources ' +
		'subscription_items subscription_schedules subscriptions tax tax_codes tax_ids tax_rates terminal test_helpers tokens topups ' +
		'transfers treasury webhook_endpoints'
	).split(' '),
);

/** Is this a path under one of Stripe's v1 resources? @param {string} requestPath */
const isStripeResource = (requestPath) => STRIPE_RESOURCES.has(requestPath.split('/')[2] || '') && requestPath.startsWith('/v1/');

module.exports = { ownApi, isStripeResource };
