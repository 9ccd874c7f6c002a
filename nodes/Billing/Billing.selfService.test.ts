import nock from 'nock';
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { meterEventIdentifier } from '../../connectors/billing';
import { idempotencyKey } from '../../connectors/core';
import { executeContext, receiptsIn, recordReceipt, useNockWithoutNetwork, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Billing } from './Billing.node';

// A host and key of this file only: the Stripe client (and its price/meter cache) is shared per credential.
const SANDBOX = 'http://stripe-self-service.test:12111';
const STRIPE_TEST_CREDENTIAL_VALUE = 'sk_test_selfServiceSecretKey123456';
const credentials = { secretKey: STRIPE_TEST_CREDENTIAL_VALUE, baseUrl: SANDBOX };
const node: INode = { id: '1', name: 'Billing (Stripe)', type: 'n8n-nodes-quote-to-cash.billing', typeVersion: 1, position: [0, 0], parameters: {} };

const store = useTempStore();
useNockWithoutNetwork();

const run = (items: Params[], continueOnFail = false) => new Billing().execute.call(executeContext(items, { node, credentials, continueOnFail, executionId: '21' }));
const form = (body: unknown) => Object.fromEntries(new URLSearchParams(String(body)));

const price = (id: string, lookupKey: string, usageType = 'licensed') => ({
	id,
	object: 'price',
	active: true,
	currency: 'usd',
	unit_amount: usageType === 'metered' ? null : 5000,
	lookup_key: lookupKey,
	product: 'prod_1',
	recurring: { interval: 'month', interval_count: 1, usage_type: usageType },
});

const session = (id: string, extra: Record<string, unknown> = {}) => ({
	id,
	object: 'checkout.session',
	url: `https://checkout.stripe.com/c/pay/${id}`,
	status: 'open',
	payment_status: 'unpaid',
	mode: 'subscription',
	client_reference_id: 'SIGNUP-42',
	client_secret: 'cs_client_secret_must_not_leak',
	customer: null,
	customer_email: 'owner@academy.test',
	subscription: null,
	invoice: null,
	amount_total: 15000,
	currency: 'usd',
	livemode: false,
	created: 1_700_000_000,
	expires_at: 1_700_086_400,
	metadata: { q2c_business_key: 'SIGNUP-42', q2c_tier: 'professional' },
	...extra,
});

const checkoutCreate = (overrides: Params = {}): Params => ({
	resource: 'checkout',
	operation: 'create',
	businessKey: 'SIGNUP-42',
	tier: 'professional',
	lookupKey: 'pro_monthly',
	quantity: 3,
	customerEmail: 'owner@academy.test',
	successUrl: 'https://app.example.com/welcome',
	cancelUrl: 'https://app.example.com/plans',
	options: { trialPeriodDays: 14, meteredLookupKeys: 'api_calls' },
	...overrides,
});

