import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ICredentialTestFunctions, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { signTimestamped } from '../../connectors/core';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';
import { StripeWebhookApi } from '../../credentials/StripeWebhookApi.credentials';
import { stripeWebhookApiTest } from './credentialTest';
import { dedupeStores, MAX_STRIPE_DELIVERY_BYTES } from './handleWebhook';
import { StripeTrigger } from './StripeTrigger.node';

// Test-only values (not secrets).
const SECRET = 'whsec_currentTriggerSecretForTests';
const PREVIOUS = 'whsec_previousTriggerSecretForTests';
const FORGER = 'whsec_someoneElsesSecretForTests';

interface Call {
	payload: string | Buffer;
	header?: string | null;
	events?: string[];
	options?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'stripe-trigger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const nowSec = () => Math.floor(Date.now() / 1000);
// Stripe's own signer is checked against ours in connectors/billing/stripe/__tests__; nodes stay off the SDK.
const sign = (payload: string | Buffer, secret = SECRET, timestamp = nowSec()) => signTimestamped(payload.toString(), secret, timestamp);

function context(call: Call) {
	const response = { statusCode: 200, body: undefined as unknown, headers: {} as Record<string, string> };
	const res = {
		setHeader(name: string, value: string) {
			response.headers[name] = value;
			return res;
		},
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
	};
	const params: Record<string, unknown> = {
		events: call.events ?? [],
		options: { dedupeDir: join(dir, 'dedupe'), evidenceStorePath: join(dir, 'evidence'), ...call.options },
	};
	const header = call.header === undefined ? sign(call.payload) : call.header;
	const raw = Buffer.isBuffer(call.payload) ? call.payload : Buffer.from(call.payload);
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials: async () => call.credentials ?? { signingSecret: SECRET, previousSigningSecret: '', toleranceSeconds: 300 },
		// n8n parses JSON bodies; the trigger must verify the raw bytes, not this.
		getRequestObject: () => ({ rawBody: raw, body: parsedOrText(raw.toString()) }),
		getResponseObject: () => res,
		getHeaderData: () => (header === null ? {} : { 'stripe-signature': header }),
		getWorkflow: () => ({ id: 'wf-1' }),
		logger: { error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { ctx, response };
}

function parsedOrText(body: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** A Stripe event as Stripe delivers it: pretty-printed, so a re-stringified body has other bytes. */
function event(type: string, object: Record<string, unknown>, id = 'evt_1') {
	return JSON.stringify({ id, object: 'event', type, created: nowSec() - 2, livemode: false, api_version: '2026-10-28.endive', data: { object } }, null, 2);
}

const checkoutSession = (paymentStatus: string, extra: Record<string, unknown> = {}) => ({
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
	...extra,
});

const completed = (paymentStatus = 'paid', id = 'evt_completed') => event('checkout.session.completed', checkoutSession(paymentStatus), id);
const asyncSucceeded = (id = 'evt_async_ok') => event('checkout.session.async_payment_succeeded', checkoutSession('paid'), id);

const trigger = new StripeTrigger();
const deliver = async (call: Call) => {
	const { ctx, response } = context(call);
	const result = await trigger.webhook.call(ctx);
	return { result, response, json: result.workflowData?.[0][0].json as Record<string, unknown> | undefined };
};

describe('Stripe Trigger: verification', () => {
	it('starts one execution with the normalized summary for a validly signed event', async () => {
		const { result, json } = await deliver({ payload: completed() });
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(json).toMatchObject({
			eventId: 'evt_completed',
			type: 'checkout.session.completed',
			outcome: 'payment_confirmed',
			businessKey: 'SIGNUP-42',
			tier: 'professional',
			customerId: 'cus_1',
			subscriptionId: 'sub_1',
			checkoutSessionId: 'cs_test_1',
			paymentStatus: 'paid',
			amount: 15000,
			currency: 'usd',
			decline: null,
			deliveryId: 'evt_completed',
			attempt: 0,
		});
		expect(typeof json?.receivedAt).toBe('string');
		expect(result.webhookResponse).toEqual({ received: true, eventId: 'evt_completed' });
	});

	it.each([
		['signed with another secret', { header: sign(completed(), FORGER) }, /No signatures found|signature/i],
		['signed too long ago (replay)', { header: sign(completed(), SECRET, nowSec() - 600) }, /timestamp|tolerance|old/i],
		['without a Stripe-Signature header', { header: null }, /no signature header/],
		['with its body changed after signing', { header: sign(completed().replace('15000', '15')) }, /signature/i],
		['while no signing secret is configured', { credentials: { signingSecret: '', previousSigningSecret: '' } }, /no signing secret/],
	])('answers 401 without an execution for an event %s', async (_what, call, reason) => {
		const { result, response } = await deliver({ payload: completed(), ...call });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(response.body).toMatchObject({ error: 'unauthorized' });
		expect(JSON.stringify(response.body)).toMatch(reason);
		expect(JSON.stringify(response.body)).not.toContain(SECRET);
	});

	it('refuses the JSON n8n re-stringified: only the bytes Stripe signed verify', async () => {
		const payload = completed();
		const { response } = await deliver({ payload: JSON.stringify(JSON.parse(payload)), header: sign(payload) });
		expect(response.statusCode).toBe(401);
	});

	it('accepts the previous secret during a rotation, and refuses it once it is removed', async () => {
		const rotating = await deliver({ payload: completed(), header: sign(completed(), PREVIOUS), credentials: { signingSecret: SECRET, previousSigningSecret: PREVIOUS } });
		expect(rotating.result.workflowData).toHaveLength(1);
		const rotated = await deliver({ payload: asyncSucceeded(), header: sign(asyncSucceeded(), PREVIOUS), credentials: { signingSecret: SECRET } });
		expect(rotated.response.statusCode).toBe(401);
	});

	it("applies the credential's tolerance", async () => {
		const twoMinutesOld = (payload: string) => sign(payload, SECRET, nowSec() - 120);
		const strict = await deliver({ payload: completed(), header: twoMinutesOld(completed()), credentials: { signingSecret: SECRET, toleranceSeconds: 60 } });
		expect(strict.response.statusCode).toBe(401);
		const lenient = await deliver({ payload: completed(), header: twoMinutesOld(completed()), credentials: { signingSecret: SECRET, toleranceSeconds: 300 } });
		expect(lenient.result.workflowData).toHaveLength(1);
	});

	it('answers 400 naming the field for a genuinely signed but malformed event', async () => {
		const payload = JSON.stringify({ id: 'not-an-event-id', type: 'invoice.paid', created: nowSec(), livemode: false, data: { object: {} } });
		const { result, response } = await deliver({ payload });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(400);
		expect(response.body).toMatchObject({ error: 'malformed payload', field: 'event.id' });
	});

	it('answers 413 for an oversized body before verifying it', async () => {
		const { result, response } = await deliver({ payload: Buffer.alloc(MAX_STRIPE_DELIVERY_BYTES + 1, 'a'), header: 't=1,v1=00' });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(413);
	});
});

describe('Stripe Trigger: filtering and dedupe', () => {
	it('acknowledges an unselected event with 200 and no execution', async () => {
		const payload = event('invoice.paid', { id: 'in_1', object: 'invoice', amount_paid: 4900, currency: 'usd' }, 'evt_invoice');
		const { result } = await deliver({ payload, events: ['checkout.session.completed'] });
		expect(result).toEqual({ webhookResponse: { received: true, ignored: true, event: 'invoice.paid' } });
	});

	it('starts no second run for a redelivered event id', async () => {
		const payload = event(
			'invoice.payment_failed',
			{
				id: 'in_9',
				object: 'invoice',
				amount_due: 4900,
				currency: 'usd',
				customer: 'cus_1',
				parent: { subscription_details: { subscription: 'sub_1', metadata: { q2c_business_key: 'SIGNUP-42' } } },
				payment_intent: { id: 'pi_9', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } },
			},
			'evt_failed',
		);
		const first = await deliver({ payload });
		// Stripe re-signs every retry: a fresh signature over the same event.
		const again = await deliver({ payload, header: sign(payload, SECRET, nowSec() + 1) });
		expect(first.json).toMatchObject({ outcome: 'payment_failed', invoiceId: 'in_9', subscriptionId: 'sub_1', businessKey: 'SIGNUP-42', amount: 4900, decline: { severity: 'soft', retryOnce: true } });
		expect(again.result.workflowData).toBeUndefined();
		expect(again.result.webhookResponse).toEqual({ received: true, duplicate: true, deliveryId: 'evt_failed' });
	});

	it('starts provisioning once when both checkout.session.completed (paid) and async_payment_succeeded arrive for one signup', async () => {
		const results = await Promise.all([deliver({ payload: completed() }), deliver({ payload: asyncSucceeded() })]);
		expect(results.filter(({ result }) => result.workflowData)).toHaveLength(1);
		const heldOff = results.find(({ result }) => !result.workflowData);
		// The run has no receipt yet: the other one is told to retry later (503), so it is not lost if n8n loses the run.
		expect(heldOff?.response).toMatchObject({ statusCode: 503, body: { received: true, starting: true }, headers: { 'Retry-After': '30' } });

		await new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence'))).append({ businessKey: 'SIGNUP-42', workflowStep: 'billing.checkout.confirmed', subject: 'test', resourceRef: 'cs_test_1', executionId: 'exec-1' });
		const later = await deliver({ payload: asyncSucceeded('evt_async_again') });
		expect(later.result.workflowData).toBeUndefined();
		expect(later.result.webhookResponse).toMatchObject({ received: true, duplicate: true, inProgress: true });
	});

	it('runs a completed-but-unpaid checkout (pending) and then the async success, the latter once as payment_confirmed', async () => {
		const pending = await deliver({ payload: completed('unpaid') });
		const succeeded = await deliver({ payload: asyncSucceeded() });
		const repeated = await deliver({ payload: asyncSucceeded('evt_async_dup') });
		expect(pending.json).toMatchObject({ outcome: 'payment_pending', paymentStatus: 'unpaid' });
		expect(succeeded.json).toMatchObject({ outcome: 'payment_confirmed', businessKey: 'SIGNUP-42', attempt: 0 });
		expect(repeated.result.workflowData).toBeUndefined();
	});

	it('with Once per Contract off, dedupes on the event id only', async () => {
		const options = { oncePerContract: false };
		const runs = [await deliver({ payload: completed(), options }), await deliver({ payload: asyncSucceeded(), options }), await deliver({ payload: asyncSucceeded(), options })];
		expect(runs.map(({ result }) => Boolean(result.workflowData))).toEqual([true, true, false]);
	});

	it('answers 503 (so Stripe retries) when the dedupe store fails', async () => {
		const original = dedupeStores.create;
		dedupeStores.create = () => ({ claim: async () => Promise.reject(new Error('disk full')), release: async () => undefined });
		try {
			const { result, response } = await deliver({ payload: event('invoice.paid', { id: 'in_1', object: 'invoice' }, 'evt_x') });
			expect(result.workflowData).toBeUndefined();
			expect(response.statusCode).toBe(503);
		} finally {
			dedupeStores.create = original;
		}
	});
});

describe('Stripe Trigger: description, registration and credential', () => {
	it('listens for the checkout events by default with the stripeWebhookApi credential', () => {
		const events = trigger.description.properties.find((p) => p.name === 'events');
		expect(events?.default).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired']);
		expect((events?.options ?? []).map((o) => (o as { value: string }).value)).toEqual(
			expect.arrayContaining(['invoice.paid', 'invoice.payment_failed', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted']),
		);
		expect(trigger.description.credentials).toEqual([{ name: 'stripeWebhookApi', required: true, testedBy: 'stripeWebhookApiTest' }]);
		expect(new StripeWebhookApi().properties.map((p) => p.name)).toEqual(['signingSecret', 'previousSigningSecret', 'toleranceSeconds']);
	});

	it('records the URL on create, reports it in checkExists and forgets it on delete', async () => {
		const staticData: Record<string, unknown> = {};
		const hook = { getWorkflowStaticData: () => staticData, getNodeWebhookUrl: () => 'https://n8n.example/webhook/abc/webhook' } as unknown as IHookFunctions;
		const methods = trigger.webhookMethods.default;
		expect(await methods.checkExists.call(hook)).toBe(false);
		expect(await methods.create.call(hook)).toBe(true);
		expect(await methods.checkExists.call(hook)).toBe(true);
		expect(await methods.delete.call(hook)).toBe(true);
		expect(await methods.checkExists.call(hook)).toBe(false);
	});

	it('tests the credential: a whsec_ secret is needed, an API key is refused', async () => {
		const test = (data: Record<string, unknown>) => stripeWebhookApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type: 'stripeWebhookApi', data } as never);
		expect(await test({ signingSecret: SECRET })).toMatchObject({ status: 'OK' });
		expect(await test({ signingSecret: '' })).toMatchObject({ status: 'Error' });
		expect(await test({ signingSecret: 'sk_test_notASigningSecret' })).toMatchObject({ status: 'Error' });
	});
});
