import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import {
	baseCredentialTypes,
	baseNodeTypes,
	createNodeTypes,
	DEFAULT_BASE_NODES,
	deliverWebhook,
	HarnessCredentialsHelper,
	ourNodeTypes,
	parseMessage,
	runErrorWorkflow,
	runWebhook,
	runWorkflow,
	startSmtpSink,
	type SmtpSink,
} from '../index';
import { Boom, Greeter, HarnessTestApi, SignedHookTrigger, signBody, WhoAmI } from './fixtures';
import { errorWorkflow, failingWorkflow, orderMailWorkflow, respondWorkflow, signedHookWorkflow } from './workflows';

const nodeTypes = createNodeTypes({
	...baseNodeTypes(),
	'test.greeter': new Greeter(),
	'test.boom': new Boom(),
	'test.whoAmI': new WhoAmI(),
	'test.signedHookTrigger': new SignedHookTrigger(),
});
const credentialTypes = { ...baseCredentialTypes(), harnessTestApi: new HarnessTestApi() };
const API_KEY = 'k-secret-123';
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

let sink: SmtpSink;
let api: Server;
let apiUrl: string;
const apiCalls: IncomingHttpHeaders[] = [];

beforeAll(async () => {
	sink = await startSmtpSink();
	api = createServer((req, res) => {
		apiCalls.push(req.headers);
		const authorised = req.headers['x-api-key'] === API_KEY && req.url === '/whoami';
		res.writeHead(authorised ? 200 : 401, { 'content-type': 'application/json' });
		res.end(JSON.stringify(authorised ? { caller: 'harness-bot' } : { error: 'unauthorised' }));
	});
	await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
	apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await sink.close();
	await new Promise((resolve) => api.close(resolve));
});

const testApi = () => ({ harnessTestApi: { apiKey: API_KEY, baseUrl: apiUrl } });

