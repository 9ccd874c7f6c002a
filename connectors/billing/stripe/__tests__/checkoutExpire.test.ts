import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { CHECKOUT_EXPIRE_STEP, expireCheckoutSession, expireSubscriptionCheckout, findOpenCheckoutSession } from '../checkoutSessionExpire';
import { BASE, list, makeClient, reply, stripeError, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

function session(id: string, status = 'open', extra: Record<string, unknown> = {}) {
	return {
		id,
		object: 'checkout.session',
		url: status === 'open' ? `https://checkout.stripe.com/c/pay/${id}` : null,
		status,
		payment_status: status === 'complete' ? 'paid' : 'unpaid',
		mode: 'subscription',
		client_reference_id: 'SIGNUP-42',
		client_secret: 'cs_secret_must_not_leak',
		customer: null,
		customer_email: 'owner@academy.test',
		subscription: 'sub_1',
		invoice: null,
		amount_total: 2900,
		currency: 'gbp',
		livemode: false,
		created: 1_700_000_000,
		expires_at: 1_700_086_400,
		metadata: { q2c_business_key: 'SIGNUP-42' },
		...extra,
	};
}

const notOpen = (status: string) =>
	stripeError('invalid_request_error', `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${status}".`, { param: 'session' });

describe('expireCheckoutSession', () => {
	it('expires an open session once, keyed by the business key, the step and the session', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(reply(calls, 200, session('cs_test_1')))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(reply(calls, 200, session('cs_test_1', 'expired')));
		const result = await expireCheckoutSession(makeClient().client, { businessKey: 'SIGNUP-42', sessionId: 'cs_test_1' });

		expect(CHECKOUT_EXPIRE_STEP).toBe('billing.checkout.expire');
		expect(calls[1].headers['idempotency-key']).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.expire.cs_test_1'));
		expect(calls[1].body).toEqual({});
		expect(result).toMatchObject({ id: 'cs_test_1', status: 'expired', url: null, businessKey: 'SIGNUP-42', subscriptionId: 'sub_1', expiredNow: true });
		expect(JSON.stringify(result)).not.toContain('cs_secret_must_not_leak');
	});

	it('retries a 5xx with the same idempotency key', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1'))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(reply(calls, 500, stripeError('api_error', 'boom')))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(reply(calls, 200, session('cs_test_1', 'expired')));
		const { client, sleeps } = makeClient();
		expect(await expireCheckoutSession(client, { businessKey: 'SIGNUP-42', sessionId: 'cs_test_1' })).toMatchObject({ expiredNow: true });
		expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([calls[0].headers['idempotency-key'], calls[0].headers['idempotency-key']]);
		expect(sleeps).toHaveLength(1);
	});

	it('returns an already-expired session as it is, sending nothing', async () => {
		nock(BASE).get('/v1/checkout/sessions/cs_test_1').reply(200, session('cs_test_1', 'expired'));
		expect(await expireCheckoutSession(makeClient().client, { businessKey: 'SIGNUP-42', sessionId: 'cs_test_1' })).toMatchObject({ status: 'expired', expiredNow: false });
	});

	it('refuses a complete session as a conflict naming it', async () => {
		nock(BASE).get('/v1/checkout/sessions/cs_test_paid').reply(200, session('cs_test_paid', 'complete'));
		await expect(expireCheckoutSession(makeClient().client, { businessKey: 'SIGNUP-42', sessionId: 'cs_test_paid' })).rejects.toMatchObject({
			kind: 'conflict',
			field: 'checkout.sessionId',
			message: 'Checkout Session cs_test_paid is complete (the customer paid): it cannot be expired',
			details: { sessionId: 'cs_test_paid', status: 'complete', paymentStatus: 'paid' },
		});
	});

	it.each([
		['expired meanwhile: returned as it is', 'expired', { status: 'expired', expiredNow: false }],
		['paid meanwhile: a conflict', 'complete', null],
	])('when Stripe refuses the expire because the session %s', async (_name, nowStatus, expected) => {
		nock(BASE)
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1'))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(400, notOpen(nowStatus))
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1', nowStatus));
		const call = expireCheckoutSession(makeClient().client, { businessKey: 'SIGNUP-42', sessionId: 'cs_test_1' });
		if (expected) await expect(call).resolves.toMatchObject(expected);
		else await expect(call).rejects.toMatchObject({ kind: 'conflict', field: 'checkout.sessionId' });
	});

	it("passes Stripe's refusal on when the session is still open", async () => {
		nock(BASE)
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1'))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(400, stripeError('invalid_request_error', 'Something else', { param: 'session' }))
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1'));
		await expect(expireCheckoutSession(makeClient().client, { businessKey: 'SIGNUP-42', sessionId: 'cs_test_1' })).rejects.toMatchObject({ kind: 'validation', field: 'session' });
	});

	it('validates before any call: the session id and the business key', async () => {
		const { client } = makeClient();
		await expect(expireCheckoutSession(client, { businessKey: 'SIGNUP-42', sessionId: 'sub_1' })).rejects.toMatchObject({ kind: 'validation', field: 'checkout.sessionId' });
		await expect(expireCheckoutSession(client, { businessKey: ' ', sessionId: 'cs_test_1' })).rejects.toMatchObject({ kind: 'validation', field: 'checkout.businessKey' });
	});
});