describe('Billing: Checkout Session', () => {
	it('creates the session priced by lookup key with the business key as client_reference_id, and records its receipt', async () => {
		let body: Record<string, string> = {};
		let key: unknown;
		nock(SANDBOX)
			.get('/v1/prices')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [price('price_pro', 'pro_monthly'), price('price_calls', 'api_calls', 'metered')] })
			.post('/v1/checkout/sessions')
			.reply(function (_uri, requestBody) {
				body = form(requestBody);
				key = this.req.headers['idempotency-key'];
				return [200, session('cs_test_1')];
			});
		const [items] = await run([{ ...checkoutCreate(), ...recordReceipt(store.dir, 'SIGNUP-42') }]);

		expect(body).toMatchObject({
			mode: 'subscription',
			client_reference_id: 'SIGNUP-42',
			'line_items[0][price]': 'price_pro',
			'line_items[0][quantity]': '3',
			'line_items[1][price]': 'price_calls',
			customer_email: 'owner@academy.test',
			success_url: 'https://app.example.com/welcome?session_id={CHECKOUT_SESSION_ID}',
			cancel_url: 'https://app.example.com/plans',
			'subscription_data[trial_period_days]': '14',
			'subscription_data[metadata][q2c_tier]': 'professional',
		});
		expect(body).not.toHaveProperty('line_items[1][quantity]');
		expect(key).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.create'));
		expect(items[0].json).toMatchObject({ id: 'cs_test_1', url: 'https://checkout.stripe.com/c/pay/cs_test_1', businessKey: 'SIGNUP-42', tier: 'professional', created: true });
		expect(JSON.stringify(items)).not.toContain('cs_client_secret_must_not_leak');

		const receipts = await receiptsIn(store.dir, 'SIGNUP-42');
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([['billing.checkout.create', 'cs_test_1']]);
		expect(receipts[0].effect).toEqual({ type: 'stripe.checkout_session', id: 'cs_test_1', businessKey: 'SIGNUP-42', created: true });
		expect(items[0].json.receipt).toMatchObject({ id: receipts[0].id, step: 'billing.checkout.create' });
	});

	it('sends no quantity for a metered tier price (quantity 0), an existing customer, and a fresh key for a later attempt', async () => {
		let body: Record<string, string> = {};
		let key: unknown;
		nock(SANDBOX)
			.get('/v1/prices')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [price('price_usage', 'usage_only', 'metered')] })
			.post('/v1/checkout/sessions')
			.reply(function (_uri, requestBody) {
				body = form(requestBody);
				key = this.req.headers['idempotency-key'];
				return [200, session('cs_test_2', { customer: 'cus_9' })];
			});
		const params = checkoutCreate({ lookupKey: 'usage_only', quantity: 0, customerEmail: '', attempt: 2, options: { customerId: 'cus_9' } });
		const [items] = await run([params]);
		expect(body).toMatchObject({ 'line_items[0][price]': 'price_usage', customer: 'cus_9' });
		expect(body).not.toHaveProperty('line_items[0][quantity]');
		expect(body).not.toHaveProperty('customer_email');
		expect(key).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.create.attempt-2'));
		expect(items[0].json).toMatchObject({ id: 'cs_test_2', customerId: 'cus_9' });
	});

	it.each([
		['an http success URL', { successUrl: 'http://app.example.com/welcome' }, 'checkout.successUrl'],
		['both a customer and an email', { options: { customerId: 'cus_9' } }, 'checkout.customerEmail'],
		['no tier', { tier: '' }, 'checkout.tier'],
		['a fractional quantity', { quantity: 1.5 }, 'checkout.lineItems.0.quantity'],
	])('refuses %s before calling Stripe, naming the field', async (_what, overrides, field) => {
		const error = await run([checkoutCreate(overrides)]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain(field);
	});

	it('gets a session with its subscription status; a missing one is a NodeApiError, or an error item with Continue On Fail', async () => {
		nock(SANDBOX)
			.get('/v1/checkout/sessions/cs_test_3')
			.query({ 'expand[0]': 'subscription' })
			.reply(200, session('cs_test_3', { status: 'complete', payment_status: 'paid', customer: 'cus_1', subscription: { id: 'sub_1', object: 'subscription', status: 'active' } }))
			.get('/v1/checkout/sessions/cs_missing')
			.query(true)
			.times(2)
			.reply(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such checkout.session' } });
		const [items] = await run([{ resource: 'checkout', operation: 'get', sessionId: 'cs_test_3' }]);
		expect(items[0].json).toMatchObject({ id: 'cs_test_3', paymentStatus: 'paid', subscriptionId: 'sub_1', subscriptionStatus: 'active', customerId: 'cus_1' });

		const missing = { resource: 'checkout', operation: 'get', sessionId: 'cs_missing' };
		await expect(run([missing])).rejects.toBeInstanceOf(NodeApiError);
		const [errorItems] = await run([missing], true);
		expect(errorItems[0]).toMatchObject({ json: { kind: 'not_found' }, pairedItem: { item: 0 } });
	});
});

