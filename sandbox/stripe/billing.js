// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { parseSearchQuery, mergeMetadata, clone } = require('./store');
const { createPrice, matchesCreated } = require('./catalog');
const { createInvoice, resolveInvoiceItems } = require('./invoices');
const { prorationDate, prorationLines, registerPreview } = require('./proration');

/**
 * Subscriptions with their items: create (bills the first invoice), retrieve, update, cancel, list, search.
 * @typedef {import('./store').StripeStore} StripeStore
 * @typedef {import('./catalog').Register} Register
 */

/**
 * @param {number} start unix seconds
 * @param {{ interval: string, interval_count: number }} recurring
 */
function periodEnd(start, recurring) {
	const date = new Date(start * 1000);
	const n = recurring.interval_count || 1;
	if (recurring.interval === 'day') date.setUTCDate(date.getUTCDate() + n);
	else if (recurring.interval === 'week') date.setUTCDate(date.getUTCDate() + 7 * n);
	else if (recurring.interval === 'year') date.setUTCFullYear(date.getUTCFullYear() + n);
	else date.setUTCMonth(date.getUTCMonth() + n);
	return Math.floor(date.getTime() / 1000);
}

/**
 * Resolve one requested item to a stored recurring price (creating the inline price for `price_data`).
 * @param {StripeStore} store
 * @param {any} item
 * @param {number} index
 */
function resolvePrice(store, item, index) {
	if (item.price) {
		const price = store.require('price', item.price, `items[${index}][price]`);
		if (!price.active) throw stripeError(400, { param: `items[${index}][price]`, message: `The price specified is inactive. This field only accepts active prices.` });
		if (price.type !== 'recurring') {
			throw stripeError(400, { param: `items[${index}][price]`, message: 'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.' });
		}
		return price;
	}
	if (item.price_data) {
		store.require('product', item.price_data.product, `items[${index}][price_data][product]`);
		return createPrice(store, { ...item.price_data, active: false }, item.price_data.product);
	}
	throw stripeError(400, { param: `items[${index}][price]`, code: 'parameter_missing', message: `Missing required param: items[${index}][price].` });
}

/**
 * @param {StripeStore} store
 * @param {string} subscriptionId
 * @param {any} price
 * @param {any} item
 */
function newItem(store, subscriptionId, price, item) {
	return { id: store.newId('subscription_item'), object: 'subscription_item', created: store.now(), metadata: mergeMetadata({}, item.metadata), price: clone(price), quantity: isMetered(price) ? null : item.quantity ?? 1, subscription: subscriptionId };
}

/** Metered prices bill usage in arrears: their items carry no quantity and add nothing up front. @param {any} price */
const isMetered = (price) => price.recurring?.usage_type === 'metered';

/** @param {any[]} items */
function checkItems(items) {
	const currencies = new Set(items.map((i) => i.price.currency));
	if (currencies.size > 1) throw stripeError(400, { param: 'items', message: `Currency mismatch: all items must use the same currency (got ${[...currencies].join(', ')}).` });
	const seen = new Set();
	for (const item of items) {
		if (seen.has(item.price.id)) throw stripeError(400, { param: 'items', message: 'Cannot add multiple subscription items with the same price.' });
		seen.add(item.price.id);
	}
	return [...currencies][0];
}

/**
 * @param {Register} on
 * @param {StripeStore} store
 */
