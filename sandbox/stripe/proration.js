// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { clone } = require('./store');

/**
 * Proration as Stripe computes it for a mid-period change (docs.stripe.com/billing/subscriptions/prorations): the
 * unused time of the old items is credited, the remaining time of the new ones charged, both as the fraction of
 * the current period left after `proration_date` (default now). `POST /v1/invoices/create_preview` shows the
 * invoice a change would make without making it; an update with the same `proration_date` bills the same amount.
 * @typedef {import('./store').StripeStore} StripeStore
 */

/** @param {any} subscription @param {unknown} date @param {string} param @param {number} now */
function prorationDate(subscription, date, param, now) {
	if (date === undefined) return now;
	const at = Number(date);
	if (!Number.isInteger(at) || at < subscription.current_period_start || at > subscription.current_period_end) {
		throw stripeError(400, { param, message: 'The proration_date must be within the current billing period of the subscription.' });
	}
	return at;
}

/** @param {any} subscription @param {number} at */
function fractionLeft(subscription, at) {
	const length = subscription.current_period_end - subscription.current_period_start;
	return length > 0 ? Math.min(1, Math.max(0, (subscription.current_period_end - at) / length)) : 0;
}

/** @param {any} item */
const itemAmount = (item) => (item.price.unit_amount || 0) * (item.quantity ?? 0);

/**
 * The proration lines of replacing `before` by `after` at `at`: a credit per removed or changed item, a charge per
 * new or changed one. @param {StripeStore} store @param {any} subscription @param {any[]} before @param {any[]} after @param {number} at
 */
function prorationLines(store, subscription, before, after, at) {
	const left = fractionLeft(subscription, at);
	const key = (/** @type {any} */ item) => `${item.id}|${item.price.id}|${item.quantity}`;
	const kept = new Set(after.map(key));
	const had = new Set(before.map(key));
	const line = (/** @type {any} */ item, /** @type {number} */ sign, /** @type {string} */ what) => ({
		id: store.newId('line_item'),
		object: 'line_item',
		amount: sign * Math.round(itemAmount(item) * left),
		currency: subscription.currency,
		description: `${what} ${item.quantity ?? 0} × ${item.price.product} after ${new Date(at * 1000).toISOString().slice(0, 10)}`,
		period: { start: at, end: subscription.current_period_end },
		price: clone(item.price),
		proration: true,
		parent: { type: 'subscription_item_details', subscription_item_details: { proration: true, subscription: subscription.id, subscription_item: item.id } },
		quantity: item.quantity,
		subscription: subscription.id,
		type: 'invoiceitem',
	});
	return [...before.filter((item) => !kept.has(key(item))).map((item) => line(item, -1, 'Unused time on')), ...after.filter((item) => !had.has(key(item))).map((item) => line(item, 1, 'Remaining time on'))];
}

/**
 * @param {import('./catalog').Register} on
 * @param {StripeStore} store
 * @param {(subscription: any, changes: any[]) => any[]} itemsAfter the items an update's `items[]` would leave (billing.js)
 */
function registerPreview(on, store, itemsAfter) {
	on('POST', '/v1/invoices/create_preview', ({ params: p }) => {
		if (!p.subscription) throw stripeError(400, { param: 'subscription', message: 'This sandbox previews changes of an existing subscription only: pass subscription.' });
		const subscription = store.require('subscription', p.subscription, 'subscription');
		if (p.customer && p.customer !== subscription.customer) throw stripeError(400, { param: 'customer', message: `The subscription ${subscription.id} does not belong to customer ${p.customer}.` });
		const details = p.subscription_details || {};
		const at = prorationDate(subscription, details.proration_date, 'subscription_details[proration_date]', store.now());
		const before = subscription.items.data;
		const after = details.items ? itemsAfter(subscription, details.items) : before;
		const lines = details.proration_behavior === 'none' ? [] : prorationLines(store, subscription, before, after, at);
		const total = lines.reduce((sum, l) => sum + l.amount, 0);
		return {
			id: `upcoming_in_${subscription.id}`,
			object: 'invoice',
			amount_due: Math.max(total, 0),
			amount_paid: 0,
			amount_remaining: Math.max(total, 0),
			billing_reason: 'subscription_update',
			created: store.now(),
			currency: subscription.currency,
			customer: subscription.customer,
			lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: '/v1/invoices/create_preview/lines' },
			livemode: false,
			parent: { type: 'subscription_details', subscription_details: { metadata: clone(subscription.metadata), subscription: subscription.id, subscription_proration_date: at } },
			period_end: subscription.current_period_end,
			period_start: subscription.current_period_start,
			status: 'draft',
			subscription: subscription.id,
			subscription_proration_date: at,
			subtotal: total,
			total,
		};
	});
}

module.exports = { prorationDate, prorationLines, registerPreview };
