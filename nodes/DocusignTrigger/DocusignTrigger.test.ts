import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApiError, type ICredentialTestFunctions, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';
import { ConnectorError } from '../../connectors/core';
import { CONNECT_EVENT_NAMES, createDocusignClient, signConnectPayload, type DocusignClient } from '../../connectors/docusign';
import { DocusignConnectApi } from '../../credentials/DocusignConnectApi.credentials';
import { dedupeStores } from './handleWebhook';
import { DocusignTrigger } from './DocusignTrigger.node';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';

// Webhook tests use the real HMAC verification and parsing; only the API client (Connect registration) is faked.
jest.mock('../../connectors/docusign', () => ({ ...jest.requireActual('../../connectors/docusign'), createDocusignClient: jest.fn() }));
const createClient = createDocusignClient as jest.MockedFunction<typeof createDocusignClient>;

// Test-only values (not secrets).
const CURRENT = 'hmac-current-key-123';
const PREVIOUS = 'hmac-previous-key-456';
const ENVELOPE = '4b1f0c2e-1111-4a4a-9d9d-123456789abc';
const URL = 'https://n8n.example/webhook/abc/webhook';
// DocuSign's own format (7 fractional digits), a minute ago: inside any dedupe window.
const GENERATED = new Date(Date.now() - 60_000).toISOString().replace('Z', '0000Z');

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'docusign-trigger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Call {
	events?: string[];
	options?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	rawBody?: string | Buffer;
	body?: unknown;
	headers?: Record<string, string>;
}

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
	const params: Record<string, unknown> = { events: call.events ?? ['envelope-completed'], options: { dedupeDir: dir, evidenceStorePath: join(dir, 'evidence'), ...call.options } };
	const getCredentials = jest.fn(async () => call.credentials ?? { hmacKey: CURRENT, previousHmacKey: PREVIOUS });
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials,
		getRequestObject: () => ({ rawBody: call.rawBody, body: call.body }),
		getResponseObject: () => res,
		getHeaderData: () => call.headers ?? {},
		getWorkflow: () => ({ id: 'wf-7' }),
		logger: { error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { ctx, response, getCredentials };
}

function payload(overrides: { event?: string; generatedDateTime?: string; envelopeId?: string } = {}) {
	return JSON.stringify({
		event: overrides.event ?? 'envelope-completed',
		apiVersion: 'v2.1',
		uri: `/restapi/v2.1/accounts/acc/envelopes/${ENVELOPE}`,
		retryCount: 0,
		configurationId: 1001,
		generatedDateTime: overrides.generatedDateTime ?? GENERATED,
		data: {
			accountId: 'acc',
			envelopeId: overrides.envelopeId ?? ENVELOPE,
			envelopeSummary: {
				status: 'completed',
				customFields: { textCustomFields: [{ name: 'q2cBusinessKey', value: 'ORD-42' }, { name: 'partnerId', value: 'P-7' }] },
				recipients: { signers: [{ recipientId: '1', name: 'Ana Lee', email: 'ana@example.com', roleName: 'Customer', status: 'completed' }] },
			},
		},
	});
}

const signed = (raw: string, key = CURRENT, header = 'x-docusign-signature-1') => ({ rawBody: Buffer.from(raw), headers: { [header]: signConnectPayload(raw, key) } });

const trigger = new DocusignTrigger();

describe('DocuSign Trigger description', () => {
	it('is a POST webhook trigger with both credentials, the event list and registration on by default', () => {
		const d = trigger.description;
		expect(d.name).toBe('docusignTrigger');
		expect(d.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }]);
		expect(d.credentials?.map((c) => [c.name, c.testedBy])).toEqual([
			['docusignApi', 'docusignApiTest'],
			['docusignConnectApi', 'docusignConnectApiTest'],
		]);
		const events = d.properties.find((p) => p.name === 'events');
		expect(events?.default).toEqual(['envelope-completed']);
		expect(events?.options?.map((o) => (o as { value: string }).value)).toEqual([...CONNECT_EVENT_NAMES]);
		expect(d.properties.find((p) => p.name === 'registerConnect')?.default).toBe(true);
		expect(d.properties.find((p) => p.type === 'notice')?.displayOptions).toEqual({ show: { registerConnect: [false] } });
	});

	it('Connect credential has the fixed fields and a test that needs a key', async () => {
		const credential = new DocusignConnectApi();
		expect(credential.name).toBe('docusignConnectApi');
		expect(credential.properties.map((p) => p.name)).toEqual(['hmacKey', 'previousHmacKey']);
		const test = (data: Record<string, unknown>) => trigger.methods.credentialTest.docusignConnectApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type: 'docusignConnectApi', data } as never);
		await expect(test({ hmacKey: CURRENT, previousHmacKey: '' })).resolves.toMatchObject({ status: 'OK', message: expect.stringContaining('1 HMAC key') });
		await expect(test({ hmacKey: ' ', previousHmacKey: '' })).resolves.toMatchObject({ status: 'Error' });
		expect(JSON.stringify(await test({ hmacKey: CURRENT }))).not.toContain(CURRENT);
	});
});

