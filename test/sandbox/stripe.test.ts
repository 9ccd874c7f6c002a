 
import Stripe from 'stripe';

const { createStripeFake } = require('../../sandbox/stripe');
const { encodeForm } = require('../../sandbox/core/form');
const { ownApi } = require('../../sandbox/stripe/api');

const KEY = 'sk_test_sandbox123';
const FORM = 'application/x-www-form-urlencoded';

describe('Stripe fake', () => {
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

	describe('with the official SDK (v23, newer API version than the 2023 spec)', () => {
		it('creates, finds and searches customers', async () => {
			const customer = await stripe.customers.create({ name: 'Acme', email: 'ops@acme.test', metadata: { q2c_business_key: 'ORD-1' }, address: { country: 'US' } });
			expect(customer).toMatchObject({ object: 'customer', livemode: false, name: 'Acme', metadata: { q2c_business_key: 'ORD-1' }, address: { country: 'US' } });
			expect(customer.id).toMatch(/^cus_\w{14}$/);
			await stripe.customers.create({ name: 'Other', email: 'x@other.test', metadata: { q2c_business_key: "O'Brien-2" } });
			const found = await stripe.customers.search({ query: "metadata['q2c_business_key']:'ORD-1'" });
			expect(found).toMatchObject({ object: 'search_result', has_more: false, data: [{ id: customer.id }] });
			const escaped = await stripe.customers.search({ query: "metadata['q2c_business_key']:'O\\'Brien-2' OR name~'acm'" });
			expect(escaped.data.map((c) => c.name).sort()).toEqual(['Acme', 'Other']);
			const byEmail = await stripe.customers.list({ email: 'ops@acme.test', limit: 100 });
			expect(byEmail).toMatchObject({ object: 'list', url: '/v1/customers', data: [{ id: customer.id }] });
			expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id });
			await expect(stripe.customers.retrieve('cus_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });
			await expect(stripe.customers.search({ query: 'name:' })).rejects.toMatchObject({ statusCode: 400, param: 'query' });
		});

		it('pages lists newest first with starting_after', async () => {
			for (const name of ['a', 'b', 'c']) await stripe.customers.create({ name });
			const first = await stripe.customers.list({ limit: 2 });
			expect(first.data.map((c) => c.name)).toEqual(['c', 'b']);
			expect(first.has_more).toBe(true);
			const second = await stripe.customers.list({ limit: 2, starting_after: first.data[1].id });
			expect(second.data.map((c) => c.name)).toEqual(['a']);
			expect(second.has_more).toBe(false);
		});

		it('creates prices with lookup keys, lists them by lookup_keys[] and refuses a taken key', async () => {
			const pro = await makePrice('pro_monthly');
			await makePrice('basic_monthly', 1900);
			const listed = await stripe.prices.list({ lookup_keys: ['pro_monthly', 'nope'], active: true, expand: ['data.product'] });
			expect(listed.data).toHaveLength(1);
			expect(listed.data[0]).toMatchObject({ id: pro.id, unit_amount: 4900, type: 'recurring', recurring: { interval: 'month', interval_count: 1 }, product: { object: 'product', name: 'Plan pro_monthly' } });
			await expect(makePrice('pro_monthly')).rejects.toMatchObject({ statusCode: 400, param: 'lookup_key' });
			const product = await stripe.products.create({ name: 'Add-on', metadata: { sku: 'ADD' } });
			expect(await stripe.products.retrieve(product.id)).toMatchObject({ name: 'Add-on', metadata: { sku: 'ADD' } });
			const moved = await stripe.prices.create({ currency: 'usd', unit_amount: 100, product: product.id, lookup_key: 'pro_monthly', transfer_lookup_key: true });
			expect((await stripe.prices.retrieve(pro.id)).lookup_key).toBeNull();
			expect(moved.type).toBe('one_time');
		});

		it('creates a subscription with price and price_data items, bills one paid invoice, updates and cancels it', async () => {
			const customer = await stripe.customers.create({ name: 'Acme' });
			const pro = await makePrice('pro');
			const setup = await stripe.products.create({ name: 'Setup' });
			const subscription = await stripe.subscriptions.create(
				{
					customer: customer.id,
					items: [
						{ price: pro.id, quantity: 2, metadata: { q2c_sku: 'PRO' } },
						{ price_data: { currency: 'usd', product: setup.id, unit_amount: 1000, recurring: { interval: 'month' } } },
					],
					add_invoice_items: [{ price_data: { currency: 'usd', product: setup.id, unit_amount: 500 }, metadata: { q2c_sku: 'SETUP' } } as any],
					metadata: { q2c_business_key: 'ORD-1' },
					expand: ['latest_invoice.payment_intent'],
				},
				{ idempotencyKey: 'ORD-1:billing.subscription.create' },
			);
			expect(subscription).toMatchObject({ object: 'subscription', status: 'active', customer: customer.id, currency: 'usd', metadata: { q2c_business_key: 'ORD-1' } });
			expect(subscription.items.data.map((i) => [i.price.unit_amount, i.quantity])).toEqual([[4900, 2], [1000, 1]]);
			expect(subscription.items.data[0].current_period_end).toBeGreaterThan(subscription.items.data[0].current_period_start);
			const invoice = subscription.latest_invoice as Stripe.Invoice & { payment_intent: Stripe.PaymentIntent };
			expect(invoice).toMatchObject({ status: 'paid', amount_paid: 9800 + 1000 + 500, billing_reason: 'subscription_create', parent: { subscription_details: { subscription: subscription.id } } });
			expect(invoice.payment_intent).toMatchObject({ object: 'payment_intent', status: 'succeeded' });

			const payments = await stripe.invoicePayments.list({ invoice: invoice.id!, status: 'paid' });
			expect(payments.data[0].payment).toEqual({ type: 'payment_intent', payment_intent: invoice.payment_intent.id });
			expect((await stripe.invoices.list({ subscription: subscription.id })).data.map((i) => i.id)).toEqual([invoice.id]);
			expect(await stripe.invoices.retrieve(invoice.id!)).toMatchObject({ total: 11300 });

			const updated = await stripe.subscriptions.update(subscription.id, {
				items: [{ id: subscription.items.data[0].id, quantity: 3 }, { id: subscription.items.data[1].id, deleted: true }],
				proration_behavior: 'none',
				metadata: { q2c_business_key: 'ORD-1', note: 'upsized' },
			});
			expect(updated.items.data.map((i) => [i.id, i.quantity])).toEqual([[subscription.items.data[0].id, 3]]);
			expect(updated.metadata.note).toBe('upsized');

			const refund = await stripe.refunds.create({ payment_intent: invoice.payment_intent.id, amount: 500 });
			expect(refund).toMatchObject({ object: 'refund', status: 'succeeded', amount: 500, currency: 'usd' });
			await expect(stripe.refunds.create({ payment_intent: invoice.payment_intent.id, amount: 999999 })).rejects.toMatchObject({ statusCode: 400, param: 'amount' });
			expect((await stripe.balance.retrieve()).available).toEqual([{ amount: 10800, currency: 'usd', source_types: { card: 10800 } }]);

			const canceled = await stripe.subscriptions.cancel(subscription.id, { invoice_now: false, prorate: false, cancellation_details: { comment: 'provisioning failed' } });
			expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { comment: 'provisioning failed' } });
			expect(canceled.canceled_at).toEqual(expect.any(Number));
			await expect(stripe.subscriptions.cancel(subscription.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
			await expect(stripe.subscriptions.update(subscription.id, { description: 'x' })).rejects.toMatchObject({ statusCode: 400 });
			expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
			expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(1);
		});

		it('leaves send_invoice invoices open until paid; refunds need a paid charge', async () => {
			const customer = await stripe.customers.create({ name: 'B2B' });
			const price = await makePrice('b2b');
			await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], collection_method: 'send_invoice' })).rejects.toMatchObject({ param: 'days_until_due' });
			const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], collection_method: 'send_invoice', days_until_due: 30 });
			const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
			expect(invoice).toMatchObject({ status: 'open', amount_remaining: 4900, amount_paid: 0 });
			expect(invoice.due_date! - invoice.created).toBe(30 * 86400);
			const open = await stripe.invoicePayments.list({ invoice: invoice.id!, status: 'paid' });
			expect(open.data).toEqual([]);
			await expect(stripe.refunds.create({ payment_intent: (invoice as any).payment_intent })).rejects.toMatchObject({ param: 'payment_intent' });
			expect(await stripe.invoices.pay(invoice.id!)).toMatchObject({ status: 'paid', amount_paid: 4900 });
			const paid = await stripe.invoicePayments.list({ invoice: invoice.id!, status: 'paid' });
			expect(paid.data).toHaveLength(1);
			await expect(stripe.refunds.create({ payment_intent: (invoice as any).payment_intent })).resolves.toMatchObject({ amount: 4900 });
			await expect(stripe.refunds.create({ payment_intent: (invoice as any).payment_intent })).rejects.toMatchObject({ code: 'charge_already_refunded' });
			await expect(stripe.invoices.pay(invoice.id!)).rejects.toMatchObject({ code: 'invoice_already_paid' });
		});

		it('refuses subscription items that cannot be billed', async () => {
			const customer = await stripe.customers.create({ name: 'Acme' });
			const product = await stripe.products.create({ name: 'P' });
			const oneTime = await stripe.prices.create({ currency: 'usd', unit_amount: 100, product: product.id });
			const eur = await stripe.prices.create({ currency: 'eur', unit_amount: 100, product: product.id, recurring: { interval: 'year' } });
			const usd = await stripe.prices.create({ currency: 'usd', unit_amount: 100, product: product.id, recurring: { interval: 'year' } });
			await expect(stripe.subscriptions.create({ customer: 'cus_nope', items: [{ price: usd.id }] })).rejects.toMatchObject({ statusCode: 404, param: 'customer' });
			await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: oneTime.id }] })).rejects.toMatchObject({ param: 'items[0][price]' });
			await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: usd.id }, { price: eur.id }] })).rejects.toMatchObject({ param: 'items' });
			await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: 'price_missing' }] })).rejects.toMatchObject({ statusCode: 404 });
			const trial = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: usd.id }], trial_period_days: 14, expand: ['latest_invoice'] });
			expect(trial.status).toBe('trialing');
			expect((trial.latest_invoice as Stripe.Invoice).amount_paid).toBe(0);
		});
	});

	describe('request validation against its own API description (sandbox/stripe/api.js)', () => {
		it('declares exactly the endpoints it serves', () => {
			const declared = Object.entries(ownApi.paths).flatMap(([template, item]) => Object.keys(item as object).map((method) => `${method.toUpperCase()} ${template}`));
			expect([...fake.served].sort()).toEqual(declared.sort());
		});

		it('answers an unknown parameter with Stripe’s error shape, before touching state', async () => {
			const reply = await raw('POST', '/v1/customers', { name: 'A', favourite_colour: 'red' });
			expect(reply.status).toBe(400);
			expect(reply.body).toEqual({
				error: {
					type: 'invalid_request_error',
					code: 'parameter_unknown',
					param: 'favourite_colour',
					message: 'Received unknown parameter: favourite_colour',
					doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
				},
			});
			expect((await state()).objects.customer).toBeUndefined();
		});

		it('names the nested parameter for wrong types and missing required fields', async () => {
			await expect(stripe.subscriptions.create({ customer: 'cus_1', items: [{ price: 'p', quantity: 'two' as unknown as number }] })).rejects.toMatchObject({
				type: 'StripeInvalidRequestError',
				statusCode: 400,
				param: 'items[0][quantity]',
				message: 'Invalid integer: two',
			});
			const missing = await raw('POST', '/v1/subscriptions', { items: [{ price: 'p' }] });
			expect(missing.body.error).toMatchObject({ param: 'customer', code: 'parameter_missing' });
			const nested = await raw('POST', '/v1/prices', { currency: 'usd', product: 'prod_1', recurring: { interval: 'fortnight' } });
			expect(nested.body.error).toMatchObject({ param: 'recurring[interval]', message: expect.stringContaining('must be one of day, month, week, or year') });
			const query = await raw('GET', '/v1/customers?limit=ten');
			expect(query.body.error).toMatchObject({ param: 'limit', message: 'Invalid integer: ten' });
			const json = await fetch(`${base}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{"name":"A"}' });
			expect(json.status).toBe(400);
		});

		it('answers unknown and unimplemented URLs with 404 in Stripe’s shape', async () => {
			expect((await raw('GET', '/v1/nothing')).body.error.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/nothing\)/);
			const coupons = await raw('GET', '/v1/coupons');
			expect(coupons.status).toBe(404);
			expect(coupons.body.error.message).toContain('does not implement');
		});
	});

	describe('authentication', () => {
		it('requires a test-mode secret key in Stripe’s 401 shape, and accepts a newer Stripe-Version', async () => {
			const none = await fetch(`${base}/v1/balance`);
			expect(none.status).toBe(401);
			expect(((await none.json()) as any).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('You did not provide an API key') });
			const live = new Stripe('sk_live_abcdefgh1234', { host: '127.0.0.1', port: Number(new URL(base).port), protocol: 'http' });
			await expect(live.balance.retrieve()).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401, message: expect.stringContaining('1234') });
			const versioned = await raw('GET', '/v1/balance', undefined, { 'stripe-version': '2026-10-28.endive' });
			expect(versioned.status).toBe(200);
			expect(versioned.headers.get('stripe-version')).toBe('2026-10-28.endive');
			expect(versioned.headers.get('request-id')).toMatch(/^req_/);
		});

		it('can pin the accepted keys; Basic auth with the key as user works too', async () => {
			const pinned = createStripeFake({ apiKeys: ['sk_test_only'] });
			const { url } = await pinned.listen();
			try {
				const other = await fetch(`${url}/v1/balance`, { headers: { authorization: `Bearer ${KEY}` } });
				expect(other.status).toBe(401);
				const basic = await fetch(`${url}/v1/balance`, { headers: { authorization: `Basic ${Buffer.from('sk_test_only:').toString('base64')}` } });
				expect(basic.status).toBe(200);
			} finally {
				await pinned.close();
			}
		});
	});

});