describe("a subscription's Checkout Session", () => {
	it('finds the open one by subscription (filtered here, by status), or null', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/checkout/sessions')
			.query(true)
			.reply(reply(calls, 200, list([session('cs_test_old', 'expired'), session('cs_test_open')])))
			.get('/v1/checkout/sessions')
			.query(true)
			.reply(200, list([session('cs_test_done', 'complete')]));
		const { client } = makeClient();
		expect(await findOpenCheckoutSession(client, { subscriptionId: 'sub_1' })).toMatchObject({ id: 'cs_test_open', status: 'open' });
		expect(Object.fromEntries(new URL(calls[0].path, BASE).searchParams)).toEqual({ subscription: 'sub_1', limit: '10' });
		expect(await findOpenCheckoutSession(client, { subscriptionId: 'sub_1' })).toBeNull();
		await expect(findOpenCheckoutSession(client, { subscriptionId: 'cs_test_1' })).rejects.toMatchObject({ kind: 'validation', field: 'checkout.subscriptionId' });
	});

	it('expires the open one; returns one that already ended (paid or expired) as it is; null when there is none', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/checkout/sessions')
			.query({ subscription: 'sub_1', limit: '10' })
			.reply(200, list([session('cs_test_open')]))
			.post('/v1/checkout/sessions/cs_test_open/expire')
			.reply(reply(calls, 200, session('cs_test_open', 'expired')))
			.get('/v1/checkout/sessions')
			.query({ subscription: 'sub_2', limit: '10' })
			.reply(200, list([session('cs_test_paid', 'complete', { subscription: 'sub_2' })]))
			.get('/v1/checkout/sessions')
			.query({ subscription: 'sub_3', limit: '10' })
			.reply(200, list([]));
		const { client } = makeClient();
		expect(await expireSubscriptionCheckout(client, { businessKey: 'SIGNUP-42', subscriptionId: 'sub_1' })).toMatchObject({ id: 'cs_test_open', status: 'expired', expiredNow: true });
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.expire.cs_test_open'));
		expect(await expireSubscriptionCheckout(client, { businessKey: 'SIGNUP-42', subscriptionId: 'sub_2' })).toMatchObject({ id: 'cs_test_paid', status: 'complete', expiredNow: false });
		expect(await expireSubscriptionCheckout(client, { businessKey: 'SIGNUP-42', subscriptionId: 'sub_3' })).toBeNull();
	});

	it('a session paid between the lookup and the expire is returned as it is', async () => {
		nock(BASE)
			.get('/v1/checkout/sessions')
			.query(true)
			.reply(200, list([session('cs_test_1')]))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(400, notOpen('complete'))
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1', 'complete'));
		expect(await expireSubscriptionCheckout(makeClient().client, { businessKey: 'SIGNUP-42', subscriptionId: 'sub_1' })).toMatchObject({ status: 'complete', expiredNow: false });
	});
});
