// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { mergeMetadata, randomId } = require('./store');

/**
 * Checkout Sessions in subscription mode: create, retrieve (expand `subscription`, `customer`, `line_items`), list,
 * line items, expire. Paying one is the hosted page's job: ./checkoutPayments.js stands in for it.
 * @typedef {import('./store').StripeStore} StripeStore
 * @typedef {import('./catalog').Register} Register
 * @typedef {(type: string, object: any) => void} Emit
 */

const DAY = 86_400;

/**
 * Line items as Stripe validates them: each names an active recurring price; licensed prices need a quantity,
 * metered ones must not have one; one currency.
 * @param {StripeStore} store
 * @param {any[] | undefined} requested
 */
function resolveLineItems(store, requested) {
	if (!requested || requested.length === 0) {
		throw stripeError(400, { param: 'line_items', code: 'parameter_missing', message: 'Missing required param: line_items. You must provide `line_items` in `subscription` mode.' });
	}
	const items = requested.map((item, index) => {
		const param = `line_items[${index}]`;
		if (!item.price) throw stripeError(400, { param: `${param}[price]`, code: 'parameter_missing', message: `Missing required param: ${param}[price].` });
		const price = store.require('price', item.price, `${param}[price]`);
		if (!price.active) throw stripeError(400, { param: `${param}[price]`, message: `The price specified (${price.id}) is inactive. This field only accepts active prices.` });
		const metered = price.recurring?.usage_type === 'metered';
		if (metered && item.quantity !== undefined) {
			throw stripeError(400, { param: `${param}[quantity]`, message: `Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`${param}\`.` });
		}
		if (!metered && item.quantity === undefined) throw stripeError(400, { param: `${param}[quantity]`, code: 'parameter_missing', message: `Quantity is required. Add \`quantity\` to \`${param}\`.` });
		if (!metered && item.quantity < 1) throw stripeError(400, { param: `${param}[quantity]`, message: `Invalid quantity: must be at least 1.` });
		return { price, quantity: metered ? null : item.quantity };
	});
	if (!items.some((i) => i.price.type === 'recurring')) {
		throw stripeError(400, { param: 'line_items', message: 'You must provide at least one recurring price in `subscription` mode when using prices.' });
	}
	const currencies = new Set(items.map((i) => i.price.currency));
	if (currencies.size > 1) throw stripeError(400, { param: 'line_items', message: `All prices must be in the same currency (got ${[...currencies].join(', ')}).` });
	return items;
}

/**
 * @param {Register} on
 * @param {StripeStore} store
 * @param {{ emit: Emit, baseUrl: () => string }} context
 */
