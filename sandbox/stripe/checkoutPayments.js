// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { createSubscription } = require('./billing');
const { payInvoice } = require('./invoices');
const { expireSession } = require('./checkout');

/**
 * The hosted Checkout page's stand-in: "pay" an open session with a test outcome.
 * - `success` (card 4242 4242 4242 4242): customer (unless the session names one) + subscription with its first
 *   invoice paid (or trialing); session `complete` / `paid` (`no_payment_required` when nothing is due) →
 *   `customer.created`, `customer.subscription.created`, `invoice.paid`, `checkout.session.completed`.
 * - `async` (a delayed-notification method such as a bank debit): session `complete` / `unpaid`, subscription
 *   `incomplete` with its invoice open and the payment `processing` → `checkout.session.completed`; then
 *   `settle(…, 'succeeded')` → `invoice.paid`, `customer.subscription.updated`, `checkout.session.async_payment_succeeded`,
 *   or `settle(…, 'failed')` → `invoice.payment_failed`, `checkout.session.async_payment_failed`.
 * - `soft_decline` (4000 0000 0000 9995, insufficient_funds, advice `try_again_later`) and `hard_decline`
 *   (4000 0000 0000 9979, stolen_card, advice `do_not_try_again`): Stripe's 402 card error; the session stays
 *   open (naming its incomplete subscription), the invoice's `attempt_count` 1 (Stripe counts only its automatic
 *   retries after the first attempt) → `invoice.payment_failed`. Paying
 *   again reuses them.
 * - `expire` → `checkout.session.expired` (as `POST /v1/checkout/sessions/{id}/expire`).
 * @typedef {import('./store').StripeStore} StripeStore
 * @typedef {import('./checkout').Emit} Emit
 * @typedef {'success' | 'async' | 'soft_decline' | 'hard_decline' | 'expire'} Outcome
 */

const TEST_CARDS = /** @type {Record<string, Outcome>} */ ({ '4242424242424242': 'success', '4000000000009995': 'soft_decline', '4000000000009979': 'hard_decline' });
const OUTCOMES = ['success', 'async', 'soft_decline', 'hard_decline', 'expire'];

const DECLINES = {
	soft_decline: { decline_code: 'insufficient_funds', advice_code: 'try_again_later', message: 'Your card has insufficient funds.', outcome: 'issuer_declined' },
	hard_decline: { decline_code: 'stolen_card', advice_code: 'do_not_try_again', message: 'Your card was declined.', outcome: 'issuer_declined' },
};

/** @param {string} message */
const badInput = (message) => stripeError(400, { message });

/**
 * @param {StripeStore} store
 * @param {Emit} emit
 */
