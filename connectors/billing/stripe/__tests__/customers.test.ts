import nock from 'nock';
import { ConnectorError, idempotencyKey } from '../../../core';
import { escapeSearchValue, findOrCreateCustomer, searchCustomers, takeFreshCustomer } from '../customers';
import { BASE, customer, list, makeClient, reply, stripeError, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const input = { businessKey: 'ORD-1', name: 'Acme Ltd', email: 'billing@acme.test', country: 'us', metadata: { partner_id: 'P-9' } };

function searchQuery(path: string): string {
	return new URL(path, BASE).searchParams.get('query') ?? '';
}

describe('findOrCreateCustomer', () => {
	it('returns the customer found by business-key search without writing', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/customers/search').query(true).reply(reply(calls, 200, list([customer('cus_found', 'ORD-1')])));
		const { client } = makeClient();
		const result = await findOrCreateCustomer(client, input);
		expect(searchQuery(calls[0].path)).toBe("metadata['q2c_business_key']:'ORD-1'");
		expect(result).toMatchObject({ id: 'cus_found', businessKey: 'ORD-1', created: false, matchedBy: 'search' });
		expect(nock.isDone()).toBe(true);
	});

	it('search lagging a redelivery: the same create (same idempotency key) is answered with the stored customer, not a second one', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/customers/search')
			.query(true)
			.reply(200, list([]))
			.post('/v1/customers')
			.reply(reply(calls, 200, customer('cus_mine', 'ORD-1'), { 'Idempotent-Replayed': 'true' }));
		const { client } = makeClient();
		const result = await findOrCreateCustomer(client, input);
		expect(result).toMatchObject({ id: 'cus_mine', created: false, matchedBy: 'replayed' });
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('ORD-1', 'billing.customer.create'));
		// A replayed customer may already have a subscription: it is not marked as fresh.
		await expect(takeFreshCustomer(client, 'cus_mine', 'ORD-1')).resolves.toBe(false);
		expect(nock.isDone()).toBe(true);
	});

	it('search lagging and the contract changed meanwhile: the refused create falls back to the email listing', async () => {
		nock(BASE)
			.get('/v1/customers/search')
			.query(true)
			.reply(200, list([]))
			.post('/v1/customers')
			.reply(400, stripeError('idempotency_error', 'Keys for idempotent requests can only be used with the same parameters'))
			.get('/v1/customers')
			.query({ email: 'billing@acme.test', limit: '100' })
			.reply(200, list([customer('cus_other', 'ORD-2'), customer('cus_mine', 'ORD-1')]));
		const result = await findOrCreateCustomer(makeClient().client, input);
		expect(result).toMatchObject({ id: 'cus_mine', created: false, matchedBy: 'email' });
		expect(nock.isDone()).toBe(true);

		nock(BASE)
			.get('/v1/customers/search')
			.query(true)
			.reply(200, list([]))
			.post('/v1/customers')
			.reply(400, stripeError('idempotency_error', 'Keys for idempotent requests can only be used with the same parameters'))
			.get('/v1/customers')
			.query(true)
			.reply(200, list([customer('cus_other', 'ORD-2')]));
		await expect(findOrCreateCustomer(makeClient().client, input)).rejects.toMatchObject({ kind: 'conflict' });
	});

	it('a new contract costs one search and one create, and its customer is marked fresh for one subscription create', async () => {
		nock(BASE).get('/v1/customers/search').query(true).reply(200, list([])).post('/v1/customers').reply(200, customer('cus_new', 'ORD-1'));
		const { client } = makeClient();
		await expect(findOrCreateCustomer(client, input)).resolves.toMatchObject({ id: 'cus_new', created: true, matchedBy: 'created' });
		expect(nock.isDone()).toBe(true);
		await expect(takeFreshCustomer(client, 'cus_new', 'ORD-1')).resolves.toBe(true);
		await expect(takeFreshCustomer(client, 'cus_new', 'ORD-1')).resolves.toBe(false);
	});

	it('the fresh mark is consumed by the first taker only', async () => {
		nock(BASE).get('/v1/customers/search').query(true).reply(200, list([])).post('/v1/customers').reply(200, customer('cus_new', 'ORD-1'));
		const { client } = makeClient();
		await findOrCreateCustomer(client, input);
		const takers = await Promise.all([1, 2, 3].map(() => takeFreshCustomer(client, 'cus_new', 'ORD-1')));
		expect(takers.filter(Boolean)).toHaveLength(1);
	});

	it('creates the customer with contract metadata and a stable idempotency key', async () => {
		const calls: Captured[] = [];
		const scope = () =>
			nock(BASE)
				.get('/v1/customers/search')
				.query(true)
				.reply(200, list([]))
				.post('/v1/customers')
				.reply(reply(calls, 200, customer('cus_new', 'ORD-1')));
		scope();
		const { client } = makeClient();
		const result = await findOrCreateCustomer(client, input);
		scope();
		await findOrCreateCustomer(client, input);

		expect(result).toMatchObject({ id: 'cus_new', created: true, matchedBy: 'created' });
		expect(calls[0].body).toEqual({
			name: 'Acme Ltd',
			email: 'billing@acme.test',
			'address[country]': 'US',
			'metadata[partner_id]': 'P-9',
			'metadata[q2c_business_key]': 'ORD-1',
			'metadata[q2c_step]': 'billing.customer.create',
		});
		expect(calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('ORD-1', 'billing.customer.create'));
		expect(calls[1].headers['idempotency-key']).toBe(calls[0].headers['idempotency-key']);
	});

	it('uses a different idempotency key for a different contract', async () => {
		const calls: Captured[] = [];
		for (const key of ['ORD-1', 'ORD-2']) {
			nock(BASE).get('/v1/customers/search').query(true).reply(200, list([]));
			nock(BASE).post('/v1/customers').reply(reply(calls, 200, customer('cus_x', key)));
			await findOrCreateCustomer(makeClient().client, { ...input, businessKey: key });
		}
		expect(calls[0].headers['idempotency-key']).not.toBe(calls[1].headers['idempotency-key']);
	});

	it('carries on with the email listing when search is unavailable, but not on auth failures', async () => {
		nock(BASE)
			.get('/v1/customers/search')
			.query(true)
			.reply(400, stripeError('invalid_request_error', 'Search is not available in your region'))
			.get('/v1/customers')
			.query(true)
			.reply(200, list([customer('cus_mine', 'ORD-1')]));
		await expect(findOrCreateCustomer(makeClient().client, input)).resolves.toMatchObject({ id: 'cus_mine', matchedBy: 'email' });

		nock(BASE).get('/v1/customers/search').query(true).reply(401, stripeError('invalid_request_error', 'Invalid API Key'));
		await expect(findOrCreateCustomer(makeClient().client, input)).rejects.toMatchObject({ kind: 'auth' });
	});

	it('rejects bad input naming the field, before any Stripe call', async () => {
		const { client } = makeClient();
		await expect(findOrCreateCustomer(client, { ...input, email: 'not-an-email' })).rejects.toThrow(/customer\.email/);
		await expect(findOrCreateCustomer(client, { ...input, businessKey: ' ' })).rejects.toThrow(/customer\.businessKey/);
		const error = (await findOrCreateCustomer(client, { ...input, country: 'USA' }).catch((e: unknown) => e)) as ConnectorError;
		expect(error).toMatchObject({ kind: 'validation', field: 'customer.country' });
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('escapes quotes in search values', () => {
		expect(escapeSearchValue("O'Brien\\x")).toBe("O\\'Brien\\\\x");
	});
});

describe('searchCustomers', () => {
	it('pages through the newest customers without a filter', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/customers')
			.query({ limit: '50', starting_after: 'cus_0' })
			.reply(reply(calls, 200, list([customer('cus_1'), customer('cus_2')], true)));
		const page = await searchCustomers(makeClient().client, undefined, 'cus_0');
		expect(page.items.map((c) => c.id)).toEqual(['cus_1', 'cus_2']);
		expect(page.nextCursor).toBe('cus_2');
	});

	it('searches name and email with a filter and returns the next page token', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/customers/search')
			.query(true)
			.reply(reply(calls, 200, list([customer('cus_1')], true, { next_page: 'page_2' })));
		const page = await searchCustomers(makeClient().client, 'acme');
		expect(searchQuery(calls[0].path)).toBe("name~'acme' OR email~'acme'");
		expect(page.nextCursor).toBe('page_2');

		nock(BASE).get('/v1/customers/search').query((q) => q.page === 'page_2').reply(200, list([customer('cus_3')]));
		const second = await searchCustomers(makeClient().client, 'acme', 'page_2');
		expect(second).toEqual({ items: [expect.objectContaining({ id: 'cus_3' })], nextCursor: undefined });
	});
});