describe('DocuSign Trigger webhook', () => {
	it('starts one execution with the event fields for a correctly signed delivery', async () => {
		const { ctx, response } = context(signed(payload()));
		const result = await trigger.webhook.call(ctx);
		expect(result.webhookResponse).toEqual({ received: true });
		expect(response.body).toBeUndefined();
		const items = result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			event: 'envelope-completed',
			envelopeId: ENVELOPE,
			status: 'completed',
			businessKey: 'ORD-42',
			customFields: { q2cBusinessKey: 'ORD-42', partnerId: 'P-7' },
			recipients: [expect.objectContaining({ recipientId: '1', email: 'ana@example.com', status: 'completed' })],
			generatedDateTime: GENERATED,
			deliveryId: `${ENVELOPE}:envelope-completed:${GENERATED}`,
			attempt: 0,
			receivedAt: expect.any(String),
		});
	});

	it('accepts a delivery signed only with the previous key (rotation), in any signature header', async () => {
		const raw = payload();
		const { ctx } = context({ rawBody: raw, headers: { 'X-DocuSign-Signature-1': signConnectPayload(raw, 'some-other-key'), 'X-DocuSign-Signature-2': signConnectPayload(raw, PREVIOUS) } });
		expect((await trigger.webhook.call(ctx)).workflowData).toHaveLength(1);
	});

	it('answers 401 without an execution for a forged, unsigned or tampered delivery', async () => {
		const raw = payload();
		const attempts: Call[] = [
			signed(raw, 'forger-key'),
			{ rawBody: raw, headers: {} },
			{ rawBody: raw.replace('ORD-42', 'ORD-43'), headers: { 'x-docusign-signature-1': signConnectPayload(raw, CURRENT) } },
			{ headers: { 'x-docusign-signature-1': signConnectPayload(raw, CURRENT) }, body: JSON.parse(raw) },
		];
		for (const attempt of attempts) {
			const { ctx, response } = context(attempt);
			const result = await trigger.webhook.call(ctx);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
			expect(response.body).toMatchObject({ error: 'unauthorized' });
		}
	});

	it('answers 401 when no HMAC key is configured, and never echoes a key', async () => {
		const raw = payload();
		const { ctx, response } = context({ ...signed(raw), credentials: { hmacKey: '', previousHmacKey: '' } });
		expect((await trigger.webhook.call(ctx)).workflowData).toBeUndefined();
		expect(response.statusCode).toBe(401);
		const unloadable = context(signed(raw));
		unloadable.getCredentials.mockRejectedValue(new Error('Node does not have any credentials set for "docusignConnectApi"'));
		expect((await trigger.webhook.call(unloadable.ctx)).workflowData).toBeUndefined();
		expect(unloadable.response.statusCode).toBe(401);
		const forged = context(signed(raw, 'forger-key'));
		await trigger.webhook.call(forged.ctx);
		expect(JSON.stringify(forged.response.body)).not.toContain(CURRENT);
		expect(JSON.stringify(forged.response.body)).not.toContain(PREVIOUS);
	});

	it('verifies a string body when n8n kept no rawBody', async () => {
		const raw = payload();
		const { ctx } = context({ body: raw, headers: { 'x-docusign-signature-1': signConnectPayload(raw, CURRENT) } });
		expect((await trigger.webhook.call(ctx)).workflowData).toHaveLength(1);
	});

	it('answers 400 naming the field for a genuine but malformed delivery', async () => {
		const missingEnvelope = context(signed(payload({ envelopeId: '' })));
		expect((await trigger.webhook.call(missingEnvelope.ctx)).workflowData).toBeUndefined();
		expect(missingEnvelope.response.statusCode).toBe(400);
		expect(missingEnvelope.response.body).toMatchObject({ error: 'malformed payload', field: 'data.envelopeId' });

		const notJson = context(signed('<xml/>'));
		await trigger.webhook.call(notJson.ctx);
		expect(notJson.response.statusCode).toBe(400);
		expect(notJson.response.body).toMatchObject({ field: 'body' });
	});

	it('acknowledges events that are not selected without an execution; an empty selection takes all', async () => {
		const declined = payload({ event: 'envelope-declined' });
		const ignored = await trigger.webhook.call(context(signed(declined)).ctx);
		expect(ignored).toEqual({ webhookResponse: { received: true, ignored: true, event: 'envelope-declined' } });
		const all = await trigger.webhook.call(context({ ...signed(declined), events: [] }).ctx);
		expect(all.workflowData?.[0][0].json).toMatchObject({ event: 'envelope-declined' });
	});

	it('without Once per Contract: drops a redelivery of the same event, but not a new event of the envelope', async () => {
		const options = { oncePerContract: false };
		const first = await trigger.webhook.call(context({ ...signed(payload()), options }).ctx);
		const again = await trigger.webhook.call(context({ ...signed(payload()), options }).ctx);
		const later = await trigger.webhook.call(context({ ...signed(payload({ generatedDateTime: new Date().toISOString() })), options }).ctx);
		expect(first.workflowData).toHaveLength(1);
		expect(again.workflowData).toBeUndefined();
		expect(again.webhookResponse).toEqual({ received: true, duplicate: true, deliveryId: `${ENVELOPE}:envelope-completed:${GENERATED}` });
		expect(later.workflowData).toHaveLength(1);
	});

	it('once per contract: a republished completion (new generatedDateTime) starts nothing while the first run starts, is in flight or after it finished', async () => {
		const first = await trigger.webhook.call(context(signed(payload())).ctx);
		const starting = context(signed(payload({ generatedDateTime: new Date().toISOString() })));
		const republished = await trigger.webhook.call(starting.ctx);
		expect(first.workflowData).toHaveLength(1);
		// No receipt yet: the first run may not exist (n8n failed to create it), so Connect is asked to retry.
		expect(republished).toEqual({ noWebhookResponse: true });
		expect(starting.response).toMatchObject({ statusCode: 503, body: { starting: true }, headers: { 'Retry-After': '30' } });
		const ledger = new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence')));
		await ledger.append({ businessKey: 'ORD-42', workflowStep: 'billing.subscription.create', subject: 'test', resourceRef: 'sub_1', executionId: 'exec-1' });
		const inFlight = await trigger.webhook.call(context(signed(payload({ generatedDateTime: new Date(Date.now() + 500).toISOString() }))).ctx);
		expect(inFlight.workflowData).toBeUndefined();
		expect(inFlight.webhookResponse).toMatchObject({ duplicate: true, inProgress: true });
		await ledger.append({ businessKey: 'ORD-42', workflowStep: 'provisioning.live', subject: 'test', resourceRef: 'sub_1', executionId: 'exec-1' });
		const afterLive = await trigger.webhook.call(context(signed(payload({ generatedDateTime: new Date(Date.now() + 1000).toISOString() }))).ctx);
		expect(afterLive.workflowData).toBeUndefined();
		expect(afterLive.webhookResponse).toMatchObject({ duplicate: true, finished: 'provisioning.live' });
	});

	it('Answer Vendor as soon as recorded: a docusign.delivery.accepted receipt, 200 from the trigger, and a republish in progress', async () => {
		const options = { answerVendor: 'whenRecorded' };
		const first = context({ ...signed(payload()), options });
		const result = await trigger.webhook.call(first.ctx);
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData?.[0][0].json).toMatchObject({ businessKey: 'ORD-42', attempt: 0 });
		expect(first.response).toMatchObject({ statusCode: 200, body: { received: true } });
		const receipts = await new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence'))).list('ORD-42');
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref, r.execution_id])).toEqual([['docusign.delivery.accepted', `${ENVELOPE}:envelope-completed:${GENERATED}`, null]]);
		const republished = await trigger.webhook.call(context({ ...signed(payload({ generatedDateTime: new Date().toISOString() })), options }).ctx);
		expect(republished.webhookResponse).toMatchObject({ duplicate: true, inProgress: true });
	});

	it('acknowledges without an execution a genuine event generated longer ago than the dedupe window (a replay after its mark expired)', async () => {
		const old = new Date(Date.now() - 73 * 3_600_000).toISOString();
		const replayed = await trigger.webhook.call(context(signed(payload({ generatedDateTime: old }))).ctx);
		expect(replayed.workflowData).toBeUndefined();
		expect(replayed.webhookResponse).toEqual({ received: true, stale: true, deliveryId: `${ENVELOPE}:envelope-completed:${old}` });
		// The window follows the trigger's option: with 96 hours the same event is still fresh.
		const wider = await trigger.webhook.call(context({ ...signed(payload({ generatedDateTime: old })), options: { dedupeTtlHours: 96 } }).ctx);
		expect(wider.workflowData).toHaveLength(1);
	});

	it('answers 400 naming generatedDateTime when it is not a date-time', async () => {
		const { ctx, response } = context(signed(payload({ generatedDateTime: 'yesterday' })));
		expect((await trigger.webhook.call(ctx)).workflowData).toBeUndefined();
		expect(response.statusCode).toBe(400);
		expect(response.body).toMatchObject({ field: 'generatedDateTime' });
	});

	it('answers 503 (so Connect retries) when the dedupe store fails', async () => {
		const original = dedupeStores.create;
		dedupeStores.create = () => ({ claim: async () => Promise.reject(new Error('disk full')), release: async () => undefined });
		try {
			const { ctx, response } = context(signed(payload()));
			expect((await trigger.webhook.call(ctx)).workflowData).toBeUndefined();
			expect(response.statusCode).toBe(503);
		} finally {
			dedupeStores.create = original;
		}
	});

	it("uses the workflow's directory under the pack data directory when no dedupe directory is set", async () => {
		const original = dedupeStores.create;
		const dirs: string[] = [];
		dedupeStores.create = (d: string) => {
			dirs.push(d);
			return { claim: async () => true, release: async () => undefined };
		};
		const previous = process.env.Q2C_DATA_DIR;
		process.env.Q2C_DATA_DIR = dir;
		try {
			await trigger.webhook.call(context({ ...signed(payload()), options: { dedupeDir: '' } }).ctx);
			expect(dirs).toEqual([join(dir, 'dedupe', 'docusign', 'wf-7')]);
		} finally {
			dedupeStores.create = original;
			if (previous === undefined) delete process.env.Q2C_DATA_DIR;
			else process.env.Q2C_DATA_DIR = previous;
		}
	});
});

