import nock from 'nock';
import Stripe from 'stripe';
import { HARD_DECLINE_MESSAGE } from '../declines';
import { findInvoiceDecline, getInvoicePaymentDecline } from '../invoiceDecline';
import { receiveStripeWebhook, type StripeEventSummary } from '../webhookEvents';
import { BASE, list, makeClient, reply, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const SECRET = 'whsec_currentSigningSecretForTests';
const OLD_SECRET = 'whsec_previousSigningSecretForTests';
const NOW = 1_750_000_000;

function event(type: string, object: Record<string, unknown>, id = 'evt_1') {
	// Pretty-printed like Stripe's own deliveries, so a re-stringified body has other bytes.
	return JSON.stringify({ id, object: 'event', type, created: NOW - 5, livemode: false, api_version: '2026-10-28.endive', data: { object } }, null, 2);
}

function signed(payload: string, secret = SECRET, timestamp = NOW) {
	return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

function receive(payload: string | Buffer, header: string | undefined, extra: { secrets?: string | string[]; toleranceSec?: number; now?: number } = {}) {
	return receiveStripeWebhook({ rawBody: payload, signatureHeader: header, secrets: extra.secrets ?? SECRET, toleranceSec: extra.toleranceSec, now: extra.now ?? NOW * 1000 });
}

const completed = (paymentStatus: string) =>
	event('checkout.session.completed', {
		id: 'cs_test_1',
		object: 'checkout.session',
		client_reference_id: 'SIGNUP-42',
		customer: 'cus_1',
		subscription: 'sub_1',
		invoice: 'in_1',
		payment_intent: null,
		payment_status: paymentStatus,
		amount_total: 15000,
		currency: 'usd',
		metadata: { q2c_business_key: 'SIGNUP-42', q2c_tier: 'professional' },
	});

describe('Stripe webhook signature', () => {
	const payload = completed('paid');

	it('accepts a payload signed by Stripe (generateTestHeaderString) and returns its summary', () => {
		expect(receive(payload, signed(payload))).toMatchObject({ eventId: 'evt_1', outcome: 'payment_confirmed', businessKey: 'SIGNUP-42' });
	});

	it('accepts raw bytes as a Buffer', () => {
		expect(receive(Buffer.from(payload), signed(payload)).eventId).toBe('evt_1');
	});

	it('accepts any configured secret while one is rotated, and any matching v1 in the header', () => {
		expect(receive(payload, signed(payload, OLD_SECRET), { secrets: [SECRET, OLD_SECRET] }).eventId).toBe('evt_1');
		const bothSignatures = `${signed(payload, OLD_SECRET)},v1=${signed(payload, SECRET).split('v1=')[1]}`;
		expect(receive(payload, bothSignatures).eventId).toBe('evt_1');
	});

	it.each([
		['another secret', () => receive(payload, signed(payload, OLD_SECRET))],
		['no header', () => receive(payload, undefined)],
		['a header without v1', () => receive(payload, `t=${NOW}`)],
		['a v0 signature only', () => receive(payload, signed(payload).replace('v1=', 'v0='))],
		['a timestamp older than the tolerance', () => receive(payload, signed(payload, SECRET, NOW - 301))],
		['a body parsed and stringified again', () => receive(JSON.stringify(JSON.parse(payload)), signed(payload))],
		['a body with one byte changed', () => receive(payload.replace('15000', '15001'), signed(payload))],
	])('rejects %s as auth', (_label, run) => {
		expect(run).toThrow(expect.objectContaining({ kind: 'auth', field: 'webhook.signatureHeader' }));
	});

	it('applies a configured tolerance', () => {
		const header = signed(payload, SECRET, NOW - 500);
		expect(() => receive(payload, header)).toThrow(expect.objectContaining({ kind: 'auth' }));
		expect(receive(payload, header, { toleranceSec: 600 }).eventId).toBe('evt_1');
	});

	it('requires a secret and the raw body', () => {
		expect(() => receive(payload, signed(payload), { secrets: [] })).toThrow(expect.objectContaining({ kind: 'validation', field: 'webhook.secrets' }));
		expect(() => receive(payload, signed(payload), { secrets: ' ' })).toThrow(expect.objectContaining({ kind: 'validation', field: 'webhook.secrets' }));
		const parsed = JSON.parse(payload) as unknown as string;
		expect(() => receive(parsed, signed(payload))).toThrow(expect.objectContaining({ kind: 'validation', field: 'webhook.rawBody' }));
	});

	it('never puts the secret into the error', () => {
		try {
			receive(payload, signed(payload, OLD_SECRET));
			throw new Error('expected a rejection');
		} catch (error) {
			expect(JSON.stringify(error)).not.toContain(SECRET);
			expect((error as Error).message).not.toContain(SECRET);
		}
	});

	it('rejects a signed body that is not a Stripe event envelope', () => {
		const notAnEvent = JSON.stringify({ id: 'x', type: 'checkout.session.completed' });
		expect(() => receive(notAnEvent, signed(notAnEvent))).toThrow(expect.objectContaining({ kind: 'validation', field: 'event.id' }));
		expect(() => receive('not json', signed('not json'))).toThrow(expect.objectContaining({ kind: 'validation', field: 'webhook.rawBody' }));
	});
});

describe('Stripe event normalization', () => {
	const summaryOf = (payload: string): StripeEventSummary => receive(payload, signed(payload));

	it.each([
		['paid', 'payment_confirmed'],
		['no_payment_required', 'payment_confirmed'],
		['unpaid', 'payment_pending'],
	])('checkout.session.completed with payment_status %s → %s', (status, outcome) => {
		expect(summaryOf(completed(status))).toEqual({
			eventId: 'evt_1',
			type: 'checkout.session.completed',
			outcome,
			handled: true,
			createdAt: new Date((NOW - 5) * 1000).toISOString(),
			livemode: false,
			objectId: 'cs_test_1',
			businessKey: 'SIGNUP-42',
			tier: 'professional',
			customerId: 'cus_1',
			subscriptionId: 'sub_1',
			checkoutSessionId: 'cs_test_1',
			invoiceId: 'in_1',
			paymentIntentId: null,
			paymentStatus: status,
			subscriptionStatus: null,
			amount: 15000,
			currency: 'usd',
			decline: null,
		});
	});

	it.each([
		['checkout.session.async_payment_succeeded', 'payment_confirmed'],
		['checkout.session.async_payment_failed', 'payment_failed'],
		['checkout.session.expired', 'checkout_expired'],
	])('%s → %s, business key from client_reference_id', (type, outcome) => {
		const summary = summaryOf(event(type, { id: 'cs_test_2', client_reference_id: 'SIGNUP-7', customer: { id: 'cus_2' }, payment_status: 'unpaid', amount_total: 900 }));
		expect(summary).toMatchObject({ type, outcome, handled: true, businessKey: 'SIGNUP-7', customerId: 'cus_2', checkoutSessionId: 'cs_test_2', amount: 900 });
	});

	it('invoice.paid: subscription and business key from invoice.parent.subscription_details', () => {
		const summary = summaryOf(
			event('invoice.paid', {
				id: 'in_9',
				object: 'invoice',
				customer: 'cus_9',
				amount_paid: 4200,
				amount_due: 4200,
				currency: 'eur',
				metadata: {},
				parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_9', metadata: { q2c_business_key: 'SIGNUP-9', q2c_tier: 'grassroots' } } },
			}),
		);
		expect(summary).toMatchObject({ outcome: 'invoice_paid', subscriptionId: 'sub_9', businessKey: 'SIGNUP-9', tier: 'grassroots', invoiceId: 'in_9', amount: 4200, currency: 'eur', paymentStatus: 'paid', decline: null });
	});

	it('invoice.payment_failed: falls back to the legacy invoice.subscription and amount_due', () => {
		const summary = summaryOf(
			event('invoice.payment_failed', { id: 'in_8', customer: 'cus_8', subscription: 'sub_8', amount_paid: 0, amount_due: 4200, currency: 'usd', subscription_details: { metadata: { q2c_business_key: 'SIGNUP-8' } } }),
		);
		expect(summary).toMatchObject({ outcome: 'payment_failed', subscriptionId: 'sub_8', businessKey: 'SIGNUP-8', amount: 4200, paymentStatus: 'failed', decline: null });
	});

	it.each([
		['customer.subscription.created', 'subscription_created', 'incomplete'],
		['customer.subscription.updated', 'subscription_updated', 'active'],
		['customer.subscription.deleted', 'subscription_deleted', 'canceled'],
	])('%s → %s', (type, outcome, status) => {
		const summary = summaryOf(event(type, { id: 'sub_5', object: 'subscription', customer: 'cus_5', status, currency: 'usd', metadata: { q2c_business_key: 'SIGNUP-5', q2c_tier: 'professional' } }));
		expect(summary).toMatchObject({ outcome, handled: true, subscriptionId: 'sub_5', subscriptionStatus: status, businessKey: 'SIGNUP-5', tier: 'professional', customerId: 'cus_5' });
	});

	it('payment_intent.payment_failed carries the hard/soft decline', () => {
		const summary = summaryOf(
			event('payment_intent.payment_failed', {
				id: 'pi_1',
				customer: 'cus_1',
				amount: 15000,
				currency: 'usd',
				metadata: {},
				last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', advice_code: 'try_again_later' },
			}),
		);
		expect(summary).toMatchObject({ outcome: 'payment_failed', paymentIntentId: 'pi_1', amount: 15000 });
		expect(summary.decline).toMatchObject({ severity: 'soft', retryOnce: true, declineCode: 'insufficient_funds', adviceCode: 'try_again_later' });
	});

	it('reports other event types as unhandled, still with their id for dedupe', () => {
		const summary = summaryOf(event('charge.refunded', { id: 'ch_1', customer: 'cus_1' }, 'evt_other'));
		expect(summary).toMatchObject({ eventId: 'evt_other', type: 'charge.refunded', outcome: 'unhandled', handled: false, objectId: 'ch_1' });
	});
});

describe('findInvoiceDecline', () => {
	it("classifies the newest payment attempt's card decline", async () => {
		const calls: Captured[] = [];
		const payment = (id: string, created: number, lastPaymentError: unknown) => ({
			id,
			object: 'invoice_payment',
			created,
			invoice: 'in_8',
			payment: { type: 'payment_intent', payment_intent: { id: `pi_${id}`, object: 'payment_intent', last_payment_error: lastPaymentError } },
		});
		nock(BASE)
			.get('/v1/invoice_payments')
			.query(true)
			.reply(
				reply(calls, 200, list([
					payment('old', 100, { type: 'card_error', decline_code: 'insufficient_funds' }),
					payment('new', 200, { type: 'card_error', code: 'card_declined', decline_code: 'stolen_card' }),
				])),
			);
		const decline = await findInvoiceDecline(makeClient().client, { invoiceId: 'in_8' });
		const query = new URL(calls[0].path, BASE).searchParams;
		expect(query.get('invoice')).toBe('in_8');
		expect(query.get('expand[0]')).toBe('data.payment.payment_intent');
		expect(decline).toMatchObject({ severity: 'hard', retryOnce: false, declineCode: 'stolen_card', customerMessage: HARD_DECLINE_MESSAGE });
	});

	it('reads the invoice in the same call: attempt count, billing reason, status and subscription (getInvoicePaymentDecline)', async () => {
		const calls: Captured[] = [];
		const invoice = { id: 'in_8', object: 'invoice', status: 'open', attempt_count: 2, billing_reason: 'subscription_create', parent: { subscription_details: { subscription: 'sub_8' } } };
		const intent = { id: 'pi_8', object: 'payment_intent', last_payment_error: { type: 'card_error', decline_code: 'insufficient_funds', advice_code: 'try_again_later' } };
		nock(BASE)
			.get('/v1/invoice_payments')
			.query(true)
			.reply(reply(calls, 200, list([{ id: 'inpay_8', object: 'invoice_payment', created: 100, invoice, payment: { type: 'payment_intent', payment_intent: intent } }])));
		const result = await getInvoicePaymentDecline(makeClient().client, { invoiceId: 'in_8' });
		const query = new URL(calls[0].path, BASE).searchParams;
		expect([query.get('expand[0]'), query.get('expand[1]')]).toEqual(['data.payment.payment_intent', 'data.invoice']);
		expect(result).toEqual({
			invoiceId: 'in_8',
			declined: true,
			decline: expect.objectContaining({ severity: 'soft', retryOnce: true, declineCode: 'insufficient_funds', adviceCode: 'try_again_later' }),
			attemptCount: 2,
			billingReason: 'subscription_create',
			invoiceStatus: 'open',
			subscriptionId: 'sub_8',
		});
	});

	it('is null when no attempt was a card decline, and validates the id first', async () => {
		nock(BASE).get('/v1/invoice_payments').query(true).reply(200, list([]));
		expect(await findInvoiceDecline(makeClient().client, { invoiceId: 'in_8' })).toBeNull();
		await expect(findInvoiceDecline(makeClient().client, { invoiceId: 'cs_1' })).rejects.toMatchObject({ kind: 'validation', field: 'invoice.invoiceId' });
	});
});
