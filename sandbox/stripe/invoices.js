// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { parseSearchQuery, mergeMetadata, clone } = require('./store');
const { createPrice, matchesCreated } = require('./catalog');

/**
 * Invoices (one per subscription create, paid, with a payment intent, a charge and an invoice payment),
 * invoice payments, charges, payment intents and refunds.
 * @typedef {import('./store').StripeStore} StripeStore
 * @typedef {import('./catalog').Register} Register
 * @typedef {{ price: any, quantity: number, metadata: Record<string, string> }} ExtraItem
 */

/**
 * `add_invoice_items`: one-time prices (or inline `price_data`) for the next invoice.
 * @param {StripeStore} store
 * @param {any[] | undefined} requested
 * @returns {ExtraItem[]}
 */
function resolveInvoiceItems(store, requested) {
	return (requested || []).map((item, index) => {
		const param = `add_invoice_items[${index}]`;
		let price;
		if (item.price) price = store.require('price', item.price, `${param}[price]`);
		else if (item.price_data) {
			store.require('product', item.price_data.product, `${param}[price_data][product]`);
			price = createPrice(store, { ...item.price_data, active: false }, item.price_data.product);
		} else throw stripeError(400, { param: `${param}[price]`, code: 'parameter_missing', message: `Missing required param: ${param}[price].` });
		return { price, quantity: item.quantity ?? 1, metadata: mergeMetadata({}, item.metadata) };
	});
}

/**
 * Create the invoice for a billing event (with a payment intent and an invoice payment when the total is
 * not zero); charge_automatically invoices are paid at once (a succeeded charge). Both the pre-2025 fields (`subscription`, `charge`, `payment_intent`,
 * `paid`) and the newer `parent.subscription_details` are filled, so either API version's reader works.
 * @param {StripeStore} store
 * @param {any} subscription
 * @param {{ reason: string, amount?: number, paid: boolean, extraItems?: ExtraItem[] }} options
 */