function registerBilling(on, store) {
	on('POST', '/v1/subscriptions', ({ params: p }) => createSubscription(store, p));
	registerPreview(on, store, (subscription, changes) => itemsAfter(store, subscription, changes));
	on('GET', '/v1/subscriptions/search', ({ params: p }) => store.searchPage(store.all('subscription', parseSearchQuery(p.query)), p, '/v1/subscriptions/search'));
	on('GET', '/v1/subscriptions/{subscription_exposed_id}', ({ path }) => store.require('subscription', path.subscription_exposed_id));
	on('POST', '/v1/subscriptions/{subscription_exposed_id}', ({ params: p, path }) => updateSubscription(store, store.require('subscription', path.subscription_exposed_id), p));
	on('DELETE', '/v1/subscriptions/{subscription_exposed_id}', ({ params: p, path }) => {
		const subscription = store.require('subscription', path.subscription_exposed_id);
		// Stripe treats a canceled subscription as gone for cancel: a second cancel is a 404.
		if (subscription.status === 'canceled') throw stripeError(404, { code: 'resource_missing', param: 'id', message: `No such subscription: '${subscription.id}'` });
		const now = store.now();
		Object.assign(subscription, { status: 'canceled', canceled_at: now, ended_at: now, cancel_at_period_end: false });
		subscription.cancellation_details = { comment: null, feedback: null, ...(p.cancellation_details || {}), reason: 'cancellation_requested' };
		return subscription;
	});
	on('GET', '/v1/subscriptions', ({ params: p }) => {
		const status = p.status ?? 'active-ish';
		const items = store.all(
			'subscription',
			(s) =>
				(p.customer === undefined || s.customer === p.customer) &&
				(p.price === undefined || s.items.data.some((/** @type {any} */ i) => i.price.id === p.price)) &&
				(status === 'all' || (status === 'active-ish' ? !['canceled', 'incomplete_expired'].includes(s.status) : s.status === status)) &&
				matchesCreated(s, p.created),
		);
		return store.page(items, p, '/v1/subscriptions');
	});

}

/**
 * Create a subscription and bill its first invoice (the `POST /v1/subscriptions` handler; Checkout uses it too).
 * @param {StripeStore} store
 * @param {Record<string, any>} p the request's parameters
 */
function createSubscription(store, p) {
	store.require('customer', p.customer, 'customer');
	if (!p.items || p.items.length === 0) throw stripeError(400, { param: 'items', code: 'parameter_missing', message: 'Missing required param: items.' });
	if (p.collection_method === 'send_invoice' && p.days_until_due === undefined) {
		throw stripeError(400, { param: 'days_until_due', message: 'Missing required param: days_until_due (required when collection_method is send_invoice).' });
	}
	const id = store.newId('subscription');
	const items = p.items.map((/** @type {any} */ item, /** @type {number} */ index) => newItem(store, id, resolvePrice(store, item, index), item));
	const currency = checkItems(items);
	const now = store.now();
	const trialEnd = p.trial_end === 'now' ? null : p.trial_end ?? (p.trial_period_days ? now + p.trial_period_days * 86400 : null);
	const status = trialEnd && trialEnd > now ? 'trialing' : p.payment_behavior === 'default_incomplete' ? 'incomplete' : 'active';
	const currentEnd = trialEnd && trialEnd > now ? trialEnd : periodEnd(now, items[0].price.recurring);
	const subscription = store.put({
		id,
		object: 'subscription',
		application: null,
		billing_cycle_anchor: p.billing_cycle_anchor ?? now,
		cancel_at: p.cancel_at ?? null,
		cancel_at_period_end: p.cancel_at_period_end ?? false,
		canceled_at: null,
		cancellation_details: { comment: null, feedback: null, reason: null },
		collection_method: p.collection_method ?? 'charge_automatically',
		created: now,
		currency,
		current_period_end: currentEnd,
		current_period_start: now,
		customer: p.customer,
		days_until_due: p.days_until_due ?? null,
		default_payment_method: p.default_payment_method ?? null,
		description: p.description ?? null,
		discount: null,
		ended_at: null,
		items: { object: 'list', data: items, has_more: false, total_count: items.length, url: `/v1/subscription_items?subscription=${id}` },
		latest_invoice: null,
		livemode: false,
		metadata: mergeMetadata({}, p.metadata),
		pending_update: null,
		start_date: now,
		status,
		trial_end: trialEnd,
		trial_start: trialEnd ? now : null,
	});
	// Newer API versions report the period on each item too.
	for (const item of items) Object.assign(item, { current_period_start: now, current_period_end: currentEnd });
	const extraItems = resolveInvoiceItems(store, p.add_invoice_items);
	subscription.latest_invoice = createInvoice(store, subscription, { reason: 'subscription_create', paid: status !== 'incomplete', extraItems }).id;
	return subscription;
}

