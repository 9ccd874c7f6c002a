/**
 * Seed 004 in the self-service signup template, run in-process against the sandbox: a card declined on Stripe's
 * Checkout page sends invoice.payment_failed to the Stripe Trigger. A soft decline may be retried once; past that, or
 * for a hard decline, the template expires the checkout, and the checkout.session.expired Stripe then sends emails
 * the customer the hard-decline message. A renewal decline is left to Stripe. Nothing is provisioned on any path.
 * (The other self-service cases are in selfService.test.ts.)
 */
import type Stripe from 'stripe';
import { freshDataDir, template } from './context';
import { openSelfServiceStack, withConfig, type DeliveredEvent, type SelfServiceStack, type Signup } from './selfServiceKit';

const { buildStripeEvent, signStripePayload } = require('../../sandbox/stripe/events');

const signupTemplate = template('self-service-signup.json');
const HARD_MESSAGE = 'Your payment could not be processed. Please check your card details or try a different card.';

let stack: SelfServiceStack;

beforeAll(async () => {
	stack = await openSelfServiceStack();
});
afterAll(async () => {
	await stack?.cleanUp().catch(() => undefined);
	await stack?.close();
});
beforeEach(async () => {
	await stack.sb.reset();
	stack.sb.clearFaults();
});

const superAdminWrites = () => (stack.sb.requests().superAdmin ?? []).filter((request) => request.method !== 'GET');
const stripeWrites = () => (stack.sb.requests().stripe ?? []).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
const sessionStatus = async (signup: Signup) => (await stack.stripe.checkout.sessions.retrieve(signup.sessionId)).status;

/** The signup's first invoice (its incomplete subscription's), which a declined attempt leaves open. */
async function invoiceOf(signup: Signup): Promise<string> {
	const session = await stack.stripe.checkout.sessions.retrieve(signup.sessionId);
	const subscription = await stack.stripe.subscriptions.retrieve(String(session.subscription));
	return String(subscription.latest_invoice);
}

/** Pays with a declined card and returns the invoice.payment_failed Stripe sent for that attempt (the newest). */
async function decline(signup: Signup, outcome: 'soft_decline' | 'hard_decline'): Promise<DeliveredEvent> {
	expect((await stack.pay(signup.sessionId, outcome)).status).toBe(402);
	const invoiceId = await invoiceOf(signup);
	await stack.event('invoice.payment_failed', invoiceId);
	const attempts = await stack.stripe.invoices.retrieve(invoiceId);
	const delivered = stack.events(invoiceId).filter((event) => event.type === 'invoice.payment_failed');
	// Stripe counts only its own automatic retries after the first attempt: a customer's second try stays at 1.
	expect(attempts.attempt_count).toBe(1);
	return delivered[delivered.length - 1];
}

const deliver = async (event: DeliveredEvent, workflow = signupTemplate) => {
	const { run } = await stack.deliver(workflow, event);
	expect(run?.error?.message).toBeUndefined();
	expect(run?.status).toBe('success');
	return run!;
};

