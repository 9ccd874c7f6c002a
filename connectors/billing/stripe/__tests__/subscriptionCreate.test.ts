import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { createSubscription, type CreateSubscriptionInput } from '../subscriptionCreate';
import { BASE, item, list, makeClient, price, reply, subscription, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const base: CreateSubscriptionInput = {
	businessKey: 'ORD-1',
	customerId: 'cus_1',
	currency: 'USD',
	lineItems: [
		{ sku: 'PRO', quantity: 2, unitAmount: 5000, interval: 'month' },
		{ sku: 'ADDON', quantity: 1, unitAmount: 1200, interval: 'month' },
		{ sku: 'SETUP', quantity: 1, unitAmount: 25000, interval: 'one_time' },
	],
	priceMapping: { PRO: 'pro_monthly', ADDON: { lookupKey: 'addon_monthly' }, SETUP: { productId: 'prod_SETUP' } },
};

function created() {
	return subscription('sub_new', {}, [item('si_1', 'PRO', price('price_pro', { lookup_key: 'pro_monthly' }), 2)]);
}

describe('createSubscription', () => {
	it('prices items at the contract: catalog price when equal, price_data otherwise, one-time items on the first invoice', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.reply(
				reply(calls, 200, list([
					price('price_pro', { lookup_key: 'pro_monthly', unit_amount: 5000 }),
					price('price_addon', { lookup_key: 'addon_monthly', unit_amount: 1000, product: 'prod_ADDON' }),
				])),
			)
			.get('/v1/subscriptions')
			.query({ customer: 'cus_1', status: 'all', limit: '100' })
			.reply(reply(calls, 200, list([])))
			.post('/v1/subscriptions')
			.reply(reply(calls, 200, created()));
		const result = await createSubscription(makeClient().client, base);

		const post = calls[2];
		expect(post.method).toBe('POST');
		expect(post.body).toEqual({
			customer: 'cus_1',
			currency: 'usd',
			collection_method: 'send_invoice',
			days_until_due: '30',
			'items[0][quantity]': '2',
			'items[0][metadata][q2c_sku]': 'PRO',
			'items[0][price]': 'price_pro',
			'items[1][quantity]': '1',
			'items[1][metadata][q2c_sku]': 'ADDON',
			'items[1][price_data][currency]': 'usd',
			'items[1][price_data][product]': 'prod_ADDON',
			'items[1][price_data][unit_amount]': '1200',
			'items[1][price_data][recurring][interval]': 'month',
			'add_invoice_items[0][quantity]': '1',
			'add_invoice_items[0][metadata][q2c_sku]': 'SETUP',
			'add_invoice_items[0][price_data][currency]': 'usd',
			'add_invoice_items[0][price_data][product]': 'prod_SETUP',
			'add_invoice_items[0][price_data][unit_amount]': '25000',
			'metadata[q2c_business_key]': 'ORD-1',
			'metadata[q2c_step]': 'billing.subscription.create',
		});
		expect(post.headers['idempotency-key']).toBe(idempotencyKey('ORD-1', 'billing.subscription.create'));
		expect(result).toMatchObject({
			id: 'sub_new',
			created: true,
			status: 'active',
			businessKey: 'ORD-1',
			totalAmount: 10000,
			items: [{ id: 'si_1', sku: 'PRO', priceId: 'price_pro', quantity: 2, unitAmount: 5000, interval: 'month', lookupKey: 'pro_monthly' }],
			currentPeriodEnd: new Date(1_702_592_000 * 1000).toISOString(),
		});
	});

	it('sends the same idempotency key when the same contract is delivered again', async () => {
		const calls: Captured[] = [];
		const input: CreateSubscriptionInput = { ...base, lineItems: [{ sku: 'PRO', quantity: 1, unitAmount: 700 }], priceMapping: { PRO: { productId: 'prod_P' } } };
		for (let i = 0; i < 2; i++) {
			nock(BASE).get('/v1/subscriptions').query(true).reply(200, list([])).post('/v1/subscriptions').reply(reply(calls, 200, created()));
			await createSubscription(makeClient().client, input);
		}
		expect(calls[0].headers['idempotency-key']).toBe(calls[1].headers['idempotency-key']);
		expect(calls[0].body).toEqual(calls[1].body);
	});

	it('returns the live subscription already tagged with the business key instead of creating another', async () => {
		nock(BASE)
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, list([subscription('sub_old', { status: 'canceled' }), subscription('sub_live', { status: 'active' }, [item('si_x', 'X', price('price_x', { unit_amount: 1 }), 1)])]));
		const result = await createSubscription(makeClient().client, { ...base, lineItems: [{ sku: 'X', quantity: 1, unitAmount: 1, productId: 'prod_X' }] });
		expect(result).toMatchObject({ id: 'sub_live', created: false });
		expect(result.amended).toBeUndefined();
		expect(nock.isDone()).toBe(true);
	});

	it('updates the live subscription of an amended contract (20 seats instead of 10) instead of returning the old one', async () => {
		const calls: Captured[] = [];
		const live = subscription('sub_live', {}, [item('si_x', 'SEATS', price('price_x', { unit_amount: 1500 }), 10)]);
		nock(BASE)
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, list([live]))
			.get('/v1/subscriptions/sub_live')
			.reply(200, live)
			.post('/v1/subscriptions/sub_live')
			.reply(reply(calls, 200, subscription('sub_live', {}, [item('si_x', 'SEATS', price('price_x', { unit_amount: 1500 }), 20)])));
		const result = await createSubscription(makeClient().client, { ...base, priceMapping: undefined, lineItems: [{ sku: 'SEATS', quantity: 20, unitAmount: 1500, interval: 'month', productId: 'prod_X' }] });
		expect(result).toMatchObject({ id: 'sub_live', created: false, amended: true });
		expect(calls[0].body['items[0][id]']).toBe('si_x');
		expect(calls[0].body['items[0][quantity]']).toBe('20');
		expect(nock.isDone()).toBe(true);
	});

	it('never reports a replayed subscription as live when Stripe has cancelled it since (a compensated attempt)', async () => {
		nock(BASE)
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, list([]))
			.post('/v1/subscriptions')
			.reply(200, subscription('sub_1', { status: 'active' }), { 'Idempotent-Replayed': 'true' })
			.get('/v1/subscriptions/sub_1')
			.reply(200, subscription('sub_1', { status: 'canceled' }));
		const lineItems = [{ sku: 'X', quantity: 1, unitAmount: 1, interval: 'month' as const, productId: 'prod_X' }];
		await expect(createSubscription(makeClient().client, { ...base, priceMapping: undefined, lineItems })).rejects.toMatchObject({ kind: 'conflict', field: 'attempt', message: expect.stringMatching(/sub_1.*canceled now/) });
	});

	it('gives each attempt at a contract its own idempotency key (attempt 0 keeps the plain one)', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/subscriptions')
			.query(true)
			.times(2)
			.reply(200, list([]))
			.post('/v1/subscriptions')
			.times(2)
			.reply(reply(calls, 200, subscription('sub_1')));
		const lineItems = [{ sku: 'X', quantity: 1, unitAmount: 1, interval: 'month' as const, productId: 'prod_X' }];
		await createSubscription(makeClient().client, { ...base, priceMapping: undefined, lineItems });
		await createSubscription(makeClient().client, { ...base, priceMapping: undefined, lineItems, attempt: 1 });
		expect(calls.map((call) => call.headers['idempotency-key'])).toEqual([
			idempotencyKey('ORD-1', 'billing.subscription.create'),
			idempotencyKey('ORD-1', 'billing.subscription.create.attempt-1'),
		]);
	});

	it('uses the catalog price in catalog mode and charges automatically when asked', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/prices/price_pro')
			.reply(200, price('price_pro', { unit_amount: 9900 }))
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, list([]))
			.post('/v1/subscriptions')
			.reply(reply(calls, 200, created()));
		await createSubscription(makeClient().client, {
			...base,
			lineItems: [{ sku: 'PRO', quantity: 1, unitAmount: 5000 }],
			priceMapping: { PRO: 'price_pro' },
			priceSource: 'catalog',
			collectionMethod: 'charge_automatically',
			trialPeriodDays: 14,
			description: 'Contract ORD-1',
		});
		expect(calls[0].body).toMatchObject({ 'items[0][price]': 'price_pro', collection_method: 'charge_automatically', trial_period_days: '14', description: 'Contract ORD-1' });
		expect(calls[0].body.days_until_due).toBeUndefined();
	});

	it('names the SKU whose price cannot be resolved, before any write', async () => {
		await expect(
			createSubscription(makeClient().client, { ...base, lineItems: [{ sku: 'GHOST', quantity: 1, unitAmount: 100 }], priceMapping: {} }),
		).rejects.toMatchObject({ kind: 'validation', field: 'priceMapping.GHOST' });
		await expect(createSubscription(makeClient().client, { ...base, lineItems: [{ sku: 'GHOST', quantity: 1 }], priceMapping: {} })).rejects.toMatchObject({
			kind: 'validation',
			field: 'priceMapping.GHOST',
		});
		nock(BASE).get('/v1/prices').query(true).reply(200, list([]));
		await expect(createSubscription(makeClient().client, { ...base, lineItems: [{ sku: 'PRO', quantity: 1 }], priceMapping: { PRO: 'gone' } })).rejects.toMatchObject({
			kind: 'not_found',
			field: 'priceMapping.PRO',
		});
	});

	it('refuses a catalog price in another currency', async () => {
		nock(BASE).get('/v1/prices').query(true).reply(200, list([price('price_eur', { lookup_key: 'pro_eur', currency: 'eur' })]));
		await expect(
			createSubscription(makeClient().client, { ...base, lineItems: [{ sku: 'PRO', quantity: 1 }], priceMapping: { PRO: 'pro_eur' } }),
		).rejects.toMatchObject({ kind: 'validation', field: 'lineItems.0.sku' });
	});

	it('validates input before any Stripe call', async () => {
		const { client } = makeClient();
		await expect(createSubscription(client, { ...base, customerId: 'acme' })).rejects.toMatchObject({ field: 'subscription.customerId' });
		await expect(createSubscription(client, { ...base, currency: 'dollars' })).rejects.toMatchObject({ field: 'subscription.currency' });
		await expect(createSubscription(client, { ...base, lineItems: [] })).rejects.toMatchObject({ field: 'subscription.lineItems' });
		await expect(createSubscription(client, { ...base, lineItems: [{ sku: 'A', quantity: 0 }] })).rejects.toMatchObject({ field: 'subscription.lineItems.0.quantity' });
		await expect(createSubscription(client, { ...base, lineItems: [{ sku: 'A', quantity: 1, unitAmount: 9.5 }] })).rejects.toMatchObject({
			field: 'subscription.lineItems.0.unitAmount',
		});
		await expect(
			createSubscription(client, { ...base, lineItems: [{ sku: 'S', quantity: 1, unitAmount: 5, interval: 'one_time', productId: 'prod_S' }] }),
		).rejects.toMatchObject({ field: 'lineItems' });
	});
});
