// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { createPrice, createProduct } = require('./catalog');
const { randomId } = require('./store');

/**
 * Billing Meters: list / retrieve meters, report meter events, read usage summaries.
 * - `POST /v1/billing/meter_events`: `identifier` (generated when absent) is unique per account within a rolling
 *   24 hours; a repeat answers 400 "An event already exists with identifier …" with `Stripe-Should-Retry: false`
 *   (what Stripe answers; retry with the same Idempotency-Key instead to get the first answer back). `timestamp`
 *   must lie within the past 35 days and at most 5 minutes ahead. Like Stripe, the payload's meaning (a known
 *   `event_name`, the customer key, a numeric value) is checked when events are aggregated, not on receipt:
 *   events that do not apply are kept aside (`state.meterEventErrors`) and count nowhere.
 * - Summaries: `start_time` / `end_time` on minute boundaries (hour / day with `value_grouping_window`);
 *   aggregation `sum`, `count` or `last` per the meter, over events with start ≤ timestamp < end; immediately
 *   consistent (Stripe's are eventually consistent).
 * @typedef {import('./store').StripeStore} StripeStore
 * @typedef {import('./catalog').Register} Register
 */

const DAY = 86_400;
const WINDOWS = /** @type {Record<string, number>} */ ({ hour: 3600, day: DAY });

/** The seeded meter and its metered price (fixed ids, like a standing catalog). */
const METERED = { meterId: 'mtr_q2capicalls', eventName: 'q2c_api_calls', priceId: 'price_q2capicallsmetered', productId: 'prod_q2capicalls', lookupKey: 'api_calls_metered', unitAmount: 2 };

/**
 * @param {StripeStore} store
 * @param {{ id?: string, eventName: string, displayName: string, formula?: 'sum' | 'count' | 'last' }} spec
 */
function createMeter(store, spec) {
	const now = store.now();
	return store.put({
		id: spec.id ?? `mtr_test_${randomId(24)}`,
		object: 'billing.meter',
		created: now,
		customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
		default_aggregation: { formula: spec.formula ?? 'sum' },
		display_name: spec.displayName,
		event_name: spec.eventName,
		event_time_window: null,
		livemode: false,
		status: 'active',
		status_transitions: { deactivated_at: null },
		updated: now,
		value_settings: { event_payload_key: 'value' },
	});
}

/**
 * The seeded meter (`q2c_api_calls`, sum) and a monthly metered price on it (lookup key `api_calls_metered`,
 * 2 cents a call); existing ones are kept.
 * @param {StripeStore} store
 */
function ensureMeteredCatalog(store) {
	const meter = store.find('billing.meter', METERED.meterId) ?? createMeter(store, { id: METERED.meterId, eventName: METERED.eventName, displayName: 'API calls' });
	if (!store.find('price', METERED.priceId)) {
		const product = store.find('product', METERED.productId) ?? createProduct(store, { id: METERED.productId, name: 'API calls', metadata: { q2c_sku: 'MP-API-CALLS' }, unit_label: 'call' });
		createPrice(store, { currency: 'usd', unit_amount: METERED.unitAmount, lookup_key: METERED.lookupKey, recurring: { interval: 'month', usage_type: 'metered', meter: meter.id } }, product.id, METERED.priceId);
	}
	return { meterId: meter.id, eventName: meter.event_name, priceId: METERED.priceId, lookupKey: METERED.lookupKey };
}

/**
 * @param {Register} on
 * @param {StripeStore} store
 */
