/**
 * The Billing node's decline handling for self-service signups: an invoice's payment decline (hard / soft, with its
 * attempt count and billing reason) and ending a Checkout Session (by ID or by subscription), with its receipt.
 */
import nock from 'nock';
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { idempotencyKey } from '../../connectors/core';
import { executeContext, receiptsIn, recordReceipt, useNockWithoutNetwork, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Billing } from './Billing.node';

// A host and key of this file only: the Stripe client is shared per credential.
const SANDBOX = 'http://stripe-declines.test:12112';
const STRIPE_TEST_CREDENTIAL_VALUE = 'sk_test_declinesSecretKey1234567';
const credentials = { secretKey: STRIPE_TEST_CREDENTIAL_VALUE, baseUrl: SANDBOX };
const node: INode = { id: '1', name: 'Expire Checkout', type: 'n8n-nodes-quote-to-cash.billing', typeVersion: 1, position: [0, 0], parameters: {} };

const store = useTempStore();
useNockWithoutNetwork();

const run = (items: Params[], continueOnFail = false) => new Billing().execute.call(executeContext(items, { node, credentials, continueOnFail, executionId: '31' }));

const session = (id: string, extra: Record<string, unknown> = {}) => ({
	id,
	object: 'checkout.session',
	url: `https://checkout.stripe.com/c/pay/${id}`,
	status: 'open',
	payment_status: 'unpaid',
	mode: 'subscription',
	client_reference_id: 'SIGNUP-42',
	client_secret: 'cs_client_secret_must_not_leak',
	customer: null,
	customer_email: 'owner@academy.test',
	subscription: 'sub_signup',
	invoice: null,
	amount_total: 2900,
	currency: 'gbp',
	livemode: false,
	created: 1_700_000_000,
	expires_at: 1_700_086_400,
	metadata: { q2c_business_key: 'SIGNUP-42', q2c_tier: 'grassroots' },
	...extra,
});
const expired = (id: string) => session(id, { status: 'expired', url: null });

const bySession = (sessionId: string, extra: Params = {}): Params => ({ resource: 'checkout', operation: 'expire', businessKey: 'SIGNUP-42', expireBy: 'session', sessionId, ...extra });
const bySubscription = (subscriptionId: string, extra: Params = {}): Params => ({
	resource: 'checkout',
	operation: 'expire',
	businessKey: 'SIGNUP-42',
	expireBy: 'subscription',
	subscriptionId: { __rl: true, mode: 'id', value: subscriptionId },
	...extra,
});

