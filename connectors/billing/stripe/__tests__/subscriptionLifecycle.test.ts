import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { cancelSubscription } from '../subscriptionCancel';
import { getSubscription } from '../subscriptionGet';
import { listSubscriptions } from '../subscriptionList';
import { updateSubscription, type UpdateSubscriptionInput } from '../subscriptionUpdate';
import { BASE, item, list, makeClient, price, reply, stripeError, subscription, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const current = () =>
	subscription('sub_1', {}, [
		item('si_pro', 'PRO', price('price_pro', { unit_amount: 5000 }), 1),
		item('si_old', 'LEGACY', price('price_legacy', { unit_amount: 100 }), 1),
	]);

const change: UpdateSubscriptionInput = {
	businessKey: 'ORD-1',
	subscriptionId: 'sub_1',
	lineItems: [
		{ sku: 'PRO', quantity: 3, unitAmount: 4500 },
		{ sku: 'NEW', quantity: 1, unitAmount: 900 },
	],
	priceMapping: { PRO: { productId: 'prod_PRO' }, NEW: { productId: 'prod_NEW' } },
};

describe('updateSubscription', () => {
	it('updates matched items in place, adds new ones, deletes missing ones, with a change-specific key', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/subscriptions/sub_1')
			.reply(200, current())
			.post('/v1/subscriptions/sub_1')
			.reply(reply(calls, 200, subscription('sub_1', {}, [item('si_pro', 'PRO', price('price_new', { unit_amount: 4500 }), 3)])));
		const result = await updateSubscription(makeClient().client, change);
		const body = calls[0].body;
		expect(body).toMatchObject({
			'items[0][id]': 'si_pro',
			'items[0][quantity]': '3',
			'items[0][price_data][unit_amount]': '4500',
			'items[0][price_data][product]': 'prod_PRO',
			'items[1][quantity]': '1',
			'items[1][metadata][q2c_sku]': 'NEW',
			'items[1][price_data][product]': 'prod_NEW',
			'items[2][id]': 'si_old',
			'items[2][deleted]': 'true',
			proration_behavior: 'create_prorations',
			'metadata[q2c_business_key]': 'ORD-1',
			'metadata[q2c_step]': 'billing.subscription.update',
		});
		expect(body['items[1][id]']).toBeUndefined();
		expect(result.changed).toBe(true);
		expect(result.changeKey).toMatch(/^billing\.subscription\.update\.[0-9a-f]{16}$/);
		expect(body['metadata[q2c_last_change]']).toBe(result.changeKey);
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('ORD-1', result.changeKey));
	});

	it('is a no-op when the same change was already applied (redelivery)', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/subscriptions/sub_1').reply(200, current()).post('/v1/subscriptions/sub_1').reply(reply(calls, 200, current()));
		const first = await updateSubscription(makeClient().client, change);
		nock(BASE)
			.get('/v1/subscriptions/sub_1')
			.reply(200, subscription('sub_1', { metadata: { q2c_business_key: 'ORD-1', q2c_last_change: first.changeKey } }));
		const second = await updateSubscription(makeClient().client, change);
		expect(second).toMatchObject({ changed: false, changeKey: first.changeKey });
		expect(calls).toHaveLength(1);
	});

	it('gives a different change a different idempotency key and can keep missing items', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/subscriptions/sub_1').twice().reply(200, current());
		nock(BASE).post('/v1/subscriptions/sub_1').twice().reply(reply(calls, 200, current()));
		await updateSubscription(makeClient().client, change);
		await updateSubscription(makeClient().client, { ...change, removeMissing: false, prorationBehavior: 'none' });
		expect(calls[0].headers['idempotency-key']).not.toBe(calls[1].headers['idempotency-key']);
		expect(Object.values(calls[1].body)).not.toContain('si_old');
		expect(calls[1].body.proration_behavior).toBe('none');
	});

	it('refuses to update a cancelled subscription', async () => {
		nock(BASE).get('/v1/subscriptions/sub_1').reply(200, subscription('sub_1', { status: 'canceled' }));
		await expect(updateSubscription(makeClient().client, change)).rejects.toMatchObject({ kind: 'conflict', field: 'subscriptionId' });
	});

	it('adds one-time items to the next invoice and validates the id first', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/subscriptions/sub_1').reply(200, current()).post('/v1/subscriptions/sub_1').reply(reply(calls, 200, current()));
		await updateSubscription(makeClient().client, {
			...change,
			lineItems: [...(change.lineItems as object[]), { sku: 'FEE', quantity: 1, unitAmount: 300, interval: 'one_time', productId: 'prod_FEE' }] as never,
		});
		expect(calls[0].body['add_invoice_items[0][price_data][product]']).toBe('prod_FEE');
		await expect(updateSubscription(makeClient().client, { ...change, subscriptionId: 'si_1' })).rejects.toMatchObject({ field: 'subscription.subscriptionId' });
	});
});

