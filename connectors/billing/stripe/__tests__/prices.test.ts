import nock from 'nock';
import { findPricesByLookupKeys, getPriceByLookupKey } from '../prices';
import { BASE, list, makeClient, price, reply, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('getPriceByLookupKey', () => {
	it('lists active prices by lookup_key and returns a flat summary', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.reply(reply(calls, 200, list([price('price_pro', { lookup_key: 'pro_monthly', unit_amount: 9900 })])));
		const result = await getPriceByLookupKey(makeClient().client, { lookupKey: 'pro_monthly' });
		const query = new URL(calls[0].path, BASE).searchParams;
		expect(query.getAll('lookup_keys[0]')).toEqual(['pro_monthly']);
		expect(query.get('active')).toBe('true');
		expect(result).toEqual({
			id: 'price_pro',
			lookupKey: 'pro_monthly',
			productId: 'prod_A',
			currency: 'usd',
			unitAmount: 9900,
			interval: 'month',
			intervalCount: 1,
			active: true,
			nickname: null,
		});
	});

	it('reports a missing lookup_key as not_found naming the field', async () => {
		nock(BASE).get('/v1/prices').query(true).reply(200, list([]));
		await expect(getPriceByLookupKey(makeClient().client, { lookupKey: 'nope' })).rejects.toMatchObject({
			kind: 'not_found',
			field: 'price.lookupKey',
		});
	});

	it('validates the lookup key before calling Stripe', async () => {
		await expect(getPriceByLookupKey(makeClient().client, { lookupKey: '' })).rejects.toMatchObject({ kind: 'validation', field: 'price.lookupKey' });
	});

	it('batches lookups 10 keys at a time and de-duplicates', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/prices').query(true).times(2).reply(reply(calls, 200, list([price('price_k0', { lookup_key: 'k0', product: { id: 'prod_X' } })])));
		const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
		const found = await findPricesByLookupKeys(makeClient().client, [...keys, 'k0']);
		expect(calls).toHaveLength(2);
		expect(found.get('k0')?.id).toBe('price_k0');
	});
});