describe('Billing: Checkout Session expire', () => {
	it('expires an open session by ID with a key from the business key and step, and records its receipt', async () => {
		let key: unknown;
		nock(SANDBOX)
			.get('/v1/checkout/sessions/cs_test_1')
			.reply(200, session('cs_test_1'))
			.post('/v1/checkout/sessions/cs_test_1/expire')
			.reply(function () {
				key = this.req.headers['idempotency-key'];
				return [200, expired('cs_test_1')];
			});
		const [items] = await run([{ ...bySession('cs_test_1'), ...recordReceipt(store.dir, 'SIGNUP-42') }]);

		expect(key).toBe(idempotencyKey('SIGNUP-42', 'billing.checkout.expire.cs_test_1'));
		expect(items[0].json).toMatchObject({ id: 'cs_test_1', status: 'expired', url: null, subscriptionId: 'sub_signup', expiredNow: true, sessionFound: true });
		expect(JSON.stringify(items)).not.toContain('cs_client_secret_must_not_leak');
		const receipts = await receiptsIn(store.dir, 'SIGNUP-42');
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([['billing.checkout.expire', 'cs_test_1']]);
		expect(receipts[0].effect).toEqual({
			type: 'stripe.checkout_session',
			id: 'cs_test_1',
			businessKey: 'SIGNUP-42',
			subscriptionId: 'sub_signup',
			status: 'expired',
			expiredNow: true,
			sessionFound: true,
		});
		expect(items[0].json.receipt).toMatchObject({ id: receipts[0].id, step: 'billing.checkout.expire' });
	});

	it('returns an already-expired session as it is (nothing sent), and refuses a completed one naming it', async () => {
		nock(SANDBOX)
			.get('/v1/checkout/sessions/cs_test_old')
			.reply(200, expired('cs_test_old'))
			.get('/v1/checkout/sessions/cs_test_paid')
			.reply(200, session('cs_test_paid', { status: 'complete', payment_status: 'paid', url: null }));
		const [items] = await run([bySession('cs_test_old')]);
		expect(items[0].json).toMatchObject({ id: 'cs_test_old', status: 'expired', expiredNow: false });

		const error = await run([bySession('cs_test_paid')]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toBe('Checkout Session cs_test_paid is complete (the customer paid): it cannot be expired');
		expect((error as NodeApiError).description).toContain('different state');
	});

	it("finds the subscription's open session and expires it; one paid meanwhile is returned as it is, not refused", async () => {
		let query: Record<string, unknown> = {};
		nock(SANDBOX)
			.get('/v1/checkout/sessions')
			.query((q) => {
				query = q;
				return true;
			})
			.reply(200, { object: 'list', has_more: false, data: [session('cs_test_open')] })
			.post('/v1/checkout/sessions/cs_test_open/expire')
			.reply(200, expired('cs_test_open'))
			.get('/v1/checkout/sessions')
			.query({ subscription: 'sub_paid', limit: '10' })
			.reply(200, { object: 'list', has_more: false, data: [session('cs_test_done', { status: 'complete', payment_status: 'paid', subscription: 'sub_paid' })] });
		const [items] = await run([bySubscription('sub_signup'), bySubscription('sub_paid')]);
		expect(query).toEqual({ subscription: 'sub_signup', limit: '10' });
		expect(items.map((item) => [item.json.id, item.json.status, item.json.expiredNow])).toEqual([
			['cs_test_open', 'expired', true],
			['cs_test_done', 'complete', false],
		]);
	});

	it('says so when the subscription has no Checkout Session (its receipt names the subscription)', async () => {
		nock(SANDBOX).get('/v1/checkout/sessions').query({ subscription: 'sub_api', limit: '10' }).reply(200, { object: 'list', has_more: false, data: [] });
		const [items] = await run([{ ...bySubscription('sub_api'), ...recordReceipt(store.dir, 'SIGNUP-42') }]);
		expect(items[0].json).toMatchObject({ id: null, status: null, businessKey: 'SIGNUP-42', subscriptionId: 'sub_api', expiredNow: false, sessionFound: false });
		const receipts = await receiptsIn(store.dir, 'SIGNUP-42');
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([['billing.checkout.expire', 'sub_api']]);
	});

	it('refuses a wrong ID or a blank business key before calling Stripe', async () => {
		const wrongId = await run([bySession('pi_123')]).catch((e: unknown) => e);
		expect(wrongId).toBeInstanceOf(NodeOperationError);
		expect((wrongId as Error).message).toContain('checkout.sessionId');
		const wrongSubscription = await run([bySubscription('cs_test_1')]).catch((e: unknown) => e);
		expect((wrongSubscription as Error).message).toContain('checkout.subscriptionId');
		const noKey = await run([bySession('cs_test_1', { businessKey: '' })]).catch((e: unknown) => e);
		expect((noKey as Error).message).toContain('checkout.businessKey');
	});

	it('is refused to an AI agent unless the tool opts in', async () => {
		const toolNode = { ...node, type: 'n8n-nodes-quote-to-cash.billingTool' };
		const context = executeContext([bySession('cs_test_1')], { node: toolNode, credentials });
		await expect(new Billing().execute.call(context)).rejects.toThrow('checkout → expire undoes a customer effect, so it is not available to an AI agent');
	});
});

describe('Billing: Invoice payment decline', () => {
	const payment = (created: number, intent: Record<string, unknown>, invoice: unknown = 'in_x') => ({
		id: `inpay_${created}`,
		object: 'invoice_payment',
		created,
		status: 'open',
		invoice,
		payment: { type: 'payment_intent', payment_intent: intent },
	});
	const failedInvoice = {
		id: 'in_failed',
		object: 'invoice',
		status: 'open',
		attempt_count: 2,
		billing_reason: 'subscription_create',
		parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_signup', metadata: {} } },
	};

	it('classifies the newest failed attempt of an invoice (soft: retry once), with its attempt count and billing reason; says when there is none', async () => {
		let expand: string[] = [];
		nock(SANDBOX)
			.get('/v1/invoice_payments')
			.query((q) => {
				if (q.invoice !== 'in_failed') return false;
				expand = [q['expand[0]'], q['expand[1]']].map(String);
				return true;
			})
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					payment(1, { id: 'pi_old', object: 'payment_intent', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'stolen_card' } }, failedInvoice),
					payment(2, { id: 'pi_new', object: 'payment_intent', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } }, failedInvoice),
				],
			})
			.get('/v1/invoice_payments')
			.query((q) => q.invoice === 'in_paid')
			.reply(200, { object: 'list', has_more: false, data: [payment(3, { id: 'pi_ok', object: 'payment_intent', last_payment_error: null })] });
		const [items] = await run([
			{ resource: 'invoice', operation: 'getPaymentDecline', invoiceId: 'in_failed' },
			{ resource: 'invoice', operation: 'getPaymentDecline', invoiceId: 'in_paid' },
		]);
		expect(expand).toEqual(['data.payment.payment_intent', 'data.invoice']);
		expect(items[0].json).toMatchObject({
			invoiceId: 'in_failed',
			declined: true,
			decline: { severity: 'soft', retryOnce: true, declineCode: 'insufficient_funds' },
			attemptCount: 2,
			billingReason: 'subscription_create',
			invoiceStatus: 'open',
			subscriptionId: 'sub_signup',
		});
		// The invoice not expanded (an unexpandable answer): its facts are unknown, not guessed.
		expect(items[1].json).toEqual({ invoiceId: 'in_paid', declined: false, decline: null, attemptCount: null, billingReason: null, invoiceStatus: null, subscriptionId: null });
	});

	it('refuses an ID that is not an invoice before calling Stripe', async () => {
		const error = await run([{ resource: 'invoice', operation: 'getPaymentDecline', invoiceId: 'pi_123' }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('invoiceId');
	});
});