describe('a card declined on the Checkout page (invoice.payment_failed)', () => {
	it('first soft decline: a receipt, nothing expired, the customer may retry on Stripe’s page', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('grassroots');
		const run = await deliver(await decline(signup, 'soft_decline'));

		expect(run.executedNodes).toEqual(expect.arrayContaining(['Get Invoice Decline', 'Decline Decision', 'Declines So Far', 'Decline Count', 'Receipt: Card Declined', 'End Checkout?', 'Customer May Retry']));
		expect(run.executedNodes).not.toContain('Expire Checkout');
		expect(run.executedNodes).not.toContain('Get Failed Checkout');
		expect(run.nodeOutput('Decline Decision')[0]).toMatchObject({ severity: 'soft', attemptCount: 1, billingReason: 'subscription_create', duringCheckout: true });
		expect(run.nodeOutput('Decline Count')[0]).toEqual({ declineNumber: 1, endCheckout: false });
		expect(await sessionStatus(signup)).toBe('open');
		expect(stripeWrites().filter((write) => write.endsWith('/expire'))).toEqual([]);

		const receipts = await ledger.list(signup.businessKey);
		expect(receipts.map((r) => r.workflow_step)).toEqual(['billing.checkout.declined']);
		expect(receipts[0].resource_ref).toBe(await invoiceOf(signup));
		expect(receipts[0].policy_decision).toMatchObject({ severity: 'soft', declineNumber: 1, retriesAfterSoftDecline: 1, endCheckout: false, declineCode: 'insufficient_funds' });
		expect(stack.sb.mail.messages()).toEqual([]);
		expect(superAdminWrites()).toEqual([]);
	});

	it('second soft decline: the checkout is expired, and the expired event emails the hard-decline message', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('grassroots');
		await deliver(await decline(signup, 'soft_decline'));
		const run = await deliver(await decline(signup, 'soft_decline'));

		// Stripe's attempt_count is still 1; the signup's own decline receipts make this the second decline.
		expect(run.nodeOutput('Decline Decision')[0]).toMatchObject({ severity: 'soft', attemptCount: 1 });
		expect(run.nodeOutput('Decline Count')[0]).toEqual({ declineNumber: 2, endCheckout: true });
		expect(run.nodeOutput('Expire Checkout')[0]).toMatchObject({ id: signup.sessionId, status: 'expired', expiredNow: true, sessionFound: true });
		expect(await sessionStatus(signup)).toBe('expired');
		const receipts = await ledger.list(signup.businessKey);
		expect(receipts.map((r) => r.workflow_step)).toEqual(['billing.checkout.declined', 'billing.checkout.declined', 'billing.checkout.expire']);
		expect(receipts[1].policy_decision).toMatchObject({ severity: 'soft', declineNumber: 2, endCheckout: true });
		expect(receipts[2].resource_ref).toBe(signup.sessionId);

		const expired = await deliver(await stack.event('checkout.session.expired', signup.sessionId));
		expect(expired.executedNodes).toContain('Email: Payment Failed');
		const [mail, ...more] = await stack.sb.mail.waitFor(1);
		expect(more).toEqual([]);
		expect(mail.to).toContain(signup.email);
		expect(mail.text).toContain(HARD_MESSAGE);
		expect(mail.text).toContain('You have not been charged and no academy was set up.');
		expect(superAdminWrites()).toEqual([]);
	});

	it('hard decline: the checkout is expired at once, then the customer is emailed why', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('professional');
		const run = await deliver(await decline(signup, 'hard_decline'));

		expect(run.nodeOutput('Decline Decision')[0]).toMatchObject({ severity: 'hard', attemptCount: 1, declineCode: 'stolen_card' });
		expect(run.nodeOutput('Decline Count')[0]).toEqual({ declineNumber: 1, endCheckout: true });
		expect(run.nodeOutput('Expire Checkout')[0]).toMatchObject({ id: signup.sessionId, status: 'expired', expiredNow: true });
		expect(await sessionStatus(signup)).toBe('expired');
		expect((await ledger.list(signup.businessKey)).map((r) => [r.workflow_step, (r.policy_decision as any)?.severity ?? null])).toEqual([
			['billing.checkout.declined', 'hard'],
			['billing.checkout.expire', null],
		]);

		await deliver(await stack.event('checkout.session.expired', signup.sessionId));
		const [mail] = await stack.sb.mail.waitFor(1);
		expect(mail.to).toContain(signup.email);
		expect(mail.text).toContain(HARD_MESSAGE);
		expect(superAdminWrites()).toEqual([]);
	});

	it('another product sold through the same Stripe account (a support contract) is ignored: declined, paid or expired', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('support');
		const declined = await deliver(await decline(signup, 'hard_decline'));
		expect(declined.executedNodes).toContain('Another Product (Ignored)');
		expect(declined.executedNodes).not.toContain('Which Event?');
		expect(await sessionStatus(signup)).toBe('open');
		expect((await stack.pay(signup.sessionId, 'success')).status).toBe(200);
		const paid = await deliver(await stack.event('checkout.session.completed', signup.sessionId));
		expect(paid.executedNodes).toContain('Another Product (Ignored)');
		expect(paid.executedNodes).not.toContain('Create Tenant');
		expect(await ledger.list(signup.businessKey)).toEqual([]);
		expect(stripeWrites().filter((write) => write.includes('/refunds') || write.endsWith('/expire'))).toEqual([]);
		expect(superAdminWrites()).toEqual([]);
		expect(stack.sb.mail.messages()).toEqual([]);
	});

	it('hard decline with Config.payments.endCheckoutOnHardDecline off: recorded, the checkout stays open', async () => {
		const { ledger } = freshDataDir();
		const lenient = withConfig(signupTemplate, { payments: { endCheckoutOnHardDecline: false } });
		const signup = await stack.signup('grassroots');
		const run = await deliver(await decline(signup, 'hard_decline'), lenient);
		expect(run.executedNodes).toContain('Customer May Retry');
		expect(run.executedNodes).not.toContain('Expire Checkout');
		expect(await sessionStatus(signup)).toBe('open');
		expect((await ledger.list(signup.businessKey)).map((r) => r.workflow_step)).toEqual(['billing.checkout.declined']);
	});
});