function registerCheckout(on, store, context) {
	on('POST', '/v1/checkout/sessions', ({ params: p }) => {
		if (p.mode === undefined) throw stripeError(400, { param: 'mode', code: 'parameter_missing', message: 'Missing required param: mode.' });
		if (p.mode !== 'subscription') throw stripeError(400, { param: 'mode', message: `The Stripe sandbox implements Checkout in \`subscription\` mode only (got \`${p.mode}\`).` });
		if (p.customer && p.customer_email) throw stripeError(400, { param: 'customer_email', message: 'You may only specify one of these parameters: customer, customer_email.' });
		if (p.customer) store.require('customer', p.customer, 'customer');
		const trialDays = p.subscription_data?.trial_period_days;
		if (trialDays !== undefined && trialDays < 1) throw stripeError(400, { param: 'subscription_data[trial_period_days]', message: 'The trial period must be at least 1 day.' });
		const now = store.now();
		if (p.expires_at !== undefined && (p.expires_at < now + 1800 || p.expires_at > now + DAY)) {
			throw stripeError(400, { param: 'expires_at', message: 'The `expires_at` timestamp must be between 30 minutes and 24 hours from the Checkout Session creation.' });
		}
		const items = resolveLineItems(store, p.line_items);
		const id = `cs_test_${randomId(58)}`;
		const lineItems = items.map((item) => ({
			id: `li_${randomId(24)}`,
			object: 'item',
			amount_subtotal: (item.price.unit_amount || 0) * (item.quantity ?? 0),
			amount_total: (item.price.unit_amount || 0) * (item.quantity ?? 0),
			currency: item.price.currency,
			description: item.price.nickname ?? item.price.product,
			price: item.price,
			quantity: item.quantity,
		}));
		const subtotal = lineItems.reduce((sum, item) => sum + item.amount_subtotal, 0);
		const session = store.put({
			id,
			object: 'checkout.session',
			after_expiration: null,
			allow_promotion_codes: p.allow_promotion_codes ?? null,
			amount_subtotal: subtotal,
			// Due today: nothing while a trial runs.
			amount_total: trialDays ? 0 : subtotal,
			automatic_tax: { enabled: false, liability: null, status: null },
			billing_address_collection: null,
			cancel_url: p.cancel_url ?? null,
			client_reference_id: p.client_reference_id ?? null,
			created: now,
			currency: items[0].price.currency,
			customer: p.customer ?? null,
			customer_creation: null,
			customer_details: p.customer_email ? { address: null, email: p.customer_email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] } : null,
			customer_email: p.customer_email ?? null,
			expires_at: p.expires_at ?? now + DAY,
			invoice: null,
			livemode: false,
			locale: null,
			metadata: mergeMetadata({}, p.metadata),
			mode: 'subscription',
			payment_intent: null,
			payment_method_types: ['card'],
			payment_status: 'unpaid',
			status: 'open',
			submit_type: null,
			subscription: null,
			success_url: p.success_url,
			total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
			ui_mode: 'hosted',
			// The hosted page's stand-in on this fake (real sessions point at checkout.stripe.com).
			url: `${context.baseUrl()}/__sandbox/checkout/pay/${id}`,
		});
		// What the session will create when paid (not part of Stripe's object).
		Object.defineProperty(session, '_lineItems', { value: lineItems, enumerable: false });
		Object.defineProperty(session, '_subscriptionData', { value: { metadata: p.subscription_data?.metadata ?? {}, trialDays, description: p.subscription_data?.description }, enumerable: false });
		return session;
	});
	on('GET', '/v1/checkout/sessions', ({ params: p }) => {
		const items = store.all('checkout.session', (s) => (p.customer === undefined || s.customer === p.customer) && (p.subscription === undefined || s.subscription === p.subscription));
		return store.page(items, p, '/v1/checkout/sessions');
	});
	on('GET', '/v1/checkout/sessions/{session}', ({ params: p, path }) => withLineItems(store.require('checkout.session', path.session, 'session'), p.expand));
	on('GET', '/v1/checkout/sessions/{session}/line_items', ({ params: p, path }) => {
		const session = store.require('checkout.session', path.session, 'session');
		return store.page(session._lineItems, p, `/v1/checkout/sessions/${session.id}/line_items`);
	});
	on('POST', '/v1/checkout/sessions/{session}/expire', ({ path }) => expireSession(store, store.require('checkout.session', path.session, 'session'), context.emit));
}

/**
 * `expand[]=line_items` adds the list Stripe leaves out of the object by default.
 * @param {any} session @param {string[] | undefined} expand
 */
function withLineItems(session, expand) {
	if (!expand?.includes('line_items')) return session;
	const copy = JSON.parse(JSON.stringify(session));
	copy.line_items = { object: 'list', data: JSON.parse(JSON.stringify(session._lineItems)), has_more: false, url: `/v1/checkout/sessions/${session.id}/line_items` };
	return copy;
}

/**
 * Only an open session expires; it emits `checkout.session.expired`.
 * @param {StripeStore} store @param {any} session @param {Emit} emit
 */
function expireSession(store, session, emit) {
	if (session.status !== 'open') {
		throw stripeError(400, { param: 'session', message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".` });
	}
	Object.assign(session, { status: 'expired', url: null, expires_at: Math.min(session.expires_at, store.now()) });
	emit('checkout.session.expired', session);
	return session;
}

module.exports = { registerCheckout, expireSession };
