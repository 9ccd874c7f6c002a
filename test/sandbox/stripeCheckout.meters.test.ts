import Stripe from 'stripe';

const { createStripeFake } = require('../../sandbox/stripe');

/**
 * Billing meters in the Stripe fake, with the official SDK: the seeded meter and metered price, meter events
 * (identifier dedupe, timestamp window, Idempotency-Key replay) and event summaries per customer and window.
 */

const KEY = 'sk_test_meters123';

describe('Stripe fake: billing meters', () => {
	let fake: any;
	let stripe: Stripe;
	let base: string;
	let seeded: { meterId: string; eventName: string; priceId: string; lookupKey: string };
	let customer: Stripe.Customer;
	const hour = Math.floor(Date.now() / 1000 / 3600) * 3600;

	const rawEvent = (form: string, headers: Record<string, string> = {}) =>
		fetch(`${base}/v1/billing/meter_events`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form });

	beforeAll(async () => {
		fake = createStripeFake();
		const { port, url } = await fake.listen();
		base = url;
		stripe = new Stripe(KEY, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		await fetch(`${base}/__sandbox/reset`, { method: 'POST' });
		seeded = fake.ensureMeteredCatalog();
		customer = await stripe.customers.create({ email: 'usage@acme.test' });
	});

	it('seeds a meter and a monthly metered price on it, idempotently', async () => {
		expect(fake.ensureMeteredCatalog()).toEqual(seeded);
		const meters = await stripe.billing.meters.list();
		expect(meters.data).toEqual([expect.objectContaining({ id: seeded.meterId, object: 'billing.meter', event_name: 'q2c_api_calls', status: 'active', default_aggregation: { formula: 'sum' } })]);
		expect(await stripe.billing.meters.retrieve(seeded.meterId)).toMatchObject({ customer_mapping: { event_payload_key: 'stripe_customer_id' }, value_settings: { event_payload_key: 'value' } });
		const [price] = (await stripe.prices.list({ lookup_keys: ['api_calls_metered'] })).data;
		expect(price).toMatchObject({ id: seeded.priceId, type: 'recurring', recurring: { interval: 'month', usage_type: 'metered', meter: seeded.meterId } });
		expect((await stripe.billing.meters.list({ status: 'inactive' })).data).toEqual([]);
		await expect(stripe.billing.meters.retrieve('mtr_missing')).rejects.toMatchObject({ statusCode: 404 });
	});

	it('takes meter events, refuses a repeated identifier within 24 hours and replays an Idempotency-Key', async () => {
		const event = await stripe.billing.meterEvents.create({ event_name: seeded.eventName, identifier: 'usage-ORD-1-0001', payload: { stripe_customer_id: customer.id, value: '7' } });
		expect(event).toMatchObject({ object: 'billing.meter_event', event_name: 'q2c_api_calls', identifier: 'usage-ORD-1-0001', payload: { stripe_customer_id: customer.id, value: '7' }, timestamp: expect.any(Number) });
		const duplicate = await rawEvent(`event_name=q2c_api_calls&identifier=usage-ORD-1-0001&payload[stripe_customer_id]=${customer.id}&payload[value]=7`);
		expect(duplicate.status).toBe(400);
		expect(duplicate.headers.get('stripe-should-retry')).toBe('false');
		expect(((await duplicate.json()) as any).error).toMatchObject({ type: 'invalid_request_error', param: 'identifier', message: 'An event already exists with identifier usage-ORD-1-0001.' });
		await expect(stripe.billing.meterEvents.create({ event_name: seeded.eventName, identifier: 'usage-ORD-1-0001', payload: { stripe_customer_id: customer.id, value: '7' } })).rejects.toMatchObject({ statusCode: 400 });

		const form = `event_name=q2c_api_calls&identifier=usage-ORD-1-0002&payload[stripe_customer_id]=${customer.id}&payload[value]=3`;
		const first = await rawEvent(form, { 'idempotency-key': 'report-2' });
		const replay = await rawEvent(form, { 'idempotency-key': 'report-2' });
		expect([first.status, replay.status]).toEqual([200, 200]);
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
		expect(fake.app.state().meterEvents.map((e: any) => e.identifier)).toEqual(['usage-ORD-1-0001', 'usage-ORD-1-0002']);
		const generated = await stripe.billing.meterEvents.create({ event_name: seeded.eventName, payload: { stripe_customer_id: customer.id, value: '1' } });
		expect(generated.identifier).toMatch(/^\w{32}$/);
	});

	it('refuses timestamps outside 35 days back / 5 minutes ahead, and sets aside events no meter counts', async () => {
		const now = Math.floor(Date.now() / 1000);
		await expect(stripe.billing.meterEvents.create({ event_name: seeded.eventName, timestamp: now - 36 * 86400, payload: { stripe_customer_id: customer.id, value: '1' } })).rejects.toMatchObject({ statusCode: 400, param: 'timestamp' });
		await expect(stripe.billing.meterEvents.create({ event_name: seeded.eventName, timestamp: now + 600, payload: { stripe_customer_id: customer.id, value: '1' } })).rejects.toMatchObject({ statusCode: 400, param: 'timestamp' });
		await expect(stripe.billing.meterEvents.create({ event_name: seeded.eventName } as any)).rejects.toMatchObject({ statusCode: 400, param: 'payload' });
		await stripe.billing.meterEvents.create({ event_name: 'unknown_meter', payload: { stripe_customer_id: customer.id, value: '1' } });
		await stripe.billing.meterEvents.create({ event_name: seeded.eventName, payload: { stripe_customer_id: 'cus_nobody', value: '1' } });
		expect(fake.app.state().meterEventErrors.map((e: any) => e.reason)).toEqual(['no_meter', 'meter_event_no_customer_defined']);
	});

	it('summarises a customer’s usage over a range and per hour', async () => {
		const other = await stripe.customers.create({ email: 'other@acme.test' });
		const report = (customerId: string, value: string, timestamp: number) => stripe.billing.meterEvents.create({ event_name: seeded.eventName, timestamp, payload: { stripe_customer_id: customerId, value } });
		await report(customer.id, '5', hour - 3600 + 10);
		await report(customer.id, '2.5', hour - 3600 + 1200);
		await report(customer.id, '4', hour + 5);
		await report(other.id, '100', hour + 5);

		const total = await stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: customer.id, start_time: hour - 7200, end_time: hour + 3600 });
		expect(total.data).toEqual([expect.objectContaining({ object: 'billing.meter_event_summary', meter: seeded.meterId, start_time: hour - 7200, end_time: hour + 3600, aggregated_value: 11.5 })]);
		const hourly = await stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: customer.id, start_time: hour - 7200, end_time: hour + 3600, value_grouping_window: 'hour' });
		expect(hourly.data.map((s) => [s.start_time - hour, s.aggregated_value])).toEqual([[0, 4], [-3600, 7.5], [-7200, 0]]);
		const paged = await stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: customer.id, start_time: hour - 7200, end_time: hour + 3600, value_grouping_window: 'hour', limit: 1, starting_after: hourly.data[0].id });
		expect(paged.data.map((s) => s.aggregated_value)).toEqual([7.5]);
		expect(paged.has_more).toBe(true);

		await expect(stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: customer.id, start_time: hour + 30, end_time: hour + 3600 })).rejects.toMatchObject({ statusCode: 400, param: 'start_time' });
		await expect(stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: customer.id, start_time: hour - 7200 + 60, end_time: hour, value_grouping_window: 'hour' })).rejects.toMatchObject({ param: 'start_time' });
		await expect(stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: 'cus_missing', start_time: hour, end_time: hour + 60 })).rejects.toMatchObject({ statusCode: 404, param: 'customer' });
		await expect(stripe.billing.meters.listEventSummaries(seeded.meterId, { customer: customer.id } as any)).rejects.toMatchObject({ statusCode: 400 });
	});

	it('bills a metered item nothing up front on a subscription', async () => {
		const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: seeded.priceId }], expand: ['latest_invoice'] });
		expect(subscription.items.data[0].quantity).toBeNull();
		expect((subscription.latest_invoice as Stripe.Invoice).total).toBe(0);
	});
});
