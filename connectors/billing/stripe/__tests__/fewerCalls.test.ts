/**
 * The calls a contract saves: catalog prices cached per credential, no subscription listing for a customer created
 * moments ago for the contract, and what keeps each saving from ever billing twice or at a stale price.
 */
import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { MemoryTtlCache } from '../../../core/ttlCache';
import { findOrCreateCustomer } from '../customers';
import { createSubscription, type CreateSubscriptionInput } from '../subscriptionCreate';
import { BASE, customer, item, list, makeClient, price, reply, stripeError, subscription, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const contract: CreateSubscriptionInput = {
	businessKey: 'ORD-1',
	customerId: 'cus_new',
	currency: 'usd',
	lineItems: [{ sku: 'PRO', quantity: 2, unitAmount: 5000, interval: 'month' }],
	priceMapping: { PRO: 'pro_monthly' },
};
const proPrice = (id = 'price_pro') => price(id, { lookup_key: 'pro_monthly', unit_amount: 5000 });
const created = () => subscription('sub_new', { customer: 'cus_new' }, [item('si_1', 'PRO', proPrice(), 2)]);

describe('calls saved per contract', () => {
	it('a customer created for this contract is not searched for subscriptions; any later create for it lists first', async () => {
		const calls: Captured[] = [];
		const { client } = makeClient();
		nock(BASE).get('/v1/customers/search').query(true).reply(200, list([])).post('/v1/customers').reply(200, customer('cus_new', 'ORD-1'));
		await findOrCreateCustomer(client, { businessKey: 'ORD-1', name: 'Acme Ltd', email: 'billing@acme.test' });

		nock(BASE).get('/v1/prices').query(true).reply(reply(calls, 200, list([proPrice()]))).post('/v1/subscriptions').reply(reply(calls, 200, created()));
		await expect(createSubscription(client, contract)).resolves.toMatchObject({ id: 'sub_new', created: true });
		expect(calls.map((c) => `${c.method} ${c.path.split('?')[0]}`)).toEqual(['GET /v1/prices', 'POST /v1/subscriptions']);

		// The same contract again (a redelivery in the same process): the mark is gone, so the live one is found.
		nock(BASE).get('/v1/subscriptions').query({ customer: 'cus_new', status: 'all', limit: '100' }).reply(200, list([created()]));
		await expect(createSubscription(client, contract)).resolves.toMatchObject({ id: 'sub_new', created: false });
		expect(nock.isDone()).toBe(true);
	});

	it('a customer found (not created) is always searched for the contract\'s live subscription', async () => {
		const { client } = makeClient();
		nock(BASE).get('/v1/customers/search').query(true).reply(200, list([customer('cus_new', 'ORD-1')]));
		await findOrCreateCustomer(client, { businessKey: 'ORD-1', name: 'Acme Ltd', email: 'billing@acme.test' });
		nock(BASE).get('/v1/prices').query(true).reply(200, list([proPrice()])).get('/v1/subscriptions').query(true).reply(200, list([created()]));
		await expect(createSubscription(client, contract)).resolves.toMatchObject({ id: 'sub_new', created: false });
		expect(nock.isDone()).toBe(true);
	});

	it('catalog prices are looked up once per credential within the cache window', async () => {
		const cache = new MemoryTtlCache();
		const lookups: Captured[] = [];
		nock(BASE).get('/v1/prices').query(true).reply(reply(lookups, 200, list([proPrice()])));
		nock(BASE).get('/v1/subscriptions').query(true).times(3).reply(200, list([])).post('/v1/subscriptions').times(3).reply(200, created());
		const { client } = makeClient({ cache });
		await createSubscription(client, { ...contract, businessKey: 'ORD-1' });
		await createSubscription(client, { ...contract, businessKey: 'ORD-2' });
		expect(lookups).toHaveLength(1);

		// Another Stripe account sharing the cache gets its own lookup.
		nock(BASE).get('/v1/prices').query(true).reply(reply(lookups, 200, list([proPrice('price_other')])));
		await createSubscription(makeClient({ cache, secretKey: 'sk_test_AnotherAccount' }).client, { ...contract, businessKey: 'ORD-3' });
		expect(lookups).toHaveLength(2);
		expect(nock.isDone()).toBe(true);
	});

	it('a cached price Stripe refuses is looked up again and the contract created at the fresh one, under its own key', async () => {
		const cache = new MemoryTtlCache();
		const { client } = makeClient({ cache });
		nock(BASE).get('/v1/prices').query(true).reply(200, list([proPrice('price_old')]));
		nock(BASE).get('/v1/subscriptions').query(true).reply(200, list([])).post('/v1/subscriptions').reply(200, created());
		await createSubscription(client, { ...contract, businessKey: 'ORD-0' });

		// The price was archived and the lookup key moved to price_new; the cache still says price_old.
		const posts: Captured[] = [];
		nock(BASE)
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, list([]))
			.post('/v1/subscriptions')
			.reply(reply(posts, 400, stripeError('invalid_request_error', 'The price specified is inactive.', { param: 'items[0][price]' })))
			.get('/v1/prices')
			.query(true)
			.reply(200, list([proPrice('price_new')]))
			.post('/v1/subscriptions')
			.reply(reply(posts, 200, created()));
		await expect(createSubscription(client, contract)).resolves.toMatchObject({ id: 'sub_new', created: true });
		expect(posts.map((p) => p.body['items[0][price]'])).toEqual(['price_old', 'price_new']);
		const plainKey = idempotencyKey('ORD-1', 'billing.subscription.create');
		expect(posts[0].headers['idempotency-key']).toBe(plainKey);
		expect(posts[1].headers['idempotency-key']).not.toBe(plainKey);
		expect(nock.isDone()).toBe(true);
	});

	it('a refusal the fresh prices would not change is reported as it is, with no second create', async () => {
		const { client } = makeClient();
		const posts: Captured[] = [];
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.times(2)
			.reply(200, list([proPrice()]))
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, list([]))
			.post('/v1/subscriptions')
			.reply(reply(posts, 400, stripeError('invalid_request_error', 'The price specified is inactive.', { param: 'items[0][price]' })));
		await expect(createSubscription(client, contract)).rejects.toMatchObject({ kind: 'validation', field: 'items[0][price]' });
		expect(posts).toHaveLength(1);
	});
});
