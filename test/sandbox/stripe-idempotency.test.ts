 
import http from 'node:http';
import Stripe from 'stripe';

const { createStripeFake, signStripePayload, buildStripeEvent } = require('../../sandbox/stripe');
const { encodeForm } = require('../../sandbox/core/form');

const KEY = 'sk_test_sandbox123';
const FORM = 'application/x-www-form-urlencoded';

describe('Stripe fake: idempotency, faults and events', () => {
	let fake: any;
	let stripe: Stripe;
	let base: string;

	const raw = async (method: string, path: string, data?: Record<string, unknown>, headers: Record<string, string> = {}) => {
		const response = await fetch(`${base}${path}`, {
			method,
			headers: { authorization: `Bearer ${KEY}`, ...(data ? { 'content-type': FORM } : {}), ...headers },
			body: data ? encodeForm(data) : undefined,
		});
		return { status: response.status, headers: response.headers, body: (await response.json()) as any };
	};
	const state = async () => ((await (await fetch(`${base}/__sandbox/state`)).json()) as any).state;
	const makePrice = (lookupKey: string, amount = 4900) =>
		stripe.prices.create({ currency: 'usd', unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: `Plan ${lookupKey}` }, lookup_key: lookupKey });

	beforeAll(async () => {
		fake = createStripeFake();
		const { port, url } = await fake.listen();
		base = url;
		stripe = new Stripe(KEY, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		await fetch(`${base}/__sandbox/reset`, { method: 'POST' });
	});

	describe('Idempotency-Key', () => {
		it('replays the stored response for the same key and parameters', async () => {
			const first = await raw('POST', '/v1/customers', { name: 'A', metadata: { k: 'v' } }, { 'idempotency-key': 'ORD-1:customer' });
			const second = await raw('POST', '/v1/customers', { metadata: { k: 'v' }, name: 'A' }, { 'idempotency-key': 'ORD-1:customer' });
			expect(second.body).toEqual(first.body);
			expect(first.headers.get('idempotent-replayed')).toBeNull();
			expect(second.headers.get('idempotent-replayed')).toBe('true');
			expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
			expect((await state()).objects.customer).toHaveLength(1);
		});

		it('refuses the same key with different parameters (idempotency_error)', async () => {
			await raw('POST', '/v1/customers', { name: 'A' }, { 'idempotency-key': 'k-1' });
			const conflict = await raw('POST', '/v1/customers', { name: 'B' }, { 'idempotency-key': 'k-1' });
			expect(conflict.status).toBe(400);
			expect(conflict.body.error).toMatchObject({ type: 'idempotency_error', message: expect.stringContaining("other than 'k-1'") });
			await expect(stripe.customers.create({ name: 'C' }, { idempotencyKey: 'k-1' })).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
		});

		it('creates one object for concurrent requests with one key', async () => {
			const customer = await stripe.customers.create({ name: 'A' });
			const price = await makePrice('p');
			const params = { customer: customer.id, items: [{ price: price.id }] };
			const replies = await Promise.all(Array.from({ length: 6 }, () => raw('POST', '/v1/subscriptions', params, { 'idempotency-key': 'ORD-9:sub' })));
			expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
			expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
			const held = await state();
			expect(held.objects.subscription).toHaveLength(1);
			expect(held.objects.invoice).toHaveLength(1);
		});

		it('does not store validation failures or injected faults, so a retry with the key goes through', async () => {
			const bad = await raw('POST', '/v1/customers', { name: 'A', bogus: 1 }, { 'idempotency-key': 'k-2' });
			expect(bad.status).toBe(400);
			fake.app.addFaults({ route: 'POST /v1/customers', times: 1, fault: { status: 500 } });
			expect((await raw('POST', '/v1/customers', { name: 'A' }, { 'idempotency-key': 'k-2' })).status).toBe(500);
			const good = await raw('POST', '/v1/customers', { name: 'A' }, { 'idempotency-key': 'k-2' });
			expect(good.status).toBe(200);
			expect(good.headers.get('idempotent-replayed')).toBeNull();
			expect((await state()).idempotencyKeys).toEqual(['k-2']);
		});

		it('replays a stored error too (the endpoint ran), and rejects over-long keys', async () => {
			const first = await raw('POST', '/v1/subscriptions', { customer: 'cus_nope', items: [{ price: 'p' }] }, { 'idempotency-key': 'k-3' });
			expect(first.status).toBe(404);
			await stripe.customers.create({ name: 'late' });
			const again = await raw('POST', '/v1/subscriptions', { customer: 'cus_nope', items: [{ price: 'p' }] }, { 'idempotency-key': 'k-3' });
			expect(again).toMatchObject({ status: 404, body: first.body });
			expect(again.headers.get('idempotent-replayed')).toBe('true');
			expect((await raw('POST', '/v1/customers', { name: 'A' }, { 'idempotency-key': 'x'.repeat(256) })).status).toBe(400);
		});
	});

	describe('fault injection through the admin endpoint', () => {
		const inject = (body: unknown) => fetch(`${base}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

		it('429 with Retry-After in Stripe’s rate_limit_error shape, then normal service', async () => {
			await inject({ route: 'POST /v1/customers', times: 1, fault: { status: 429, retryAfter: 2 } });
			const limited = await raw('POST', '/v1/customers', { name: 'A' });
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('2');
			expect(limited.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit' });
			await expect(stripe.customers.create({ name: 'A' })).resolves.toMatchObject({ object: 'customer' });
		});

		it('5xx and dropped connections surface as the SDK’s API and connection errors', async () => {
			await inject([
				{ route: 'GET /v1/balance', times: 1, fault: { status: 500 } },
				// No `times`: stripe-node retries closed connections even with maxNetworkRetries 0.
				{ route: 'GET /v1/customers/{customer}', fault: { drop: true } },
			]);
			await expect(stripe.balance.retrieve()).rejects.toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
			await expect(stripe.customers.retrieve('cus_1')).rejects.toMatchObject({ type: 'StripeConnectionError' });
			const log = ((await (await fetch(`${base}/__sandbox/requests`)).json()) as any).requests;
			expect(log[0]).toMatchObject({ method: 'GET', path: '/v1/balance', status: 500 });
			expect(log.slice(1).map((r: any) => [r.path, r.status ?? null, r.fault])).toEqual(log.slice(1).map(() => ['/v1/customers/cus_1', null, { drop: true }]));
			expect(log[0].headers.authorization).toBeUndefined();
		});
	});

	describe('signed events', () => {
		it('signs like Stripe (verifiable by stripe.webhooks) and sends a stored object to a URL', async () => {
			const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
			const receiver = http.createServer((req, res) => {
				let body = '';
				req.on('data', (c) => (body += c));
				req.on('end', () => {
					received.push({ headers: req.headers, body });
					res.end('ok');
				});
			});
			await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
			const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
			try {
				const customer = await stripe.customers.create({ name: 'A' });
				const sent = await fake.sendEvent({ url: hook, secret: ['whsec_new', 'whsec_old'], type: 'customer.updated', objectId: customer.id });
				expect(sent.status).toBe(200);
				const event = stripe.webhooks.constructEvent(received[0].body, String(received[0].headers['stripe-signature']), 'whsec_old');
				expect(event).toMatchObject({ type: 'customer.updated', object: 'event', livemode: false, data: { object: { id: customer.id } } });
				expect(() => stripe.webhooks.constructEvent(received[0].body, String(received[0].headers['stripe-signature']), 'whsec_other')).toThrow();

				const viaAdmin = await fetch(`${base}/__sandbox/stripe/events`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ url: hook, secret: 'whsec_new', type: 'invoice.paid', object: { id: 'in_x', object: 'invoice' }, timestamp: 1000 }),
				});
				expect(viaAdmin.status).toBe(200);
				expect(received[1].headers['stripe-signature']).toMatch(/^t=1000,v1=[0-9a-f]{64}$/);
				expect(() => stripe.webhooks.constructEvent(received[1].body, String(received[1].headers['stripe-signature']), 'whsec_new')).toThrow(/Timestamp outside the tolerance zone/);
				expect((await state()).events.map((e: any) => e.event.type)).toEqual(['customer.updated', 'invoice.paid']);
				const missing = await fetch(`${base}/__sandbox/stripe/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: hook, secret: 's', type: 't', objectId: 'cus_nope' }) });
				expect(missing.status).toBe(400);
			} finally {
				await new Promise((resolve) => receiver.close(resolve));
			}
		});

		it('signature helper matches the SDK’s test header generator', () => {
			const payload = JSON.stringify(buildStripeEvent('charge.refunded', { id: 'ch_1' }, { id: 'evt_1', created: 1700000000 }));
			expect(signStripePayload(payload, 'whsec_x', 1700000000)).toBe(stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_x', timestamp: 1700000000 }));
		});
	});
});