describe('payment failures that are not a checkout decline', () => {
	it('a renewal declined (billing_reason subscription_cycle): left to Stripe’s retries and dunning, nothing recorded', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('grassroots');
		expect((await stack.pay(signup.sessionId, 'success')).status).toBe(200);
		const session = await stack.stripe.checkout.sessions.retrieve(signup.sessionId);
		const paid = await stack.stripe.invoices.retrieve(String(session.invoice));
		// The fake has no billing cycles: the renewal's invoice is its first one as the next period would bill it, and
		// Stripe's answer for its payments (a hard decline) is stubbed.
		const renewal = { ...paid, id: 'in_renewal_1', status: 'open', billing_reason: 'subscription_cycle', attempt_count: 1, amount_paid: 0 } as Stripe.Invoice;
		const intent = { id: 'pi_renewal_1', object: 'payment_intent', status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'stolen_card', advice_code: 'do_not_try_again' } };
		stack.sb.addFault('stripe', {
			route: 'GET /v1/invoice_payments',
			times: 1,
			fault: { status: 200, body: { object: 'list', has_more: false, url: '/v1/invoice_payments', data: [{ id: 'inpay_renewal_1', object: 'invoice_payment', created: 1, invoice: renewal, payment: { type: 'payment_intent', payment_intent: intent } }] } },
		});
		const rawBody = JSON.stringify(buildStripeEvent('invoice.payment_failed', renewal));
		const event: DeliveredEvent = { id: JSON.parse(rawBody).id, type: 'invoice.payment_failed', objectId: renewal.id!, rawBody, headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(rawBody, String(stack.sb.credentials.stripeWebhookApi.signingSecret)) } };
		const writesBefore = stripeWrites().length;
		const run = await deliver(event);

		expect(run.nodeOutput('Decline Decision')[0]).toMatchObject({ severity: 'hard', billingReason: 'subscription_cycle', duringCheckout: false });
		expect(run.executedNodes).toContain('Not a Checkout Decline');
		expect(run.executedNodes).not.toContain('Receipt: Card Declined');
		expect(run.executedNodes).not.toContain('Get Failed Checkout');
		expect(stripeWrites().slice(writesBefore)).toEqual([]);
		expect(await sessionStatus(signup)).toBe('complete');
		expect(await ledger.list(signup.businessKey)).toEqual([]);
		expect(stack.sb.mail.messages()).toEqual([]);
	});

	it('a bank debit returned (no card decline): its invoice.payment_failed does nothing (async_payment_failed is the one that tells the customer)', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('grassroots');
		await stack.pay(signup.sessionId, 'async');
		await stack.settle(signup.sessionId, 'failed');
		const invoiceId = String((await stack.stripe.checkout.sessions.retrieve(signup.sessionId)).invoice);
		const run = await deliver(await stack.event('invoice.payment_failed', invoiceId));
		expect(run.nodeOutput('Decline Decision')[0]).toMatchObject({ billingReason: 'subscription_create', duringCheckout: false });
		expect(run.executedNodes).toContain('Not a Checkout Decline');
		expect(run.executedNodes).not.toContain('Get Failed Checkout');
		expect(await ledger.list(signup.businessKey)).toEqual([]);
		expect(stack.sb.mail.messages()).toEqual([]);
	});
});
