import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { signJwtRs256 } from '../../connectors/core';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';
import { rsaKeyPair } from '../../connectors/vmf/__tests__/fixtures';
import { dedupeStores } from './handleWebhook';
import { VmfTrigger } from './VmfTrigger.node';

// Test-only values (not secrets).
const CURRENT = 'tok-current-123';
const PREVIOUS = 'tok-previous-456';
const keys = rsaKeyPair();
const rotated = rsaKeyPair();
const forger = rsaKeyPair();

interface Call {
	source?: string;
	events?: string[];
	options?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	rawBody?: string | Buffer;
	body?: unknown;
	headers?: Record<string, string>;
}

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'vmf-trigger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
		source: call.source ?? 'marketplacePurchase',
		events: call.events ?? [],
		options: { dedupeDir: dir, evidenceStorePath: join(dir, 'evidence'), ...call.options },
	};
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials: async () => call.credentials ?? { marketplacePublicPem: keys.publicKey, secondaryPublicPem: '', marketplaceAppIds: 'MP-1', replayWindowSec: 300, verifierToken: CURRENT, previousVerifierToken: PREVIOUS },
		getRequestObject: () => ({ rawBody: call.rawBody, body: call.body }),
		getResponseObject: () => res,
		getHeaderData: () => call.headers ?? {},
		getBodyData: () => call.body ?? {},
		logger: { error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { ctx, response };
}

const purchase = (overrides: Record<string, unknown> = {}) => ({
	webhook_id: 'purchase',
	action: 'provisioned',
	activation_id: 'act-1',
	account: { id: 'AG-1' },
	partner_id: 'ABC',
	vendor_order_id: 'ORD-1',
	app_id: 'MP-1',
	...overrides,
});

function token(body: unknown, key = keys.privateKey, iat = Math.floor(Date.now() / 1000)) {
	return signJwtRs256({ iss: 'Vendasta Marketplace', iat, exp: iat + 60, 'vendasta.com/marketplace/webhook': body }, key);
}

const trigger = new VmfTrigger();