function createCheckoutPayments(store, emit) {
	/** The customer and incomplete subscription a declined attempt left, reused by the next attempt. @type {Map<string, { customer: string, subscription: string }>} */
	const pending = new Map();

	/** @param {any} session @param {{ email?: string, name?: string }} input */
	function customerFor(session, input) {
		if (session.customer) return store.require('customer', session.customer);
		const email = session.customer_email ?? input.email ?? `checkout+${session.id.slice(-8).toLowerCase()}@example.test`;
		const customer = createCustomer(store, email, input.name ?? null);
		emit('customer.created', customer);
		return customer;
	}

	/** The session's subscription, created incomplete (payment pending) or billed at once. @param {any} session @param {any} customer @param {boolean} payNow */
	function subscriptionFor(session, customer, payNow) {
		const data = session._subscriptionData;
		const subscription = createSubscription(store, {
			customer: customer.id,
			items: session._lineItems.map((/** @type {any} */ item) => ({ price: item.price.id, ...(item.quantity === null ? {} : { quantity: item.quantity }) })),
			metadata: data.metadata,
			description: data.description,
			trial_period_days: data.trialDays,
			...(payNow ? {} : { payment_behavior: 'default_incomplete' }),
		});
		emit('customer.subscription.created', subscription);
		return subscription;
	}

	/** @param {any} session @param {any} customer @param {any} subscription @param {string} paymentStatus */
	function complete(session, customer, subscription, paymentStatus) {
		Object.assign(session, {
			status: 'complete',
			payment_status: paymentStatus,
			customer: customer.id,
			subscription: subscription.id,
			invoice: subscription.latest_invoice,
			url: null,
			customer_details: { address: null, email: customer.email, name: customer.name, phone: null, tax_exempt: 'none', tax_ids: [] },
		});
		pending.delete(session.id);
		emit('checkout.session.completed', session);
		return session;
	}

	/** @param {any} subscription */
	function activate(subscription) {
		const invoice = store.require('invoice', subscription.latest_invoice);
		if (invoice.status !== 'paid') payInvoice(store, invoice);
		if (subscription.status === 'incomplete') {
			subscription.status = 'active';
			emit('customer.subscription.updated', subscription);
		}
		emit('invoice.paid', invoice);
	}

	/**
	 * @param {string} sessionId
	 * @param {{ outcome?: Outcome, card?: string, email?: string, name?: string }} input
	 */
	function pay(sessionId, input = {}) {
		const session = store.require('checkout.session', sessionId, 'session');
		const outcome = input.outcome ?? (input.card ? TEST_CARDS[input.card.replace(/\s/g, '')] : 'success');
		if (!outcome || !OUTCOMES.includes(outcome)) throw badInput(`Unknown outcome or test card (outcomes: ${OUTCOMES.join(', ')}; cards: ${Object.keys(TEST_CARDS).join(', ')}).`);
		if (outcome === 'expire') return expireSession(store, session, emit);
		if (session.status !== 'open') throw badInput(`This Checkout Session is ${session.status}: it can no longer be paid.`);
		const earlier = pending.get(session.id);
		const customer = earlier ? store.require('customer', earlier.customer) : customerFor(session, input);
		const subscription = earlier ? store.require('subscription', earlier.subscription) : subscriptionFor(session, customer, outcome === 'success');
		if (outcome === 'success') {
			if (subscription.status === 'incomplete' || store.require('invoice', subscription.latest_invoice).amount_due > 0) activate(subscription);
			return complete(session, customer, subscription, session.amount_total === 0 ? 'no_payment_required' : 'paid');
		}
		const intent = paymentIntentOf(subscription);
		if (outcome === 'async') {
			if (intent) intent.status = 'processing';
			return complete(session, customer, subscription, 'unpaid');
		}
		pending.set(session.id, { customer: customer.id, subscription: subscription.id });
		// The open session names the incomplete subscription, so `GET /v1/checkout/sessions?subscription=…` finds it.
		session.subscription = subscription.id;
		throw decline(subscription, intent, DECLINES[outcome]);
	}

	/**
	 * The delayed payment of an `async` session settles.
	 * @param {string} sessionId @param {'succeeded' | 'failed'} result
	 */
	function settle(sessionId, result) {
		const session = store.require('checkout.session', sessionId, 'session');
		if (session.status !== 'complete' || session.payment_status !== 'unpaid') throw badInput('Only a completed session whose payment is still processing (outcome `async`) can settle.');
		const subscription = store.require('subscription', session.subscription);
		if (result === 'succeeded') {
			activate(subscription);
			session.payment_status = 'paid';
			emit('checkout.session.async_payment_succeeded', session);
		} else if (result === 'failed') {
			const intent = paymentIntentOf(subscription);
			if (intent) Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { type: 'invalid_request_error', code: 'payment_method_unactivated', message: 'The payment could not be completed (the debit was returned).' } });
			emit('invoice.payment_failed', store.require('invoice', subscription.latest_invoice));
			emit('checkout.session.async_payment_failed', session);
		} else throw badInput('Expected result "succeeded" or "failed".');
		return session;
	}

	/**
	 * A declined attempt: a failed charge, the intent back to `requires_payment_method`, the invoice attempted.
	 * @param {any} subscription @param {any} intent @param {typeof DECLINES['soft_decline']} details
	 */
	function decline(subscription, intent, details) {
		const invoice = store.require('invoice', subscription.latest_invoice);
		const chargeId = store.newId('charge');
		const error = { type: 'card_error', code: 'card_declined', decline_code: details.decline_code, advice_code: details.advice_code, message: details.message, charge: chargeId };
		store.put({
			id: chargeId,
			object: 'charge',
			amount: invoice.total,
			amount_captured: 0,
			amount_refunded: 0,
			captured: false,
			created: store.now(),
			currency: invoice.currency,
			customer: invoice.customer,
			failure_code: 'card_declined',
			failure_message: details.message,
			invoice: invoice.id,
			livemode: false,
			metadata: {},
			outcome: { advice_code: details.advice_code, network_status: 'declined_by_network', reason: details.decline_code, risk_level: 'normal', seller_message: 'The bank returned the decline code `' + details.decline_code + '`.', type: details.outcome },
			paid: false,
			payment_intent: intent?.id ?? null,
			refunded: false,
			status: 'failed',
		});
		if (intent) Object.assign(intent, { status: 'requires_payment_method', latest_charge: chargeId, last_payment_error: { ...error, doc_url: 'https://stripe.com/docs/error-codes/card-declined' } });
		// Stripe: "any payment attempt counts as the first attempt", then only its automatic retries increment it.
		Object.assign(invoice, { attempt_count: Math.max(invoice.attempt_count ?? 0, 1), attempted: true, charge: chargeId });
		emit('invoice.payment_failed', invoice);
		return stripeError(402, { ...error, payment_intent: intent ? JSON.parse(JSON.stringify(intent)) : undefined });
	}

	/** @param {any} subscription */
	function paymentIntentOf(subscription) {
		const invoice = store.require('invoice', subscription.latest_invoice);
		return invoice.payment_intent ? store.find('payment_intent', invoice.payment_intent) : null;
	}

	return { pay, settle, reset: () => pending.clear() };
}

/** @param {StripeStore} store @param {string} email @param {string | null} name */
function createCustomer(store, email, name) {
	return store.put({
		id: store.newId('customer'),
		object: 'customer',
		address: null,
		balance: 0,
		created: store.now(),
		currency: null,
		default_source: null,
		delinquent: false,
		description: null,
		discount: null,
		email,
		invoice_prefix: Math.random().toString(16).slice(2, 10).toUpperCase(),
		invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
		livemode: false,
		metadata: {},
		name,
		next_invoice_sequence: 1,
		phone: null,
		preferred_locales: [],
		shipping: null,
		tax_exempt: 'none',
		test_clock: null,
	});
}

module.exports = { createCheckoutPayments, TEST_CARDS };