function registerMeters(on, store) {
	/** identifier → unix seconds received. @type {Map<string, number>} */
	const identifiers = new Map();
	/** @type {any[]} */
	const events = [];

	on('GET', '/v1/billing/meters', ({ params: p }) => store.page(store.all('billing.meter', (m) => p.status === undefined || m.status === p.status), p, '/v1/billing/meters'));
	on('GET', '/v1/billing/meters/{id}', ({ path }) => store.require('billing.meter', path.id));
	on('POST', '/v1/billing/meter_events', ({ params: p }) => {
		const now = store.now();
		const timestamp = p.timestamp ?? now;
		if (timestamp < now - 35 * DAY || timestamp > now + 300) {
			throw stripeError(400, { param: 'timestamp', message: 'Timestamp must be within the past 35 calendar days or up to 5 minutes in the future.' });
		}
		for (const [key, at] of identifiers) if (at <= now - DAY) identifiers.delete(key);
		const identifier = p.identifier ?? randomId(32);
		if (identifiers.has(identifier)) throw Object.assign(stripeError(400, { param: 'identifier', message: `An event already exists with identifier ${identifier}.` }), { headers: { 'Stripe-Should-Retry': 'false' } });
		identifiers.set(identifier, now);
		const event = { object: 'billing.meter_event', created: now, event_name: p.event_name, identifier, livemode: false, payload: { ...p.payload }, timestamp };
		events.push(event);
		return event;
	});
	on('GET', '/v1/billing/meters/{id}/event_summaries', ({ params: p, path }) => {
		const meter = store.require('billing.meter', path.id);
		store.require('customer', p.customer, 'customer');
		const step = p.value_grouping_window ? WINDOWS[p.value_grouping_window] : 60;
		for (const name of ['start_time', 'end_time']) {
			if (p[name] % step !== 0) throw stripeError(400, { param: name, message: `${name} must be aligned with ${p.value_grouping_window ? `${p.value_grouping_window} boundaries (UTC)` : 'minute boundaries'}.` });
		}
		if (p.end_time <= p.start_time) throw stripeError(400, { param: 'end_time', message: 'end_time must be after start_time.' });
		const windows = [];
		const width = p.value_grouping_window ? step : p.end_time - p.start_time;
		for (let start = p.start_time; start < p.end_time; start += width) windows.push([start, Math.min(start + width, p.end_time)]);
		const summaries = windows.reverse().map(([start, end]) => ({
			id: `mtrusg_test_${Buffer.from(`${meter.id}:${p.customer}:${start}:${end}`).toString('base64url')}`,
			object: 'billing.meter_event_summary',
			aggregated_value: aggregate(meter, usageOf(meter, p.customer, start, end)),
			end_time: end,
			livemode: false,
			meter: meter.id,
			start_time: start,
		}));
		return store.page(summaries, p, `/v1/billing/meters/${meter.id}/event_summaries`);
	});

	/** The customer's events for this meter in [start, end), oldest first. @param {any} meter @param {string} customer @param {number} start @param {number} end */
	function usageOf(meter, customer, start, end) {
		return events
			.filter((e) => e.event_name === meter.event_name && e.payload[meter.customer_mapping.event_payload_key] === customer && e.timestamp >= start && e.timestamp < end)
			.map((e) => Number(e.payload[meter.value_settings.event_payload_key]))
			.filter((value) => Number.isFinite(value));
	}

	return {
		/** Events received, and those no meter / customer / numeric value applies to. */
		state: () => ({
			meterEvents: events.map((e) => ({ ...e })),
			meterEventErrors: events.filter((e) => !appliesToAMeter(e)).map((e) => ({ identifier: e.identifier, event_name: e.event_name, reason: reasonNotCounted(e) })),
		}),
		reset() {
			identifiers.clear();
			events.length = 0;
		},
	};

	/** @param {any} event */
	function appliesToAMeter(event) {
		return reasonNotCounted(event) === null;
	}
	/** @param {any} event */
	function reasonNotCounted(event) {
		const meter = store.all('billing.meter', (m) => m.event_name === event.event_name && m.status === 'active')[0];
		if (!meter) return 'no_meter';
		const customer = event.payload[meter.customer_mapping.event_payload_key];
		if (!customer || !store.find('customer', customer)) return 'meter_event_no_customer_defined';
		if (!Number.isFinite(Number(event.payload[meter.value_settings.event_payload_key]))) return 'meter_event_value_not_found';
		return null;
	}
}

/** @param {any} meter @param {number[]} values */
function aggregate(meter, values) {
	if (meter.default_aggregation.formula === 'count') return values.length;
	if (meter.default_aggregation.formula === 'last') return values.length ? values[values.length - 1] : 0;
	return values.reduce((sum, v) => sum + v, 0);
}

module.exports = { registerMeters, ensureMeteredCatalog, createMeter, METERED };