function createInvoice(store, subscription, options) {
	const invoiceId = store.newId('invoice');
	const line = (/** @type {any} */ price, /** @type {number} */ quantity, /** @type {string | null} */ itemId, /** @type {string} */ type) => ({
		id: store.newId('line_item'),
		object: 'line_item',
		amount: (price.unit_amount || 0) * quantity,
		currency: subscription.currency,
		description: `${quantity} × ${price.product}`,
		period: { start: subscription.current_period_start, end: subscription.current_period_end },
		price: clone(price),
		quantity,
		subscription: subscription.id,
		subscription_item: itemId,
		type,
	});
	const recurring = subscription.items.data.map((/** @type {any} */ item) => line(item.price, item.quantity, item.id, 'subscription'));
	const extra = (options.extraItems || []).map((item) => line(item.price, item.quantity, null, 'invoiceitem'));
	const lines = [...recurring, ...extra];
	const sum = (/** @type {any[]} */ list) => list.reduce((total, l) => total + l.amount, 0);
	const total = (options.amount ?? (subscription.status === 'trialing' ? 0 : sum(recurring))) + sum(extra);
	const now = store.now();
	// Invoices sent for payment (send_invoice) stay open until paid (`POST /v1/invoices/{id}/pay`).
	const paid = options.paid && subscription.collection_method !== 'send_invoice';
	const intentId = total > 0 ? store.newId('payment_intent') : null;
	if (intentId) {
		store.put({ id: intentId, object: 'payment_intent', amount: total, amount_received: 0, created: now, currency: subscription.currency, customer: subscription.customer, invoice: invoiceId, latest_charge: null, livemode: false, metadata: {}, status: 'requires_payment_method' });
		store.put({
			id: store.newId('invoice_payment'),
			object: 'invoice_payment',
			amount_paid: null,
			amount_requested: total,
			created: now,
			currency: subscription.currency,
			invoice: invoiceId,
			is_default: true,
			livemode: false,
			payment: { type: 'payment_intent', payment_intent: intentId },
			status: 'open',
			status_transitions: { canceled_at: null, paid_at: null },
		});
	}
	const invoice = store.put({
		id: invoiceId,
		object: 'invoice',
		amount_due: total,
		amount_paid: 0,
		amount_remaining: total,
		billing_reason: options.reason,
		charge: null,
		collection_method: subscription.collection_method,
		created: now,
		currency: subscription.currency,
		customer: subscription.customer,
		due_date: subscription.collection_method === 'send_invoice' ? now + (subscription.days_until_due ?? 30) * 86400 : null,
		hosted_invoice_url: `https://invoice.stripe.test/i/${invoiceId}`,
		invoice_pdf: `https://pay.stripe.test/invoice/${invoiceId}/pdf`,
		lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${invoiceId}/lines` },
		livemode: false,
		metadata: {},
		number: `${invoiceId.slice(3, 11).toUpperCase()}-0001`,
		paid: false,
		parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: clone(subscription.metadata), subscription: subscription.id } },
		payment_intent: intentId,
		period_end: subscription.current_period_end,
		period_start: subscription.current_period_start,
		status: 'open',
		status_transitions: { finalized_at: now, paid_at: null },
		subscription: subscription.id,
		subtotal: total,
		total,
	});
	return paid ? payInvoice(store, invoice) : invoice;
}

/**
 * Settle an open invoice: its payment intent succeeds with a charge (none for a zero total).
 * @param {StripeStore} store
 * @param {any} invoice
 */
function payInvoice(store, invoice) {
	if (invoice.status === 'paid') throw stripeError(400, { code: 'invoice_already_paid', message: 'Invoice is already paid' });
	const now = store.now();
	if (invoice.payment_intent) {
		const intent = store.find('payment_intent', invoice.payment_intent);
		const chargeId = store.newId('charge');
		store.put({ id: chargeId, object: 'charge', amount: invoice.total, amount_captured: invoice.total, amount_refunded: 0, captured: true, created: now, currency: invoice.currency, customer: invoice.customer, invoice: invoice.id, livemode: false, metadata: {}, paid: true, payment_intent: intent.id, refunded: false, status: 'succeeded' });
		Object.assign(intent, { amount_received: invoice.total, latest_charge: chargeId, status: 'succeeded' });
		for (const payment of store.all('invoice_payment', (x) => x.invoice === invoice.id)) {
			Object.assign(payment, { amount_paid: invoice.total, status: 'paid', status_transitions: { canceled_at: null, paid_at: now } });
		}
		invoice.charge = chargeId;
	}
	return Object.assign(invoice, { amount_paid: invoice.total, amount_remaining: 0, paid: true, status: 'paid', status_transitions: { ...invoice.status_transitions, paid_at: now } });
}

/**
 * @param {Register} on
 * @param {StripeStore} store
 */
function registerInvoices(on, store) {
	on('POST', '/v1/invoices/{invoice}/pay', ({ path }) => payInvoice(store, store.require('invoice', path.invoice)));
	on('GET', '/v1/invoices/search', ({ params: p }) => store.searchPage(store.all('invoice', parseSearchQuery(p.query)), p, '/v1/invoices/search'));
	on('GET', '/v1/invoices/{invoice}', ({ path }) => store.require('invoice', path.invoice));
	on('GET', '/v1/invoices', ({ params: p }) => {
		const items = store.all(
			'invoice',
			(i) => (p.customer === undefined || i.customer === p.customer) && (p.subscription === undefined || i.subscription === p.subscription) && (p.status === undefined || i.status === p.status) && matchesCreated(i, p.created),
		);
		return store.page(items, p, '/v1/invoices');
	});
	on('GET', '/v1/charges/{charge}', ({ path }) => store.require('charge', path.charge));
	on('GET', '/v1/payment_intents/{intent}', ({ path }) => store.require('payment_intent', path.intent));

	on('POST', '/v1/refunds', ({ params: p }) => {
		let charge;
		if (p.charge) charge = store.require('charge', p.charge, 'charge');
		else if (p.payment_intent) {
			const intent = store.require('payment_intent', p.payment_intent, 'payment_intent');
			charge = intent.latest_charge && store.find('charge', intent.latest_charge);
			if (!charge) throw stripeError(400, { param: 'payment_intent', message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.` });
		} else throw stripeError(400, { param: 'charge', code: 'parameter_missing', message: 'One of the following params should be provided for this request: payment_intent or charge.' });
		const refundable = charge.amount - charge.amount_refunded;
		if (refundable <= 0) throw stripeError(400, { code: 'charge_already_refunded', param: 'charge', message: `Charge ${charge.id} has already been refunded.` });
		const amount = p.amount ?? refundable;
		if (amount > refundable) {
			throw stripeError(400, { param: 'amount', message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})` });
		}
		charge.amount_refunded += amount;
		charge.refunded = charge.amount_refunded === charge.amount;
		return store.put({ id: store.newId('refund'), object: 'refund', amount, balance_transaction: null, charge: charge.id, created: store.now(), currency: charge.currency, metadata: mergeMetadata({}, p.metadata), payment_intent: charge.payment_intent, reason: p.reason ?? null, receipt_number: null, status: 'succeeded' });
	});
	on('GET', '/v1/refunds/{refund}', ({ path }) => store.require('refund', path.refund));
	on('GET', '/v1/refunds', ({ params: p }) => {
		const items = store.all('refund', (r) => (p.charge === undefined || r.charge === p.charge) && (p.payment_intent === undefined || r.payment_intent === p.payment_intent));
		return store.page(items, p, '/v1/refunds');
	});
	on('GET', '/v1/invoice_payments/{invoice_payment}', ({ path }) => store.require('invoice_payment', path.invoice_payment));
	on('GET', '/v1/invoice_payments', ({ params: p }) => {
		const items = store.all(
			'invoice_payment',
			(x) =>
				(p.invoice === undefined || x.invoice === p.invoice) &&
				(p.status === undefined || x.status === p.status) &&
				(p.payment?.payment_intent === undefined || x.payment.payment_intent === p.payment.payment_intent),
		);
		return store.page(items, p, '/v1/invoice_payments');
	});
}

module.exports = { createInvoice, payInvoice, resolveInvoiceItems, registerInvoices };