describe('DocuSign Trigger Connect lifecycle', () => {
	type Fake = Record<'findConnectConfig' | 'createConnectConfig' | 'deleteConnectConfig', jest.Mock>;
	let client: Fake;
	beforeEach(() => {
		client = { findConnectConfig: jest.fn(), createConnectConfig: jest.fn(), deleteConnectConfig: jest.fn() };
		createClient.mockReset().mockReturnValue(client as unknown as DocusignClient);
	});

	function hook(params: { registerConnect?: boolean; events?: string[] }, staticData: Record<string, unknown> = {}) {
		const logger = { error: jest.fn() };
		const ctx = {
			getNodeParameter: (name: string, fallback?: unknown) => (name in params ? (params as Record<string, unknown>)[name] : fallback),
			getWorkflowStaticData: () => staticData,
			getNodeWebhookUrl: () => URL,
			getWorkflow: () => ({ id: 'wf-9' }),
			getCredentials: async () => ({ environment: 'demo', integrationKey: 'ik', userId: 'u', privateKey: 'pem' }),
			getNode: () => ({ id: '1', name: 'DocuSign Trigger', type: 'n8n-nodes-quote-to-cash.docusignTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
			logger,
		} as unknown as IHookFunctions;
		return { ctx, staticData, logger };
	}
	const methods = trigger.webhookMethods.default;

	it('registers a Connect configuration for the URL and events, and deletes it on deactivation', async () => {
		const { ctx, staticData } = hook({ events: ['envelope-completed', 'envelope-declined'] });
		client.findConnectConfig.mockResolvedValue(undefined);
		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(client.findConnectConfig).toHaveBeenCalledWith({ url: URL });

		client.createConnectConfig.mockResolvedValue({ connectId: '5001' });
		expect(await methods.create.call(ctx)).toBe(true);
		expect(client.createConnectConfig).toHaveBeenCalledWith({ name: 'n8n q2c wf-9', url: URL, events: ['envelope-completed', 'envelope-declined'] });
		expect(staticData).toMatchObject({ connectId: '5001', webhookUrl: URL });

		client.findConnectConfig.mockResolvedValue({ connectId: '5001', url: URL, events: ['envelope-declined', 'envelope-completed'] });
		expect(await methods.checkExists.call(ctx)).toBe(true);
		expect(client.findConnectConfig).toHaveBeenLastCalledWith({ connectId: '5001' });

		client.deleteConnectConfig.mockResolvedValue({ deleted: true });
		expect(await methods.delete.call(ctx)).toBe(true);
		expect(client.deleteConnectConfig).toHaveBeenCalledWith('5001');
		expect(staticData).toEqual({});
	});

	it('registers all events when none is selected', async () => {
		const { ctx } = hook({ events: [] });
		client.createConnectConfig.mockResolvedValue({ connectId: '7' });
		await methods.create.call(ctx);
		expect(client.createConnectConfig.mock.calls[0][0].events).toEqual([...CONNECT_EVENT_NAMES]);
	});

	it('adopts an existing configuration for this URL, and replaces one with other events', async () => {
		const adopt = hook({ events: ['envelope-completed'] });
		client.findConnectConfig.mockResolvedValue({ connectId: '42', url: `${URL}/`, events: ['envelope-completed'] });
		expect(await methods.checkExists.call(adopt.ctx)).toBe(true);
		expect(adopt.staticData.connectId).toBe('42');

		const stale = hook({ events: ['envelope-completed', 'envelope-voided'] }, { connectId: '42', webhookUrl: URL });
		client.deleteConnectConfig.mockResolvedValue({ deleted: true });
		expect(await methods.checkExists.call(stale.ctx)).toBe(false);
		expect(client.deleteConnectConfig).toHaveBeenCalledWith('42');
		expect(stale.staticData).toEqual({});
	});

	it('forgets a configuration deleted in DocuSign so it is registered again', async () => {
		const { ctx, staticData } = hook({}, { connectId: 'gone', webhookUrl: URL });
		client.findConnectConfig.mockResolvedValue(undefined);
		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(staticData).toEqual({});
	});

	it('surfaces registration failures as node errors and logs a failed delete', async () => {
		const { ctx, staticData, logger } = hook({}, {});
		client.createConnectConfig.mockRejectedValue(new ConnectorError('auth', 'user is not an account admin', { vendor: 'docusign', status: 401 }));
		await expect(methods.create.call(ctx)).rejects.toBeInstanceOf(NodeApiError);
		expect(staticData.connectId).toBeUndefined();
		client.findConnectConfig.mockRejectedValue(new ConnectorError('transient', 'DocuSign unavailable', { vendor: 'docusign', status: 503 }));
		await expect(methods.checkExists.call(ctx)).rejects.toBeInstanceOf(NodeApiError);

		staticData.connectId = '9';
		client.deleteConnectConfig.mockRejectedValue(new ConnectorError('transient', 'DocuSign unavailable', { vendor: 'docusign', status: 503 }));
		expect(await methods.delete.call(ctx)).toBe(false);
		expect(logger.error).toHaveBeenCalled();
		expect(staticData.connectId).toBe('9');
	});

	it('without registration, only records the URL and never calls DocuSign', async () => {
		const { ctx, staticData } = hook({ registerConnect: false });
		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(await methods.create.call(ctx)).toBe(true);
		expect(staticData.webhookUrl).toBe(URL);
		expect(await methods.checkExists.call(ctx)).toBe(true);
		expect(await methods.delete.call(ctx)).toBe(true);
		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(createClient).not.toHaveBeenCalled();
	});
});