describe('cancelSubscription', () => {
	it('cancels with an idempotency key from the business key and the subscription (a later attempt\'s subscription gets its own)', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/subscriptions/sub_1')
			.reply(200, current())
			.delete('/v1/subscriptions/sub_1').query(true)
			.reply(reply(calls, 200, subscription('sub_1', { status: 'canceled', canceled_at: 1_700_000_500 })));
		const result = await cancelSubscription(makeClient().client, { businessKey: 'ORD-1', subscriptionId: 'sub_1', comment: 'provisioning failed' });
		expect(calls[0].method).toBe('DELETE');
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('ORD-1', 'billing.subscription.cancel.sub_1'));
		// The SDK sends DELETE parameters in the query string.
		expect(Object.fromEntries(new URL(calls[0].path, BASE).searchParams)).toEqual({
			invoice_now: 'false',
			prorate: 'false',
			'cancellation_details[comment]': 'provisioning failed',
		});
		expect(result).toMatchObject({ status: 'canceled', alreadyCanceled: false, canceledAt: new Date(1_700_000_500_000).toISOString() });
	});

	it('succeeds without a call when the subscription is already cancelled (compensation is safe)', async () => {
		nock(BASE).get('/v1/subscriptions/sub_1').reply(200, subscription('sub_1', { status: 'canceled' }));
		await expect(cancelSubscription(makeClient().client, { businessKey: 'ORD-1', subscriptionId: 'sub_1' })).resolves.toMatchObject({
			alreadyCanceled: true,
		});
		expect(nock.isDone()).toBe(true);
	});

	it('treats losing a race with another cancel as success', async () => {
		nock(BASE)
			.get('/v1/subscriptions/sub_1')
			.reply(200, current())
			.delete('/v1/subscriptions/sub_1').query(true)
			.reply(400, stripeError('invalid_request_error', 'This subscription has already been canceled'))
			.get('/v1/subscriptions/sub_1')
			.reply(200, subscription('sub_1', { status: 'canceled' }));
		await expect(cancelSubscription(makeClient().client, { businessKey: 'ORD-1', subscriptionId: 'sub_1' })).resolves.toMatchObject({
			alreadyCanceled: true,
		});
	});

	it('rethrows when the subscription is still live after a refused cancel, and on auth errors', async () => {
		nock(BASE)
			.get('/v1/subscriptions/sub_1')
			.reply(200, current())
			.delete('/v1/subscriptions/sub_1').query(true)
			.reply(400, stripeError('invalid_request_error', 'Nope'))
			.get('/v1/subscriptions/sub_1')
			.reply(200, current());
		await expect(cancelSubscription(makeClient().client, { businessKey: 'ORD-1', subscriptionId: 'sub_1' })).rejects.toMatchObject({ kind: 'permanent' });
		nock(BASE).get('/v1/subscriptions/sub_1').reply(200, current()).delete('/v1/subscriptions/sub_1').query(true).reply(401, stripeError('invalid_request_error', 'bad key'));
		await expect(cancelSubscription(makeClient().client, { businessKey: 'ORD-1', subscriptionId: 'sub_1' })).rejects.toMatchObject({ kind: 'auth' });
	});

	it('reports a missing subscription as not_found', async () => {
		nock(BASE).get('/v1/subscriptions/sub_9').reply(404, stripeError('invalid_request_error', 'No such subscription', { code: 'resource_missing', param: 'id' }));
		await expect(cancelSubscription(makeClient().client, { businessKey: 'ORD-1', subscriptionId: 'sub_9' })).rejects.toMatchObject({ kind: 'not_found' });
	});
});

describe('getSubscription and listSubscriptions', () => {
	it('gets a subscription summary', async () => {
		nock(BASE).get('/v1/subscriptions/sub_1').reply(200, current());
		const result = await getSubscription(makeClient().client, { subscriptionId: 'sub_1' });
		expect(result).toMatchObject({ id: 'sub_1', customerId: 'cus_1', totalAmount: 5100, latestInvoiceId: 'in_1', cancelAtPeriodEnd: false });
		await expect(getSubscription(makeClient().client, { subscriptionId: '' })).rejects.toMatchObject({ field: 'subscription.subscriptionId' });
	});

	it('lists a customer subscriptions page by page', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/subscriptions')
			.query({ status: 'active', limit: '5', customer: 'cus_1', starting_after: 'sub_0' })
			.reply(reply(calls, 200, list([subscription('sub_1'), subscription('sub_2')], true)));
		const page = await listSubscriptions(makeClient().client, { customerId: 'cus_1', status: 'active', limit: 5, cursor: 'sub_0' });
		expect(page.items.map((s) => s.id)).toEqual(['sub_1', 'sub_2']);
		expect(page.nextCursor).toBe('sub_2');
		nock(BASE).get('/v1/subscriptions').query({ status: 'all', limit: '50' }).reply(200, list([]));
		await expect(listSubscriptions(makeClient().client)).resolves.toEqual({ items: [], nextCursor: undefined });
	});
});