/**
 * `items[n]`: `{ id, price | price_data, quantity, deleted, metadata }`; others as on create.
 * @param {StripeStore} store
 * @param {any} subscription
 * @param {Record<string, any>} p
 */
function updateSubscription(store, subscription, p) {
	if (subscription.status === 'canceled') {
		const allowed = Object.keys(p).every((k) => ['metadata', 'cancellation_details', 'expand'].includes(k));
		if (!allowed) throw stripeError(400, { message: 'A canceled subscription can only update its cancellation_details and metadata.' });
	}
	const before = subscription.items.data;
	const at = prorationDate(subscription, p.proration_date, 'proration_date', store.now());
	const extraItems = resolveInvoiceItems(store, p.add_invoice_items);
	if (p.items) subscription.items = { ...subscription.items, data: itemsAfter(store, subscription, p.items) };
	subscription.items.total_count = subscription.items.data.length;
	for (const key of ['cancel_at_period_end', 'cancel_at', 'description', 'default_payment_method', 'days_until_due', 'collection_method']) {
		if (p[key] !== undefined) subscription[key] = p[key] === '' ? null : p[key];
	}
	if (p.cancellation_details) subscription.cancellation_details = { ...subscription.cancellation_details, ...p.cancellation_details };
	if (p.trial_end === 'now' && subscription.status === 'trialing') Object.assign(subscription, { status: 'active', trial_end: store.now() });
	subscription.metadata = mergeMetadata(subscription.metadata, p.metadata);
	// Only `always_invoice` bills now, the prorations of the change at `proration_date` (as create_preview showed);
	// otherwise prorations and added items wait for the next period (not simulated).
	if (p.proration_behavior === 'always_invoice' && (p.items || extraItems.length > 0)) {
		const prorated = prorationLines(store, subscription, before, subscription.items.data, at).reduce((sum, line) => sum + line.amount, 0);
		subscription.latest_invoice = createInvoice(store, subscription, { reason: 'subscription_update', amount: Math.max(prorated, 0), paid: true, extraItems }).id;
	}
	return subscription;
}

/**
 * The items an update's `items[n]` would leave (nothing is changed): `{ id, price | price_data, quantity, deleted, metadata }`.
 * @param {StripeStore} store @param {any} subscription @param {any[]} changes
 */
function itemsAfter(store, subscription, changes) {
	const items = [...subscription.items.data];
	changes.forEach((/** @type {any} */ change, /** @type {number} */ index) => {
		const at = change.id ? items.findIndex((i) => i.id === change.id) : -1;
		if (change.id && at < 0) throw stripeError(400, { param: `items[${index}][id]`, message: `Invalid subscription_item id: ${change.id}` });
		if (change.deleted) return void items.splice(at, 1);
		if (at >= 0) {
			const price = change.price || change.price_data ? resolvePrice(store, change, index) : items[at].price;
			items[at] = { ...items[at], price: clone(price), quantity: change.quantity ?? items[at].quantity, metadata: mergeMetadata(items[at].metadata, change.metadata) };
		} else items.push({ ...newItem(store, subscription.id, resolvePrice(store, change, index), change), current_period_start: subscription.current_period_start, current_period_end: subscription.current_period_end });
	});
	if (items.length === 0) throw stripeError(400, { param: 'items', message: 'A subscription must have at least one active plan.' });
	const currency = checkItems(items);
	if (currency !== subscription.currency) throw stripeError(400, { param: 'items', message: `Currency mismatch: the subscription is in ${subscription.currency}.` });
	return items;
}

module.exports = { registerBilling, resolvePrice, createSubscription };
