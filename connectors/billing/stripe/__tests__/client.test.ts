import nock from 'nock';
import Stripe from 'stripe';
import { ConnectorError } from '../../../core';
import { createStripeBillingClient, hostOptions, STRIPE_API_VERSION, STRIPE_TEST_RATE_LIMIT, stripeBillingClientFor } from '../client';
import { BASE, makeClient, reply, SECRET, stripeError, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('StripeBillingClient', () => {
	it('sends the pinned API version, Bearer auth and no SDK idempotency key on reads', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/balance').reply(reply(calls, 200, { object: 'balance', available: [] }));
		const { client } = makeClient();
		await client.read((stripe) => stripe.balance.retrieve());
		expect(calls[0].headers['stripe-version']).toBe(STRIPE_API_VERSION);
		expect(calls[0].headers.authorization).toBe(`Bearer ${SECRET}`);
		expect(calls[0].headers['idempotency-key']).toBeUndefined();
	});

	it('targets a sandbox from the base URL (host, port, protocol)', async () => {
		const calls: Captured[] = [];
		nock('http://localhost:12111').get('/v1/balance').reply(reply(calls, 200, { object: 'balance' }));
		const client = createStripeBillingClient({ secretKey: SECRET, baseUrl: 'http://localhost:12111' });
		await client.read((stripe) => stripe.balance.retrieve());
		expect(calls).toHaveLength(1);
		expect(hostOptions('https://stripe.example.com')).toEqual({ host: 'stripe.example.com', port: 443, protocol: 'https' });
		expect(hostOptions('http://sandbox')).toEqual({ host: 'sandbox', port: 80, protocol: 'http' });
	});

	it('rejects a base URL with a path and a missing secret key before any call', () => {
		expect(() => createStripeBillingClient({ secretKey: SECRET, baseUrl: 'https://proxy.test/stripe' })).toThrow(/credentials.baseUrl/);
		expect(() => createStripeBillingClient({ secretKey: '' })).toThrow(/credentials.secretKey/);
		expect(() => createStripeBillingClient({ secretKey: SECRET, baseUrl: 'ftp://x' })).toThrow(/credentials.baseUrl/);
	});

	it('retries a rate-limited read honouring Retry-After', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/balance')
			.reply(reply(calls, 429, stripeError('invalid_request_error', 'Too many requests', { code: 'rate_limit' }), { 'Retry-After': '2' }))
			.get('/v1/balance')
			.reply(reply(calls, 200, { object: 'balance' }));
		const { client, sleeps } = makeClient();
		await client.read((stripe) => stripe.balance.retrieve());
		expect(calls).toHaveLength(2);
		expect(sleeps).toEqual([2000]);
	});

	it('retries 5xx with exponential backoff and gives up after the policy', async () => {
		nock(BASE).get('/v1/balance').times(4).reply(500, stripeError('api_error', 'boom'));
		const { client, sleeps } = makeClient();
		const error = await client.read((stripe) => stripe.balance.retrieve()).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConnectorError);
		expect((error as ConnectorError).kind).toBe('transient');
		expect((error as ConnectorError).status).toBe(500);
		expect(sleeps).toEqual([100, 200, 400]);
		expect(nock.isDone()).toBe(true);
	});

	it('retries a write with an idempotency key, sending the same key each time', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.post('/v1/customers')
			.reply(reply(calls, 503, stripeError('api_error', 'unavailable')))
			.post('/v1/customers')
			.reply(reply(calls, 200, { id: 'cus_1', object: 'customer' }));
		const { client } = makeClient();
		await client.write('q2c-key-1', (stripe, options) => stripe.customers.create({ name: 'A' }, options));
		expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['q2c-key-1', 'q2c-key-1']);
	});

	it('never retries a write without an idempotency key', async () => {
		nock(BASE).post('/v1/customers').reply(503, stripeError('api_error', 'unavailable'));
		const { client, sleeps } = makeClient();
		const error = await client
			.call((stripe, options) => stripe.customers.create({ name: 'A' }, options), { write: true })
			.catch((e: unknown) => e as ConnectorError);
		expect((error as ConnectorError).kind).toBe('transient');
		expect(sleeps).toEqual([]);
		expect(nock.isDone()).toBe(true);
	});

	it('maps connection failures to transient and retries reads', async () => {
		// The SDK turns socket failures into StripeConnectionError; raise it directly (nock's socket
		// errors are unreliable across parallel suites).
		let attempts = 0;
		const { client, sleeps } = makeClient();
		const result = await client.read(async () => {
			attempts++;
			if (attempts < 3) throw new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' } as never);
			return 'ok';
		});
		expect(result).toBe('ok');
		expect(sleeps).toEqual([100, 200]);
	});

	it('does not retry a connection failure of a write without an idempotency key', async () => {
		let attempts = 0;
		const { client, sleeps } = makeClient();
		const error = (await client
			.call(
				async () => {
					attempts++;
					throw new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' } as never);
				},
				{ write: true },
			)
			.catch((e: unknown) => e)) as ConnectorError;
		expect(attempts).toBe(1);
		expect(error.kind).toBe('transient');
		expect(sleeps).toEqual([]);
	});

	it('never leaks the secret key in errors', async () => {
		nock(BASE).get('/v1/balance').reply(401, stripeError('invalid_request_error', `Invalid API Key provided: ${SECRET}`));
		const { client } = makeClient();
		const error = (await client.read((stripe) => stripe.balance.retrieve()).catch((e: unknown) => e)) as ConnectorError;
		expect(error.kind).toBe('auth');
		expect(error.message).not.toContain(SECRET);
		expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
	});

	it('holds search calls to Stripe\'s search limit as well, while other reads are not', async () => {
		nock(BASE).get('/v1/customers/search').query(true).times(3).reply(200, { object: 'search_result', data: [], has_more: false });
		nock(BASE).get('/v1/customers').query(true).times(3).reply(200, { object: 'list', data: [], has_more: false });
		// A key of its own: limiters are per account for the whole process.
		const { client } = makeClient({ secretKey: 'sk_test_SearchLimitAccount', searchRateLimit: { perSecond: 5, burst: 1 } });
		let started = Date.now();
		for (let i = 0; i < 3; i++) await client.read((stripe) => stripe.customers.list({ limit: 1 }));
		expect(Date.now() - started).toBeLessThan(300);
		started = Date.now();
		for (let i = 0; i < 3; i++) await client.search((stripe) => stripe.customers.search({ query: "email:'a@b.test'" }));
		// burst 1 then 5/s: the 2nd and 3rd wait ~200 ms each.
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);
	});

	it('stays within Stripe\'s test-mode 25 requests in any second by default', () => {
		expect(STRIPE_TEST_RATE_LIMIT.burst + STRIPE_TEST_RATE_LIMIT.perSecond).toBeLessThanOrEqual(25);
	});

	it('reuses one client per credential and endpoint, and builds another for a rotated key', () => {
		const first = stripeBillingClientFor({ secretKey: 'sk_test_ReuseA', baseUrl: 'http://127.0.0.1:9' });
		expect(stripeBillingClientFor({ secretKey: 'sk_test_ReuseA', baseUrl: 'http://127.0.0.1:9' })).toBe(first);
		expect(stripeBillingClientFor({ secretKey: 'sk_test_ReuseB', baseUrl: 'http://127.0.0.1:9' })).not.toBe(first);
		expect(stripeBillingClientFor({ secretKey: 'sk_test_ReuseA', baseUrl: 'http://127.0.0.1:8' })).not.toBe(first);
		expect(first.accountKey).not.toContain('ReuseA');
	});
});
