import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { createCheckoutSession, withSessionIdPlaceholder, type CreateCheckoutSessionInput } from '../checkoutSessionCreate';
import { getCheckoutSession } from '../checkoutSessionGet';
import { BASE, list, makeClient, price, reply, stripeError, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const input: CreateCheckoutSessionInput = {
	businessKey: 'SIGNUP-42',
	tier: 'professional',
	lineItems: [{ lookupKey: 'pro_monthly', quantity: 3 }, { lookupKey: 'api_calls' }],
	customerEmail: 'owner@academy.test',
	successUrl: 'https://app.example.com/welcome?plan=pro',
	cancelUrl: 'https://app.example.com/plans',
	trialPeriodDays: 14,
};

const catalog = () =>
	list([
		price('price_pro', { lookup_key: 'pro_monthly', recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' } }),
		price('price_calls', { lookup_key: 'api_calls', unit_amount: null, recurring: { interval: 'month', interval_count: 1, usage_type: 'metered' } }),
	]);

function session(id: string, extra: Record<string, unknown> = {}) {
	return {
		id,
		object: 'checkout.session',
		url: `https://checkout.stripe.com/c/pay/${id}`,
		status: 'open',
		payment_status: 'unpaid',
		mode: 'subscription',
		client_reference_id: 'SIGNUP-42',
		client_secret: 'cs_secret_must_not_leak',
		customer: null,
		customer_email: 'owner@academy.test',
		customer_details: null,
		subscription: null,
		invoice: null,
		amount_total: 15000,
		currency: 'usd',
		livemode: false,
		created: 1_700_000_000,
		expires_at: 1_700_086_400,
		metadata: { q2c_business_key: 'SIGNUP-42', q2c_tier: 'professional' },
		...extra,
	};
}

describe('createCheckoutSession', () => {
	it('creates a subscription-mode session priced by lookup key, metered items without quantity, keyed by the business key', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.reply(reply(calls, 200, catalog()))
			.post('/v1/checkout/sessions')
			.reply(reply(calls, 200, session('cs_test_1')));
		const result = await createCheckoutSession(makeClient().client, input);

		const post = calls[1];
		expect(post.body).toEqual({
			mode: 'subscription',
			client_reference_id: 'SIGNUP-42',
			'line_items[0][price]': 'price_pro',
			'line_items[0][quantity]': '3',
			'line_items[1][price]': 'price_calls',
			success_url: 'https://app.example.com/welcome?plan=pro&session_id={CHECKOUT_SESSION_ID}',
			cancel_url: 'https://app.example.com/plans',
			customer_email: 'owner@academy.test',
			'metadata[q2c_tier]': 'professional',
			'metadata[q2c_business_key]': 'SIGNUP-42',
			'metadata[q2c_step]': 'billing.checkout.create',
			'subscription_data[metadata][q2c_tier]': 'professional',
			'subscription_data[metadata][q2c_business_key]': 'SIGNUP-42',
			'subscription_data[metadata][q2c_step]': 'billing.checkout.create',
			'subscription_data[trial_period_days]': '14',
		});
		expect(post.headers['idempotency-key']).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.create'));
		expect(result).toEqual({
			id: 'cs_test_1',
			url: 'https://checkout.stripe.com/c/pay/cs_test_1',
			status: 'open',
			paymentStatus: 'unpaid',
			expiresAt: new Date(1_700_086_400 * 1000).toISOString(),
			mode: 'subscription',
			businessKey: 'SIGNUP-42',
			tier: 'professional',
			customerId: null,
			customerEmail: 'owner@academy.test',
			subscriptionId: null,
			subscriptionStatus: null,
			invoiceId: null,
			amountTotal: 15000,
			currency: 'usd',
			livemode: false,
			createdAt: new Date(1_700_000_000 * 1000).toISOString(),
			created: true,
			replacedSessionId: null,
		});
		expect(JSON.stringify(result)).not.toContain('cs_secret_must_not_leak');
	});

	it('sends the customer id instead of an email and defaults a licensed quantity to 1', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/prices').query(true).reply(200, catalog()).post('/v1/checkout/sessions').reply(reply(calls, 200, session('cs_test_2', { customer: 'cus_9' })));
		const result = await createCheckoutSession(makeClient().client, {
			...input,
			customerEmail: undefined,
			customerId: 'cus_9',
			lineItems: [{ lookupKey: 'pro_monthly' }],
			successUrl: 'http://localhost:5678/done?session={CHECKOUT_SESSION_ID}',
		});
		expect(calls[0].body).toMatchObject({ customer: 'cus_9', 'line_items[0][quantity]': '1', success_url: 'http://localhost:5678/done?session={CHECKOUT_SESSION_ID}' });
		expect(calls[0].body.customer_email).toBeUndefined();
		expect(result.customerId).toBe('cus_9');
	});

	it('returns the stored session on a repeat (idempotent replay re-read as it is now), creating no second one', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.reply(200, catalog())
			.post('/v1/checkout/sessions')
			.reply(reply(calls, 200, session('cs_test_1'), { 'Idempotent-Replayed': 'true' }))
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(reply(calls, 200, session('cs_test_1', { status: 'complete', payment_status: 'paid', url: null, subscription: 'sub_1' })));
		const result = await createCheckoutSession(makeClient().client, input);
		expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
		expect(result).toMatchObject({ id: 'cs_test_1', created: false, status: 'complete', paymentStatus: 'paid', subscriptionId: 'sub_1', replacedSessionId: null });
	});

	it('replaces an expired replayed session with one keyed by the expired session id', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.reply(200, catalog())
			.post('/v1/checkout/sessions')
			.reply(reply(calls, 200, session('cs_test_old'), { 'Idempotent-Replayed': 'true' }))
			.get('/v1/checkout/sessions/cs_test_old')
			.reply(reply(calls, 200, session('cs_test_old', { status: 'expired', url: null })))
			.post('/v1/checkout/sessions')
			.reply(reply(calls, 200, session('cs_test_new')));
		const result = await createCheckoutSession(makeClient().client, input);
		expect(calls[2].headers['idempotency-key']).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.create.after-cs_test_old'));
		expect(calls[2].body).toEqual(calls[0].body);
		expect(result).toMatchObject({ id: 'cs_test_new', created: true, replacedSessionId: 'cs_test_old', status: 'open' });
	});

	it('looks prices up again when Stripe refuses a cached one, and creates with the fresh price under its own key', async () => {
		const calls: Captured[] = [];
		const moved = list([price('price_pro_v2', { lookup_key: 'pro_monthly', recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' } })]);
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.reply(reply(calls, 200, catalog()))
			.post('/v1/checkout/sessions')
			.reply(reply(calls, 400, stripeError('invalid_request_error', 'The price specified is inactive.', { param: 'line_items[0][price]' })))
			.get('/v1/prices')
			.query(true)
			.reply(reply(calls, 200, moved))
			.post('/v1/checkout/sessions')
			.reply(reply(calls, 200, session('cs_test_3')));
		const result = await createCheckoutSession(makeClient().client, { ...input, lineItems: [{ lookupKey: 'pro_monthly' }] });
		expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
		expect(calls[3].body['line_items[0][price]']).toBe('price_pro_v2');
		expect(calls[3].headers['idempotency-key']).not.toBe(calls[1].headers['idempotency-key']);
		expect(result).toMatchObject({ id: 'cs_test_3', created: true });
	});

	it('surfaces a refused price as the validation error when a fresh lookup prices the same', async () => {
		nock(BASE)
			.get('/v1/prices')
			.query(true)
			.times(2)
			.reply(200, catalog())
			.post('/v1/checkout/sessions')
			.reply(400, stripeError('invalid_request_error', 'The price specified is inactive.', { param: 'line_items[0][price]' }));
		await expect(createCheckoutSession(makeClient().client, { ...input, lineItems: [{ lookupKey: 'pro_monthly' }] })).rejects.toMatchObject({
			kind: 'validation',
			field: 'line_items[0][price]',
		});
	});

	it('refuses a quantity on a metered price before creating anything', async () => {
		const calls: Captured[] = [];
		nock(BASE).get('/v1/prices').query(true).reply(reply(calls, 200, catalog())).post('/v1/checkout/sessions').reply(reply(calls, 200, session('cs_x')));
		await expect(createCheckoutSession(makeClient().client, { ...input, lineItems: [{ lookupKey: 'api_calls', quantity: 2 }] })).rejects.toMatchObject({
			kind: 'validation',
			field: 'checkout.lineItems.0.quantity',
		});
		expect(calls.map((c) => c.method)).toEqual(['GET']);
	});

	it('reports an unknown lookup key as not_found naming the line item', async () => {
		nock(BASE).get('/v1/prices').query(true).reply(200, list([]));
		await expect(createCheckoutSession(makeClient().client, { ...input, lineItems: [{ lookupKey: 'gone' }] })).rejects.toMatchObject({
			kind: 'not_found',
			field: 'checkout.lineItems.0.lookupKey',
		});
	});

	it.each([
		['successUrl', { successUrl: 'http://app.example.com/ok' }],
		['successUrl', { successUrl: 'javascript:alert(1)' }],
		['cancelUrl', { cancelUrl: 'not a url' }],
		['cancelUrl', { cancelUrl: 'https://user:pw@app.example.com/plans' }],
		['customerEmail', { customerId: 'cus_1' }],
		['lineItems', { lineItems: [] }],
		['lineItems.0.quantity', { lineItems: [{ lookupKey: 'pro_monthly', quantity: 0 }] }],
		['tier', { tier: ' ' }],
		['trialPeriodDays', { trialPeriodDays: 1.5 }],
		['businessKey', { businessKey: '' }],
	])('rejects a bad %s before any request', async (field, patch) => {
		// No interceptors and no network: a request would fail as a transient error, not a validation one.
		await expect(createCheckoutSession(makeClient().client, { ...input, ...patch } as CreateCheckoutSessionInput)).rejects.toMatchObject({
			kind: 'validation',
			field: `checkout.${field}`,
		});
	});
});

describe('withSessionIdPlaceholder', () => {
	it.each([
		['https://a.test/ok', 'https://a.test/ok?session_id={CHECKOUT_SESSION_ID}'],
		['https://a.test/ok?x=1', 'https://a.test/ok?x=1&session_id={CHECKOUT_SESSION_ID}'],
		['https://a.test/ok?', 'https://a.test/ok?session_id={CHECKOUT_SESSION_ID}'],
		['https://a.test/ok#done', 'https://a.test/ok?session_id={CHECKOUT_SESSION_ID}#done'],
		['https://a.test/ok?id={CHECKOUT_SESSION_ID}', 'https://a.test/ok?id={CHECKOUT_SESSION_ID}'],
	])('%s → %s', (url, expected) => {
		expect(withSessionIdPlaceholder(url)).toBe(expected);
	});
});

describe('getCheckoutSession', () => {
	it('reads the session with its subscription expanded', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/checkout/sessions/cs_test_1')
			.query(true)
			.reply(
				reply(calls, 200, session('cs_test_1', {
					status: 'complete',
					payment_status: 'paid',
					customer: 'cus_7',
					customer_details: { email: 'paid@academy.test' },
					subscription: { id: 'sub_7', object: 'subscription', status: 'active' },
					invoice: 'in_7',
				})),
			);
		const result = await getCheckoutSession(makeClient().client, { sessionId: 'cs_test_1' });
		expect(new URL(calls[0].path, BASE).searchParams.getAll('expand[0]')).toEqual(['subscription']);
		expect(result).toMatchObject({ paymentStatus: 'paid', status: 'complete', customerId: 'cus_7', customerEmail: 'paid@academy.test', subscriptionId: 'sub_7', subscriptionStatus: 'active', invoiceId: 'in_7' });
		expect(JSON.stringify(result)).not.toContain('cs_secret_must_not_leak');
	});

	it('validates the session id before calling Stripe', async () => {
		await expect(getCheckoutSession(makeClient().client, { sessionId: 'sub_1' })).rejects.toMatchObject({ kind: 'validation', field: 'checkout.sessionId' });
	});
});