describe('VMF Trigger webhook', () => {
	it('starts one execution for a valid Marketplace JWT with orderId, businessKey, deliveryId, receivedAt', async () => {
		const { ctx } = context({ rawBody: Buffer.from(token(purchase())), events: ['provisioned'] });
		const result = await trigger.webhook.call(ctx);
		const json = result.workflowData?.[0][0].json as Record<string, unknown>;
		expect(json).toMatchObject({ source: 'marketplacePurchase', event: 'provisioned', orderId: 'ORD-1', businessKey: 'ORD-1', activationId: 'act-1', accountGroupId: 'AG-1' });
		expect(json.deliveryId).toMatch(/^vmf-mp-/);
		expect(typeof json.receivedAt).toBe('string');
	});

	it('drops a redelivery (re-signed later) without an execution: 503 while the run has no receipt, 200 once it has', async () => {
		const first = await trigger.webhook.call(context({ rawBody: token(purchase(), keys.privateKey, Math.floor(Date.now() / 1000) - 30) }).ctx);
		const deliveryId = (first.workflowData?.[0][0].json as Record<string, unknown>).deliveryId;
		const early = context({ rawBody: token(purchase()) });
		const second = await trigger.webhook.call(early.ctx);
		expect(first.workflowData).toHaveLength(1);
		expect(second.workflowData).toBeUndefined();
		expect(early.response).toMatchObject({ statusCode: 503, body: { received: true, starting: true, deliveryId }, headers: { 'Retry-After': '30' } });
		await new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence'))).append({ businessKey: 'ORD-1', workflowStep: 'policy.evaluate', subject: 'test', resourceRef: 'ORD-1', executionId: 'exec-1' });
		const third = await trigger.webhook.call(context({ rawBody: token(purchase()) }).ctx);
		expect(third.webhookResponse).toEqual({ received: true, duplicate: true, inProgress: true, deliveryId });
	});

	it('takes a contract over when its run wrote no receipt within the start window (n8n never created the execution)', async () => {
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		try {
			const options = { startWindowSeconds: 60 };
			const first = await trigger.webhook.call(context({ rawBody: token(purchase()), options }).ctx);
			clock.mockReturnValue(start + 59_000);
			const within = context({ rawBody: token(purchase()), options });
			expect((await trigger.webhook.call(within.ctx)).workflowData).toBeUndefined();
			expect(within.response.statusCode).toBe(503);
			clock.mockReturnValue(start + 61_000);
			const [takeover, concurrent] = await Promise.all([1, 2].map(() => trigger.webhook.call(context({ rawBody: token(purchase()), options }).ctx)));
			expect(first.workflowData).toHaveLength(1);
			expect([takeover, concurrent].filter((result) => result.workflowData)).toHaveLength(1);
			expect(([takeover, concurrent].find((result) => result.workflowData)?.workflowData?.[0][0].json as Record<string, unknown>).attempt).toBe(0);
		} finally {
			clock.mockRestore();
		}
	});

	describe('once per contract', () => {
		const ledger = () => new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence')));
		const receipt = (step: string, executionId: string) => ledger().append({ businessKey: 'ORD-1', workflowStep: step, subject: 'test', resourceRef: 'ORD-1', executionId });
		const automations = (note: string) => {
			const body = { orderId: 'ORD-1', note };
			return { source: 'automations', body, rawBody: JSON.stringify(body), headers: { 'verifier-token': CURRENT } };
		};

		it('starts one run for distinct deliveries of one contract (two channels, a changed field), all at once', async () => {
			const calls = [
				context({ rawBody: token(purchase()) }),
				context({ rawBody: token(purchase({ edition_id: 'EDITION-2' })) }),
				context(automations('a')),
				context(automations('b')),
			];
			const results = await Promise.all(calls.map(({ ctx }) => trigger.webhook.call(ctx)));
			expect(results.filter((result) => result.workflowData).length).toBe(1);
			expect(results.filter((result) => result.noWebhookResponse)).toHaveLength(3);
			expect(calls.filter(({ response }) => response.statusCode === 503 && (response.body as Record<string, unknown>).starting)).toHaveLength(3);
		});

		it('starts nothing once the chain has a finished step, and runs again (attempt 1) after a failed run', async () => {
			const first = await trigger.webhook.call(context(automations('first')).ctx);
			expect((first.workflowData?.[0][0].json as Record<string, unknown>).attempt).toBe(0);
			// The run failed: the error workflow recorded its exception. A redelivery of the same body runs again, once.
			await receipt('exception', 'exec-1');
			const [retried, concurrent] = await Promise.all([trigger.webhook.call(context(automations('first')).ctx), trigger.webhook.call(context(automations('again')).ctx)]);
			const started = [retried, concurrent].filter((result) => result.workflowData);
			expect(started).toHaveLength(1);
			expect((started[0].workflowData?.[0][0].json as Record<string, unknown>).attempt).toBe(1);
			await receipt('provisioning.committed', 'exec-2');
			const late = await trigger.webhook.call(context(automations('after go-live')).ctx);
			expect(late.workflowData).toBeUndefined();
			expect(late.webhookResponse).toMatchObject({ duplicate: true, finished: 'provisioning.committed' });
		});

		it('gates only what starts provisioning: a cancellation of a finished contract still runs', async () => {
			await receipt('provisioning.live', 'exec-1');
			const cancel = await trigger.webhook.call(context({ rawBody: token({ webhook_id: 'cancellation', action: 'cancel', activation_id: 'act-1', account_group_id: 'AG-1', app_id: 'MP-1', vendor_order_id: 'ORD-1', cancellation_time: new Date().toISOString() }) }).ctx);
			expect(cancel.workflowData).toHaveLength(1);
		});

		describe('Answer Vendor: as soon as the delivery is recorded', () => {
			const options = { answerVendor: 'whenRecorded' };

			it('records the acceptance, answers 200 itself and hands n8n the run; copies are acknowledged as in progress', async () => {
				const first = context({ ...automations('a'), options });
				const result = await trigger.webhook.call(first.ctx);
				const json = result.workflowData?.[0][0].json as Record<string, unknown>;
				expect(result.noWebhookResponse).toBe(true);
				expect(json).toMatchObject({ businessKey: 'ORD-1', attempt: 0 });
				expect(first.response).toMatchObject({ statusCode: 200, body: { received: true, deliveryId: json.deliveryId } });
				const receipts = await ledger().list('ORD-1');
				expect(receipts).toEqual([
					expect.objectContaining({ workflow_step: 'vmf.delivery.accepted', resource_ref: json.deliveryId, execution_id: null, effect: { type: 'vmf.delivery', id: json.deliveryId, attempt: 0 } }),
				]);
				const copy = context({ ...automations('b'), options });
				const again = await trigger.webhook.call(copy.ctx);
				expect(again.workflowData).toBeUndefined();
				expect(again.webhookResponse).toMatchObject({ duplicate: true, inProgress: true });
			});

			it('answers 503 and starts nothing when the acceptance cannot be recorded; the redelivery then starts the contract', async () => {
				const append = jest.spyOn(EvidenceLedger.prototype, 'append').mockRejectedValueOnce(new Error('disk full at /secret/path'));
				try {
					const failed = context({ ...automations('a'), options });
					const result = await trigger.webhook.call(failed.ctx);
					expect(result).toEqual({ noWebhookResponse: true });
					expect(failed.response).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '30' } });
					expect(JSON.stringify(failed.response.body)).not.toContain('/secret/path');
					const redelivery = context({ ...automations('a'), options });
					const retried = await trigger.webhook.call(redelivery.ctx);
					expect((retried.workflowData?.[0][0].json as Record<string, unknown>).attempt).toBe(0);
					expect(redelivery.response.statusCode).toBe(200);
					expect((await ledger().list('ORD-1')).map((r) => r.workflow_step)).toEqual(['vmf.delivery.accepted']);
				} finally {
					append.mockRestore();
				}
			});

			it('leaves deliveries that start no contract to n8n: per-delivery dedupe answers as before', async () => {
				const result = await trigger.webhook.call(context({ ...automations('a'), options: { ...options, oncePerContract: false } }).ctx);
				expect(result.webhookResponse).toEqual({ received: true, deliveryId: expect.any(String) });
				expect(result.noWebhookResponse).toBeUndefined();
				expect(await ledger().list('ORD-1')).toEqual([]);
			});
		});

		it('falls back to per-delivery dedupe when turned off', async () => {
			const a = await trigger.webhook.call(context({ ...automations('a'), options: { oncePerContract: false } }).ctx);
			const b = await trigger.webhook.call(context({ ...automations('b'), options: { oncePerContract: false } }).ctx);
			const again = await trigger.webhook.call(context({ ...automations('b'), options: { oncePerContract: false } }).ctx);
			expect([a, b, again].map((result) => Boolean(result.workflowData))).toEqual([true, true, false]);
		});
	});

	it('answers 401 without an execution for a forged token', async () => {
		const { ctx, response } = context({ rawBody: token(purchase(), forger.privateKey) });
		const result = await trigger.webhook.call(ctx);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(response.body).toMatchObject({ error: 'unauthorized' });
	});

	it('answers 401 for a stale token and when no public key is configured', async () => {
		const stale = context({ rawBody: token(purchase(), keys.privateKey, Math.floor(Date.now() / 1000) - 3600) });
		expect((await trigger.webhook.call(stale.ctx)).workflowData).toBeUndefined();
		expect(stale.response.statusCode).toBe(401);
		const unconfigured = context({ rawBody: token(purchase()), credentials: { marketplacePublicPem: '', secondaryPublicPem: '' } });
		expect((await trigger.webhook.call(unconfigured.ctx)).workflowData).toBeUndefined();
		expect(unconfigured.response.statusCode).toBe(401);
		expect(JSON.stringify(unconfigured.response.body)).toMatch(/no verification public key/);
	});

	it("answers 401 for a genuine Vendasta token for another vendor's app, and while no app id is configured", async () => {
		const foreign = context({ rawBody: token(purchase({ app_id: 'MP-OTHER-VENDOR' })) });
		expect((await trigger.webhook.call(foreign.ctx)).workflowData).toBeUndefined();
		expect(foreign.response.statusCode).toBe(401);
		expect(JSON.stringify(foreign.response.body)).toMatch(/not this integration/);
		const unbound = context({ rawBody: token(purchase()), credentials: { marketplacePublicPem: keys.publicKey, secondaryPublicPem: '', replayWindowSec: 300 } });
		expect((await trigger.webhook.call(unbound.ctx)).workflowData).toBeUndefined();
		expect(JSON.stringify(unbound.response.body)).toMatch(/no Marketplace app id is configured/);
	});

	it('accepts the rotated key configured as the secondary key', async () => {
		const { ctx } = context({ rawBody: token(purchase(), rotated.privateKey), credentials: { marketplacePublicPem: keys.publicKey, secondaryPublicPem: rotated.publicKey, marketplaceAppIds: 'MP-1', replayWindowSec: 300 } });
		expect((await trigger.webhook.call(ctx)).workflowData).toHaveLength(1);
	});

	it('answers 400 naming the field for a genuine but malformed payload', async () => {
		const { ctx, response } = context({ rawBody: token(purchase({ activation_id: '' })) });
		const result = await trigger.webhook.call(ctx);
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(400);
		expect(response.body).toMatchObject({ field: 'payload.activation_id' });
	});

	it('acknowledges events outside the filter without an execution', async () => {
		const result = await trigger.webhook.call(context({ rawBody: token(purchase({ action: 'de-provisioned' })), events: ['provisioned'] }).ctx);
		expect(result).toEqual({ webhookResponse: { received: true, ignored: true, event: 'de-provisioned' } });
	});

	it('accepts an Automations call with the current or previous Verifier-Token, rejects a wrong one', async () => {
		const body = { orderId: 'AG-1:ORD-9', partnerId: 'ABC' };
		const ok = await trigger.webhook.call(context({ source: 'automations', headers: { 'verifier-token': PREVIOUS }, rawBody: JSON.stringify(body), body }).ctx);
		expect(ok.workflowData?.[0][0].json).toMatchObject({ source: 'automations', orderId: 'AG-1:ORD-9', businessKey: 'AG-1:ORD-9' });
		const bad = context({ source: 'automations', headers: { 'verifier-token': 'nope' }, body });
		expect((await trigger.webhook.call(bad.ctx)).workflowData).toBeUndefined();
		expect(bad.response.statusCode).toBe(401);
		expect(JSON.stringify(bad.response.body)).not.toContain(CURRENT);
		const missing = context({ source: 'automations', headers: { 'verifier-token': CURRENT }, body, credentials: {} });
		await trigger.webhook.call(missing.ctx);
		expect(missing.response.statusCode).toBe(401);
	});

	it('answers 400 for an Automations body without orderId', async () => {
		const { ctx, response } = context({ source: 'automations', headers: { 'verifier-token': CURRENT }, body: { accountId: 'AG-1' } });
		await trigger.webhook.call(ctx);
		expect(response.statusCode).toBe(400);
		expect(response.body).toMatchObject({ field: 'body.orderId' });
	});

	it('answers 503 (so the vendor retries) when the dedupe store fails', async () => {
		const original = dedupeStores.create;
		dedupeStores.create = () => ({ claim: async () => Promise.reject(new Error('disk full')), release: async () => undefined });
		try {
			const { ctx, response } = context({ rawBody: token(purchase()) });
			expect((await trigger.webhook.call(ctx)).workflowData).toBeUndefined();
			expect(response.statusCode).toBe(503);
		} finally {
			dedupeStores.create = original;
		}
	});
});

describe('VMF Trigger webhook lifecycle', () => {
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
});
