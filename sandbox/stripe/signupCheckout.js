// @ts-check
'use strict';

const { randomBytes } = require('node:crypto');

/**
 * What a pricing page does before the customer pays: a Checkout Session for a plan's monthly price (by lookup key),
 * a fresh sign-up id as `client_reference_id` and in the metadata the self-service template reads (`q2c_tier`).
 * Shared by the demo, the e2e scenario and the workflow tests, all against the sandbox's Stripe.
 */

/** Monthly prices (minor units) of the plans workflows/self-service-signup.json's Config knows. */
const PLAN_PRICES = /** @type {Record<string, number>} */ ({ grassroots_monthly: 2900, professional_monthly: 9900 });

/**
 * @param {import('stripe').Stripe} stripe a client on the sandbox's Stripe
 * @param {string} plan a price lookup key (`professional_monthly`) or a tier name (`professional`, or one Config does not know)
 * @param {{ keyPrefix?: string }} [options] sign-up id prefix (default `signup-`)
 */
async function createSignupCheckout(stripe, plan, options = {}) {
	const lookupKey = PLAN_PRICES[plan] ? plan : `${plan}_monthly`;
	const product = await stripe.products.create({ name: `Academy (${plan})` });
	const price = await stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: PLAN_PRICES[lookupKey] ?? 1900, recurring: { interval: 'month' }, lookup_key: lookupKey, transfer_lookup_key: true });
	const suffix = randomBytes(4).toString('hex');
	const businessKey = `${options.keyPrefix ?? 'signup-'}${suffix}`;
	const email = `owner-${suffix}@academy.test`;
	const metadata = { q2c_business_key: businessKey, q2c_tier: plan };
	const session = await stripe.checkout.sessions.create({
		mode: 'subscription',
		line_items: [{ price: price.id, quantity: 1 }],
		client_reference_id: businessKey,
		customer_email: email,
		success_url: 'https://academy.test/welcome?session_id={CHECKOUT_SESSION_ID}',
		cancel_url: 'https://academy.test/pricing',
		metadata,
		subscription_data: { metadata },
	});
	return { businessKey, email, session, amount: PLAN_PRICES[lookupKey] ?? 1900 };
}

module.exports = { createSignupCheckout, PLAN_PRICES };