describe('Billing: Usage', () => {
	const report = (overrides: Params = {}): Params => ({
		resource: 'usage',
		operation: 'report',
		usageRecordId: 'acme-2026-12-01-api',
		eventName: 'api_calls',
		customerId: { __rl: true, mode: 'id', value: 'cus_1' },
		value: 25,
		...overrides,
	});

	it('reports usage once per usage record (identifier + idempotency key), a zone-less time read as UTC, with its receipt', async () => {
		const happened = new Date(Date.now() - 3_600_000);
		const zoneless = happened.toISOString().slice(0, 19);
		let body: Record<string, string> = {};
		let key: unknown;
		nock(SANDBOX)
			.post('/v1/billing/meter_events')
			.reply(function (_uri, requestBody) {
				body = form(requestBody);
				key = this.req.headers['idempotency-key'];
				const stored = { object: 'billing.meter_event', event_name: body.event_name, identifier: body.identifier, livemode: false, created: 1, timestamp: Number(body.timestamp), payload: {} };
				return [200, stored];
			});
		const [items] = await run([{ ...report({ timestamp: zoneless }), ...recordReceipt(store.dir, 'SIGNUP-42') }]);

		const identifier = meterEventIdentifier('api_calls', 'acme-2026-12-01-api');
		expect(body).toEqual({
			event_name: 'api_calls',
			identifier,
			timestamp: String(Math.floor(Date.parse(`${zoneless}Z`) / 1000)),
			'payload[stripe_customer_id]': 'cus_1',
			'payload[value]': '25',
		});
		expect(key).toBe(idempotencyKey('acme-2026-12-01-api', 'billing.meter_event.create.api_calls'));
		expect(items[0].json).toMatchObject({ identifier, eventName: 'api_calls', customerId: 'cus_1', value: '25', created: true });
		const receipts = await receiptsIn(store.dir, 'SIGNUP-42');
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([['billing.usage.report', identifier]]);
		expect(receipts[0].effect).toMatchObject({ type: 'stripe.meter_event', id: identifier, eventName: 'api_calls', customerId: 'cus_1', value: '25' });
	});

	it('with Continue On Fail, a bad value is an error item naming the field (no call) and the next item still reports', async () => {
		nock(SANDBOX)
			.post('/v1/billing/meter_events')
			.reply((_uri, requestBody) => {
				const body = form(requestBody);
				return [200, { object: 'billing.meter_event', event_name: body.event_name, identifier: body.identifier, livemode: false, created: 1, timestamp: 1_750_000_000, payload: {} }];
			});
		const [items] = await run([report({ value: -3 }), report({ usageRecordId: 'acme-2', value: 4 })], true);
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({ json: { kind: 'validation', field: 'usage.value' }, pairedItem: { item: 0 } });
		expect(items[1]).toMatchObject({ json: { identifier: meterEventIdentifier('api_calls', 'acme-2'), value: '4' }, pairedItem: { item: 1 } });
	});

	it('refuses a timestamp outside Stripe’s window before calling it', async () => {
		const error = await run([report({ timestamp: '2020-01-01T00:00:00Z' })]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('usage.timestamp');
	});

	it("gets a customer's usage so far on the meter of an event name", async () => {
		let summaryQuery: URLSearchParams | undefined;
		nock(SANDBOX)
			.get('/v1/billing/meters')
			.query(true)
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [{ id: 'mtr_storage', object: 'billing.meter', event_name: 'storage_gb', status: 'active', default_aggregation: { formula: 'last' } }],
			})
			.get('/v1/billing/meters/mtr_storage/event_summaries')
			.query(true)
			.reply((uri) => {
				summaryQuery = new URL(uri, SANDBOX).searchParams;
				return [200, { object: 'list', has_more: false, data: [{ id: 'mtrsumm_1', object: 'billing.meter_event_summary', aggregated_value: 40, meter: 'mtr_storage' }, { id: 'mtrsumm_2', object: 'billing.meter_event_summary', aggregated_value: 2, meter: 'mtr_storage' }] }];
			});
		const [items] = await run([
			{ resource: 'usage', operation: 'get', customerId: { __rl: true, mode: 'list', value: 'cus_1' }, eventName: 'storage_gb', startTime: '2026-12-01', endTime: '2026-12-15T10:30:20Z' },
		]);
		expect(summaryQuery?.get('customer')).toBe('cus_1');
		expect(summaryQuery?.get('start_time')).toBe(String(Date.UTC(2026, 11, 1) / 1000));
		expect(summaryQuery?.get('end_time')).toBe(String(Date.UTC(2026, 11, 15, 10, 31) / 1000));
		expect(items[0].json).toEqual({
			customerId: 'cus_1',
			eventName: 'storage_gb',
			meterId: 'mtr_storage',
			aggregation: 'last',
			startTime: '2026-12-01T00:00:00.000Z',
			endTime: '2026-12-15T10:31:00.000Z',
			total: 42,
		});
	});

	it('refuses a missing start time and a bad event name before calling Stripe', async () => {
		const missing = await run([{ resource: 'usage', operation: 'get', customerId: 'cus_1', eventName: 'api_calls', startTime: '' }]).catch((e: unknown) => e);
		expect((missing as Error).message).toContain('usage.startTime');
		const badName = await run([{ resource: 'usage', operation: 'get', customerId: 'cus_1', eventName: 'api calls!', startTime: '2026-12-01' }]).catch((e: unknown) => e);
		expect((badName as Error).message).toContain('usage.eventName');
	});
});
