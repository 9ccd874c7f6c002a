import nock from 'nock';
import { NodeOperationError, type INode } from 'n8n-workflow';
import { brokenStore, executeContext, receiptsIn, recordReceipt, storeIsEmpty, tempStore, useNockWithoutNetwork, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Billing } from './Billing.node';

const SANDBOX = 'http://stripe-receipt.test:12111';
const STRIPE_TEST_CREDENTIAL_VALUE = 'sk_test_receiptSecretKey123456';
const credentials = { secretKey: STRIPE_TEST_CREDENTIAL_VALUE, baseUrl: `${SANDBOX}/` };
const node: INode = { id: '1', name: 'Create Subscription', type: 'n8n-nodes-quote-to-cash.billing', typeVersion: 1, position: [0, 0], parameters: {} };

const subscriptionJson = (id: string, status = 'active') => ({
	id,
	object: 'subscription',
	customer: 'cus_1',
	status,
	currency: 'usd',
	created: 1_700_000_000,
	metadata: { q2c_business_key: 'ORD-7' },
	items: { object: 'list', data: [] },
});

const store = useTempStore();
useNockWithoutNetwork();

const run = (items: Params[], continueOnFail = false) => new Billing().execute.call(executeContext(items, { node, credentials, continueOnFail, executionId: '12' }));
const create: Params = {
	resource: 'subscription',
	operation: 'create',
	businessKey: 'ORD-7',
	customerId: { __rl: true, mode: 'id', value: 'cus_1' },
	currency: 'usd',
	lineItems: '[{"sku":"PRO","quantity":1,"unitAmount":4900,"interval":"month"}]',
	priceMapping: { PRO: { productId: 'prod_PRO' } },
	options: {},
};
/** Stripe answers one subscription create: no live subscription for the key yet, then the new one. */
const stripeCreates = (times = 1) =>
	nock(SANDBOX)
		.get('/v1/subscriptions')
		.query(true)
		.times(times)
		.reply(200, { object: 'list', data: [], has_more: false })
		.post('/v1/subscriptions')
		.times(times)
		.reply(200, subscriptionJson('sub_7'));

describe('Billing: Record Receipt', () => {
	it('records customer, subscription create and cancel, and refund with their Stripe ids', async () => {
		stripeCreates();
		nock(SANDBOX)
			.get('/v1/customers/search')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [{ id: 'cus_1', object: 'customer', name: 'Acme', email: 'a@acme.test', livemode: false, metadata: { q2c_business_key: 'ORD-7' } }] })
			.get('/v1/subscriptions/sub_7')
			.reply(200, subscriptionJson('sub_7'))
			.delete('/v1/subscriptions/sub_7')
			.query(true)
			.reply(200, subscriptionJson('sub_7', 'canceled'))
			.post('/v1/refunds')
			.reply(200, { id: 're_1', object: 'refund', amount: 2500, currency: 'usd', status: 'succeeded', payment_intent: 'pi_9', created: 1, metadata: {} });
		const on = recordReceipt(store.dir);
		const [items] = await run([
			{ resource: 'customer', operation: 'findOrCreate', businessKey: 'ORD-7', name: 'Acme', email: 'a@acme.test', ...on },
			{ ...create, ...on },
			{ resource: 'subscription', operation: 'cancel', businessKey: 'ORD-7', subscriptionId: { __rl: true, mode: 'id', value: 'sub_7' }, ...on },
			{ resource: 'refund', operation: 'create', businessKey: 'ORD-7', refundFor: 'paymentIntent', targetId: 'pi_9', ...on },
		]);
		const receipts = await receiptsIn(store.dir);
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref, r.business_key, r.execution_id])).toEqual([
			['billing.customer.findOrCreate', 'cus_1', 'ORD-7', '12'],
			['billing.subscription.create', 'sub_7', 'ORD-7', '12'],
			['billing.subscription.cancel', 'sub_7', 'ORD-7', '12'],
			['billing.refund.create', 're_1', 'ORD-7', '12'],
		]);
		expect(receipts.map((r) => r.effect)).toEqual([
			{ type: 'stripe.customer', id: 'cus_1', created: false },
			{ type: 'stripe.subscription', id: 'sub_7', customerId: 'cus_1', created: true },
			{ type: 'stripe.subscription', id: 'sub_7', customerId: 'cus_1', alreadyCanceled: false },
			{ type: 'stripe.refund', id: 're_1', target: 'pi_9', paymentIntentId: 'pi_9' },
		]);
		expect(items[1].json).toMatchObject({ id: 'sub_7', receipt: { id: receipts[1].id, sha256: receipts[1].sha256, step: 'billing.subscription.create' } });
		expect(JSON.stringify(receipts)).not.toContain(STRIPE_TEST_CREDENTIAL_VALUE);
	});

	it('fails the step naming the subscription when the store fails; Continue On Fail gives an error item with its ids', async () => {
		stripeCreates(2);
		const broken = { ...create, ...recordReceipt(brokenStore(store.dir)) };
		const error = await run([broken]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('receipt could not be recorded: billing.subscription.create of sub_7, business key ORD-7');
		const [[item]] = await run([broken], true);
		expect(item.json).toMatchObject({ unrecordedReceipt: { resourceRef: 'sub_7', effect: { customerId: 'cus_1' }, executionId: '12' } });
	});

	it('does not append twice for a re-run of the same execution and item, and writes nothing when off', async () => {
		stripeCreates(3);
		await run([{ ...create, ...recordReceipt(store.dir) }]);
		await run([{ ...create, ...recordReceipt(store.dir) }]);
		expect(await receiptsIn(store.dir)).toHaveLength(1);
		const other = tempStore();
		try {
			const [[item]] = await run([{ ...create, receiptBusinessKey: 'ORD-7', receiptOptions: { storePath: other.dir } }]);
			expect(item.json).not.toHaveProperty('receipt');
			expect(storeIsEmpty(other.dir)).toBe(true);
		} finally {
			other.cleanup();
		}
	});

	it('offers Record Receipt on the writes only', () => {
		const shown = new Billing().description.properties.filter((p) => p.name === 'recordReceipt').map((p) => p.displayOptions?.show);
		expect(shown).toEqual([
			{ resource: ['customer'], operation: ['findOrCreate'] },
			{ resource: ['subscription'], operation: ['create', 'update', 'cancel'] },
			{ resource: ['refund'], operation: ['create'] },
			{ resource: ['checkout'], operation: ['create', 'expire'] },
			{ resource: ['usage'], operation: ['report'] },
		]);
	});
});