describe('runWorkflow', () => {
	it('runs a custom node with expressions, real Set/If and Send Email to the SMTP sink', async () => {
		const before = sink.messages.length;
		const result = await runWorkflow(orderMailWorkflow, {
			nodeTypes,
			credentialTypes,
			credentials: { smtp: sink.credentials },
			executionId: 'exec-42',
			startData: [{ amount: 250, customer: 'Acme', email: 'ops@acme.test' }],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executionId).toBe('exec-42');
		expect(result.nodeOutput('Start')).toEqual([{ amount: 250, customer: 'Acme', email: 'ops@acme.test' }]);
		expect(result.nodeOutput('Greet')[0]).toMatchObject({ tier: 'gold', name: 'Acme', message: 'Hello Acme (gold) run exec-42' });
		expect(result.nodeOutput('Gold?', 0)).toHaveLength(1);
		expect(result.nodeOutput('Gold?', 1)).toEqual([]);
		expect(result.executedNodes).toEqual(['Start', 'Config', 'Greet', 'Gold?', 'Send Email']);
		expect(() => result.nodeOutput('Not Gold')).toThrow(/did not run/);
		expect(result.workflow).toEqual({ id: 'wf-order-mail', name: 'Order mail', errorWorkflow: 'wf-errors' });

		const [mail] = (await sink.waitForMessages(before + 1)).slice(before);
		expect(mail.envelopeTo).toEqual(['ops@acme.test']);
		expect(mail.from).toContain('billing@example.test');
		expect(mail.to).toContain('ops@acme.test');
		expect(mail.subject).toBe('Welcome Acme ✓');
		expect(mail.body).toContain('Hello Acme (gold) run exec-42');
		expect(result.credentialsHelper.requested).toEqual([{ type: 'smtp', id: 'smtp-1' }]);
	});

	it('takes the false branch and sends no mail for a small order', async () => {
		const before = sink.messages.length;
		const result = await runWorkflow(orderMailWorkflow, {
			nodeTypes,
			credentialTypes,
			credentials: { smtp: sink.credentials },
			startData: [{ amount: 5, customer: 'Tiny', email: 't@tiny.test' }],
		});
		expect(result.status).toBe('success');
		expect(result.executionId).toMatch(/^harness-exec-\d+$/);
		expect(result.executedNodes).toContain('Not Gold');
		expect(result.executedNodes).not.toContain('Send Email');
		expect(result.nodeOutput('Not Gold')[0]).toMatchObject({ tier: 'basic' });
		expect(sink.messages.length).toBe(before);
	});

	it('reports a failing node by name and stops there', async () => {
		const result = await runWorkflow(failingWorkflow, { nodeTypes, executionId: 'exec-fail' });
		expect(result.status).toBe('error');
		expect(result.errorNode).toBe('Boom');
		expect(result.lastNodeExecuted).toBe('Boom');
		expect(result.error?.message).toBe('Boom went the node');
		expect(result.executedNodes).toEqual(['Start', 'Before', 'Boom']);
	});

	it('starts at any node with the given data without running that node\'s own code', async () => {
		const result = await runWorkflow(failingWorkflow, { nodeTypes, startNode: 'Boom', startData: [{ id: 1 }, { json: { id: 2 } }] });
		expect(result.status).toBe('success');
		expect(result.executedNodes).toEqual(['Boom', 'After']);
		expect(result.nodeOutput('After')).toEqual([{ id: 1 }, { id: 2 }]);
	});

	it('names unregistered node types before running anything', async () => {
		await expect(runWorkflow(orderMailWorkflow, { nodeTypes: createNodeTypes(baseNodeTypes(['manualTrigger'])) })).rejects.toThrow(
			/unregistered node types: Config \(n8n-nodes-base\.set v3\.4\).*Greet \(test\.greeter v1\)/,
		);
	});

	it('passes credentials to a node and signs its requests through the credential type', async () => {
		apiCalls.length = 0;
		const result = await runWorkflow(signedHookWorkflow, {
			nodeTypes,
			credentialTypes,
			credentials: testApi(),
			startData: [{ any: 'thing' }],
		});
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Who Am I')).toEqual([{ caller: 'harness-bot', keyLength: API_KEY.length }]);
		expect(apiCalls).toHaveLength(1);
		expect(apiCalls[0]['x-api-key']).toBe(API_KEY);
		expect(result.serialized()).not.toContain(API_KEY);
	});

	it('fails the node when no test credentials were given', async () => {
		const result = await runWorkflow(signedHookWorkflow, { nodeTypes, credentialTypes, startData: [{}] });
		expect(result.status).toBe('error');
		expect(result.errorNode).toBe('Who Am I');
		expect(result.error?.message).toMatch(/no test credentials for type "harnessTestApi"/);
	});
});

describe('runErrorWorkflow', () => {
	it('hands the failure to the Error Trigger in n8n\'s shape', async () => {
		const failed = await runWorkflow(failingWorkflow, { nodeTypes, executionId: 'exec-7' });
		const result = await runErrorWorkflow(errorWorkflow, failed, { nodeTypes });

		expect(result.status).toBe('success');
		expect(result.mode).toBe('error');
		const [item] = result.nodeOutput('On Error');
		expect(item).toMatchObject({
			execution: {
				id: 'exec-7',
				url: 'http://127.0.0.1:5678/workflow/wf-failing/executions/exec-7',
				lastNodeExecuted: 'Boom',
				mode: 'trigger',
				error: { message: 'Boom went the node', description: 'Raised on purpose', node: { name: 'Boom', type: 'test.boom' } },
			},
			workflow: { id: 'wf-failing', name: 'Failing' },
		});
		expect(result.nodeOutput('Summarise')[0]).toMatchObject({
			summary: 'Failing failed at Boom: Boom went the node',
			failedNode: 'Boom',
			mode: 'production',
		});
	});

	it('refuses a run that did not fail', async () => {
		const ok = await runWorkflow(signedHookWorkflow, { nodeTypes, credentialTypes, credentials: testApi() });
		await expect(runErrorWorkflow(errorWorkflow, ok, { nodeTypes })).rejects.toThrow(/only starts error workflows for failed/);
	});
});

describe('webhooks', () => {
	const body = { type: 'order.created', orderId: 'O-1' };
	const rawBody = JSON.stringify(body);

	it('delivers a signed request, runs the workflow and keeps static data between deliveries', async () => {
		const staticData: IDataObject = {};
		const options = { nodeTypes, credentialTypes, credentials: testApi(), staticData };
		const request = { headers: { 'X-Signature': signBody(API_KEY, rawBody) }, rawBody, query: { source: 'test' } };

		const first = await runWebhook(signedHookWorkflow, 'Signed Hook', request, options);
		expect(first.response).toEqual({ status: 200, body: { message: 'Workflow was started' }, headers: {} });
		expect(first.run?.status).toBe('success');
		expect(first.run?.nodeOutput('Signed Hook')).toEqual([
			{ event: 'vmf:order.created', body, query: { source: 'test' }, webhook: 'default', delivery: 1 },
		]);
		expect(first.run?.nodeOutput('Who Am I')[0]).toMatchObject({ caller: 'harness-bot' });

		const second = await runWebhook(signedHookWorkflow, 'Signed Hook', request, options);
		expect(second.run?.nodeOutput('Signed Hook')[0]).toMatchObject({ delivery: 2 });
		expect(staticData['node:Signed Hook']).toEqual({ deliveries: 2 });
	});

	it('lets the trigger reject a bad signature itself, and starts no run', async () => {
		const delivered = await runWebhook(
			signedHookWorkflow,
			'Signed Hook',
			{ headers: { 'x-signature': 'forged' }, body },
			{ nodeTypes, credentialTypes, credentials: testApi() },
		);
		expect(delivered.response.status).toBe(401);
		expect(delivered.response.body).toEqual({ error: 'bad signature' });
		expect(delivered.delivery.responded).toBe(true);
		expect(delivered.run).toBeUndefined();
	});

	it('answers 500 when the trigger throws (here: missing credentials)', async () => {
		const delivered = await deliverWebhook(signedHookWorkflow, 'Signed Hook', { body }, { nodeTypes, credentialTypes });
		expect(delivered.status).toBe(500);
		expect(delivered.error?.message).toMatch(/no test credentials/);
		expect(delivered.workflowData).toBeUndefined();
	});

	it('runs n8n\'s Webhook node and returns what Respond to Webhook sent', async () => {
		const delivered = await runWebhook(respondWorkflow, 'Webhook', { body: { orderId: 'O-9' }, headers: { 'x-source': 'crm' } }, { nodeTypes });
		expect(delivered.delivery.error).toBeUndefined();
		expect(delivered.delivery.status).toBe(0);
		expect(delivered.run?.error).toBeUndefined();
		expect(delivered.run?.status).toBe('success');
		expect(delivered.response.status).toBe(202);
		expect(delivered.response.body).toEqual({ received: 'O-9', via: 'crm' });
	});
});

describe('registries and SMTP parsing', () => {
	it('loads our package nodes under the package prefix, skipping ones not written yet', () => {
		const ours = ourNodeTypes();
		for (const [type, nodeType] of Object.entries(ours)) {
			expect(type).toBe(`n8n-nodes-quote-to-cash.${nodeType.description.name}`);
		}
		const written = (pkg.n8n.nodes as string[]).filter((distPath) =>
			existsSync(join(__dirname, '..', '..', '..', distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'))),
		);
		expect(Object.keys(ours)).toHaveLength(written.length);
	});

	it('loads the default n8n-nodes-base nodes by name, and rejects unknown names', () => {
		expect(Object.keys(baseNodeTypes()).sort()).toEqual(DEFAULT_BASE_NODES.map((name) => `n8n-nodes-base.${name}`).sort());
		expect(() => baseNodeTypes(['noSuchNode'])).toThrow(/n8n-nodes-base has no "noSuchNode"/);
	});

	it('decodes encoded-word subjects and quoted-printable bodies', () => {
		const raw = [
			'From: A <a@x.test>',
			'To: b@x.test',
			'Subject: =?UTF-8?Q?Caf=C3=A9_ready?=',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'Total =E2=82=AC5 for order O-=',
			'1',
		].join('\r\n');
		const message = parseMessage(raw, 'a@x.test', ['b@x.test']);
		expect(message.subject).toBe('Café ready');
		expect(message.body).toBe('Total €5 for order O-1');
		expect(message.headers.to).toBe('b@x.test');
	});
});

describe('HarnessCredentialsHelper', () => {
	it('prefers credentials by id, then by type, and fills credential defaults', async () => {
		const helper = new HarnessCredentialsHelper(
			{ harnessTestApi: { apiKey: 'by-type' }, 'cred-9': { apiKey: 'by-id' } },
			{ harnessTestApi: new HarnessTestApi() },
		);
		const byId = await helper.getDecrypted({} as never, { id: 'cred-9', name: 'x' }, 'harnessTestApi');
		const byType = await helper.getDecrypted({} as never, { id: 'other', name: 'x' }, 'harnessTestApi');
		expect(byId).toEqual({ apiKey: 'by-id', baseUrl: 'http://127.0.0.1' });
		expect(byType.apiKey).toBe('by-type');
		const signed = await helper.authenticate({ apiKey: 'abc' }, 'harnessTestApi', { url: 'http://x', headers: { a: '1' } });
		expect(signed.headers).toEqual({ a: '1', 'X-Api-Key': 'abc' });
	});
});
