import http from 'node:http';
import Stripe from 'stripe';

const { createStripeFake } = require('../../sandbox/stripe');

/**
 * Stripe Checkout in the fake, driven with the official SDK: sessions (create, retrieve with expand, expire,
 * Idempotency-Key), the hosted page's stand-in paying them with each test outcome, and the signed events each
 * outcome delivers to a registered endpoint, verified with stripe.webhooks.constructEvent.
 */

const KEY = 'sk_test_checkout123';
const SECRET = 'whsec_checkout_test_secret';

type Received = { raw: string; signature: string };

describe('Stripe fake: Checkout Sessions', () => {
	let fake: any;
	let stripe: Stripe;
	let base: string;
	let receiver: http.Server;
	let hookUrl: string;
	let received: Received[] = [];
	let failNext = 0;

	const admin = async (path: string, body: unknown) => {
		const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: response.status, body: (await response.json()) as any };
	};
	const pay = (sessionId: string, body: Record<string, unknown>) => admin(`/__sandbox/checkout/sessions/${sessionId}/pay`, body);
	/** Every delivered event, verified with the SDK (throws on a bad signature). */
	const events = async () => {
		await fake.webhooks.idle();
		return received.map((r) => stripe.webhooks.constructEvent(r.raw, r.signature, SECRET));
	};
	const types = async () => (await events()).map((e) => e.type);
	const prices = async () => {
		const product = await stripe.products.create({ name: 'Platform' });
		const licensed = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' } });
		const metered = fake.ensureMeteredCatalog();
		return { licensed: licensed.id, metered: metered.priceId as string };
	};
	const newSession = async (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) => {
		const { licensed, metered } = await prices();
		return stripe.checkout.sessions.create({
			mode: 'subscription',
			line_items: [{ price: licensed, quantity: 2 }, { price: metered }],
			client_reference_id: 'ORD-42',
			customer_email: 'buyer@acme.test',
			success_url: 'https://app.test/welcome?session={CHECKOUT_SESSION_ID}',
			cancel_url: 'https://app.test/cancel',
			subscription_data: { metadata: { q2c_business_key: 'ORD-42' } },
			...extra,
		});
	};

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				if (failNext > 0) {
					failNext--;
					res.writeHead(500).end('down');
					return;
				}
				received.push({ raw: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
				res.writeHead(200).end('{}');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
		hookUrl = `http://127.0.0.1:${(receiver.address() as any).port}/stripe`;
		fake = createStripeFake({ webhookSecret: SECRET, webhookBackoffMs: 5 });
		const { port, url } = await fake.listen();
		base = url;
		stripe = new Stripe(KEY, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
	});
	afterAll(async () => {
		await fake.close();
		await new Promise((resolve) => receiver.close(resolve));
	});
	beforeEach(async () => {
		await fetch(`${base}/__sandbox/reset`, { method: 'POST' });
		for (const endpoint of fake.webhooks.list()) fake.webhooks.remove(endpoint.id);
		const registered = await admin('/__sandbox/stripe/webhook-endpoints', { url: hookUrl });
		expect(registered).toMatchObject({ status: 201, body: { url: hookUrl, secret: SECRET, enabled_events: ['*'] } });
		received = [];
		failNext = 0;
	});

	it('creates an open session once per Idempotency-Key and retrieves it', async () => {
		const { licensed, metered } = await prices();
		const params: Stripe.Checkout.SessionCreateParams = { mode: 'subscription', line_items: [{ price: licensed, quantity: 2 }, { price: metered }], client_reference_id: 'ORD-1', customer_email: 'a@b.test', success_url: 'https://app.test/ok' };
		const session = await stripe.checkout.sessions.create(params, { idempotencyKey: 'checkout-ORD-1' });
		expect(session).toMatchObject({ object: 'checkout.session', mode: 'subscription', status: 'open', payment_status: 'unpaid', client_reference_id: 'ORD-1', customer: null, customer_email: 'a@b.test', amount_subtotal: 9800, amount_total: 9800, currency: 'usd' });
		expect(session.id).toMatch(/^cs_test_/);
		expect(session.url).toBe(`${base}/__sandbox/checkout/pay/${session.id}`);
		const again = await stripe.checkout.sessions.create(params, { idempotencyKey: 'checkout-ORD-1' });
		expect(again.id).toBe(session.id);
		expect(fake.store.all('checkout.session')).toHaveLength(1);
		await expect(stripe.checkout.sessions.create({ ...params, client_reference_id: 'ORD-2' }, { idempotencyKey: 'checkout-ORD-1' })).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
		const withItems = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
		expect(withItems.line_items?.data.map((i) => [i.price?.id, i.quantity])).toEqual([[licensed, 2], [metered, null]]);
		const page = (await fetch(`${session.url}`)).status;
		expect(page).toBe(200);
	});

	it('refuses what Stripe refuses', async () => {
		const { licensed, metered } = await prices();
		const base_ = { mode: 'subscription' as const, success_url: 'https://app.test/ok' };
		await expect(stripe.checkout.sessions.create({ ...base_, line_items: [{ price: metered, quantity: 3 }] })).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][quantity]' });
		await expect(stripe.checkout.sessions.create({ ...base_, line_items: [{ price: licensed }] })).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][quantity]' });
		await expect(stripe.checkout.sessions.create({ ...base_, line_items: [{ price: 'price_nope', quantity: 1 }] })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
		await expect(stripe.checkout.sessions.create({ ...base_, line_items: [{ price: licensed, quantity: 1 }], customer: 'cus_x', customer_email: 'a@b.test' })).rejects.toMatchObject({ statusCode: 400, param: 'customer_email' });
		await expect(stripe.checkout.sessions.create({ ...base_, line_items: [{ price: licensed, quantity: 1 }], subscription_data: { trial_period_days: 0 } })).rejects.toMatchObject({ param: 'subscription_data[trial_period_days]' });
		await expect(stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: licensed, quantity: 1 }] } as any)).rejects.toMatchObject({ statusCode: 400, param: 'success_url' });
		await expect(stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({ statusCode: 404, message: "No such checkout.session: 'cs_test_missing'" });
		expect(fake.store.all('checkout.session')).toHaveLength(0);
	});

	it('success: customer + subscription, session complete and paid, checkout.session.completed signed', async () => {
		const session = await newSession();
		const paid = await pay(session.id, { card: '4242 4242 4242 4242', name: 'Ada Buyer' });
		expect(paid.body).toMatchObject({ status: 'complete', payment_status: 'paid' });
		const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription', 'customer'] });
		const subscription = done.subscription as Stripe.Subscription;
		const customer = done.customer as Stripe.Customer;
		expect(customer).toMatchObject({ object: 'customer', email: 'buyer@acme.test', name: 'Ada Buyer' });
		expect(subscription).toMatchObject({ object: 'subscription', status: 'active', customer: customer.id, metadata: { q2c_business_key: 'ORD-42' } });
		expect(subscription.items.data.map((i) => i.quantity)).toEqual([2, null]);
		expect(await stripe.invoices.retrieve(done.invoice as string)).toMatchObject({ status: 'paid', amount_paid: 9800 });
		const delivered = await events();
		expect(delivered.map((e) => e.type)).toEqual(['customer.created', 'customer.subscription.created', 'invoice.paid', 'checkout.session.completed']);
		const completed = delivered[3].data.object as Stripe.Checkout.Session;
		expect(completed).toMatchObject({ id: session.id, client_reference_id: 'ORD-42', status: 'complete', payment_status: 'paid', subscription: subscription.id, customer: customer.id });
		expect(() => stripe.webhooks.constructEvent(received[3].raw, received[3].signature, 'whsec_other')).toThrow(/signature/i);
		expect((await pay(session.id, { outcome: 'success' })).status).toBe(400);
	});

	it('a trial is complete with no payment required', async () => {
		const session = await newSession({ subscription_data: { trial_period_days: 14 } });
		expect(session.amount_total).toBe(0);
		expect((await pay(session.id, { outcome: 'success' })).body).toMatchObject({ payment_status: 'no_payment_required' });
		expect((await stripe.subscriptions.retrieve(fake.store.find('checkout.session', session.id).subscription)).status).toBe('trialing');
	});

	it('async: complete but unpaid, then async_payment_succeeded or async_payment_failed', async () => {
		const first = await newSession();
		expect((await pay(first.id, { outcome: 'async' })).body).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
		const subscriptionId = fake.store.find('checkout.session', first.id).subscription;
		expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('incomplete');
		expect((await admin(`/__sandbox/checkout/sessions/${first.id}/settle`, { result: 'succeeded' })).body).toMatchObject({ payment_status: 'paid' });
		expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('active');
		expect(await types()).toEqual(['customer.created', 'customer.subscription.created', 'checkout.session.completed', 'customer.subscription.updated', 'invoice.paid', 'checkout.session.async_payment_succeeded']);

		received = [];
		const second = await newSession();
		await pay(second.id, { outcome: 'async' });
		expect((await admin(`/__sandbox/checkout/sessions/${second.id}/settle`, { result: 'failed' })).body).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
		expect((await types()).slice(-2)).toEqual(['invoice.payment_failed', 'checkout.session.async_payment_failed']);
		expect((await admin(`/__sandbox/checkout/sessions/${first.id}/settle`, { result: 'failed' })).status).toBe(400);
	});

	it.each([
		['soft_decline', { card: '4000000000009995' }, 'insufficient_funds', 'try_again_later'],
		['hard_decline', { outcome: 'hard_decline' }, 'stolen_card', 'do_not_try_again'],
	])('%s: Stripe’s card error, session still open, invoice.payment_failed; paying again completes it', async (_name, input, declineCode, adviceCode) => {
		const session = await newSession();
		const declined = await pay(session.id, input);
		expect(declined.status).toBe(402);
		expect(declined.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: declineCode, advice_code: adviceCode, charge: expect.stringMatching(/^ch_/), doc_url: 'https://stripe.com/docs/error-codes/card-declined' });
		expect(declined.body.error.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { decline_code: declineCode } });
		expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
		expect(await stripe.charges.retrieve(declined.body.error.charge)).toMatchObject({ status: 'failed', failure_code: 'card_declined', outcome: { reason: declineCode } });
		const failed = (await events()).find((e) => e.type === 'invoice.payment_failed')!.data.object as Stripe.Invoice;
		expect(failed).toMatchObject({ status: 'open', attempt_count: 1, billing_reason: 'subscription_create' });
		// The open session names its incomplete subscription: found by it, as an invoice.payment_failed handler would.
		const subscriptionId = failed.parent!.subscription_details!.subscription as string;
		expect((await stripe.checkout.sessions.list({ subscription: subscriptionId })).data.map((s) => [s.id, s.status])).toEqual([[session.id, 'open']]);
		expect((await stripe.checkout.sessions.list({ subscription: 'sub_other' })).data).toEqual([]);
		expect((await pay(session.id, input)).status).toBe(402);
		const again = (await events()).filter((e) => e.type === 'invoice.payment_failed').map((e) => (e.data.object as Stripe.Invoice).attempt_count);
		// Stripe: "any payment attempt counts as the first attempt"; a customer's second try does not add to it.
		expect(again).toEqual([1, 1]);

		expect((await pay(session.id, { outcome: 'success' })).body).toMatchObject({ status: 'complete', payment_status: 'paid' });
		expect(fake.store.all('customer')).toHaveLength(1);
		expect(fake.store.all('subscription').map((s: any) => s.status)).toEqual(['active']);
	});

	it('expires an open session (API or hosted page) and only an open one', async () => {
		const viaApi = await newSession();
		expect(await stripe.checkout.sessions.expire(viaApi.id)).toMatchObject({ status: 'expired', url: null });
		await expect(stripe.checkout.sessions.expire(viaApi.id)).rejects.toMatchObject({ statusCode: 400 });
		expect((await pay(viaApi.id, { outcome: 'success' })).status).toBe(400);
		const viaPage = await newSession();
		const form = await fetch(`${base}/__sandbox/checkout/sessions/${viaPage.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=expire', redirect: 'manual' });
		expect(form.status).toBe(303);
		expect(form.headers.get('location')).toBe('https://app.test/cancel');
		const expired = (await events()).filter((e) => e.type === 'checkout.session.expired').map((e) => (e.data.object as any).id);
		expect(expired).toEqual([viaApi.id, viaPage.id]);
		const paid = await newSession();
		await pay(paid.id, { outcome: 'success' });
		await expect(stripe.checkout.sessions.expire(paid.id)).rejects.toMatchObject({ statusCode: 400, param: 'session', message: expect.stringContaining('has a status of "complete"') });
		expect((await stripe.checkout.sessions.retrieve(paid.id)).status).toBe('complete');
	});

	it('redelivers an event until the endpoint answers 2xx, and gives up after four attempts', async () => {
		failNext = 2;
		const session = await newSession();
		await pay(session.id, { outcome: 'success' });
		expect(await types()).toContain('checkout.session.completed');
		const first = fake.webhooks.deliveries()[0];
		expect(first.attempts.map((a: any) => a.status)).toEqual([500, 500, 200]);
		expect(first.delivered).toBe(true);
		const unreachable = fake.webhooks.add({ url: 'http://127.0.0.1:9/closed', enabledEvents: ['checkout.session.expired'] });
		await stripe.checkout.sessions.expire((await newSession()).id);
		await fake.webhooks.idle();
		const lost = fake.webhooks.deliveries().filter((d: any) => d.endpoint === unreachable.id);
		expect(lost).toHaveLength(1);
		expect(lost[0]).toMatchObject({ type: 'checkout.session.expired', delivered: false });
		expect(lost[0].attempts).toHaveLength(4);
	});
});
