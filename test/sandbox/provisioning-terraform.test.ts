import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';

const { createTerraformFake } = require('../../sandbox/provisioning/terraform');

/**
 * The HCP Terraform fake driven over plain HTTP with JSON:API documents as HashiCorp's API docs show, and a
 * local receiver that checks every notification's X-TFE-Notification-Signature with node:crypto.
 */

const tfc = createTerraformFake({ delays: { queue: 50, plan: 100, apply: 100 }, webhookBackoffMs: 50 });
const NOTIFY_TOKEN = 'notify-secret-1';
type Received = { headers: IncomingHttpHeaders; raw: string; body: any; signatureValid: boolean };
const received: Received[] = [];
let receiver: Server;
let receiverUrl = '';
let creds: { token: string; organization: string; workspaceId: string };

const verify = (raw: string, signature: unknown) => {
	const expected = createHmac('sha512', NOTIFY_TOKEN).update(raw).digest('hex');
	return typeof signature === 'string' && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
};

beforeAll(async () => {
	await tfc.listen();
	creds = tfc.credentials();
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c)).on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			received.push({ headers: req.headers, raw, body: JSON.parse(raw), signatureValid: verify(raw, req.headers['x-tfe-notification-signature']) });
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tfc`;
});
afterAll(async () => {
	await tfc.close();
	await new Promise((resolve) => receiver.close(resolve));
});

const api = (path: string, init: { method?: string; body?: unknown } = {}, token = creds.token) =>
	fetch(`${tfc.url}/api/v2${path}`, { method: init.method ?? 'GET', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/vnd.api+json' }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
const createRun = async (attributes: Record<string, unknown>) => {
	const res = await api('/runs', { method: 'POST', body: { data: { type: 'runs', attributes, relationships: { workspace: { data: { type: 'workspaces', id: creds.workspaceId } } } } } });
	return { status: res.status, body: await res.json() as any };
};
const runStatus = async (id: string) => (await (await api(`/runs/${id}`)).json() as any).data.attributes.status;
const waitForStatus = async (id: string, status: string, ms = 5000) => {
	const until = Date.now() + ms;
	while ((await runStatus(id)) !== status) {
		if (Date.now() > until) throw new Error(`run ${id} never reached ${status}`);
		await new Promise((r) => setTimeout(r, 40));
	}
};
const outputs = async () => (await (await api(`/workspaces/${creds.workspaceId}/current-state-version-outputs`)).json() as any).data.map((o: any) => o.attributes);

describe('HCP Terraform fake', () => {
	it('verifies a notification configuration, then signs run notifications as runs go to applied', async () => {
		const search = await (await api(`/organizations/${creds.organization}/workspaces?search%5Bname%5D=tenant`)).json() as any;
		expect(search.data.map((w: any) => w.id)).toEqual([creds.workspaceId]);

		const nc = await api(`/workspaces/${creds.workspaceId}/notification-configurations`, { method: 'POST', body: { data: { type: 'notification-configurations', attributes: { 'destination-type': 'generic', enabled: true, name: 'q2c', url: receiverUrl, token: NOTIFY_TOKEN, triggers: ['run:completed', 'run:errored', 'run:needs_attention'] } } } });
		expect(nc.status).toBe(201);
		const config = (await nc.json() as any).data;
		expect(config.attributes).not.toHaveProperty('token');
		expect(received).toHaveLength(1);
		expect(received[0].body).toMatchObject({ payload_version: 1, notification_configuration_id: config.id, run_id: null, notifications: [{ trigger: 'verification' }] });
		expect(received[0].signatureValid).toBe(true);

		const run = await createRun({ message: 'Provision ten_1', 'auto-apply': true, variables: [{ key: 'tenant_id', value: '"ten_1"' }, { key: 'seats', value: '25' }] });
		expect(run.status).toBe(201);
		expect(run.body.data.attributes).toMatchObject({ status: 'pending', 'auto-apply': true, 'is-destroy': false });
		await waitForStatus(run.body.data.id, 'applied');
		await tfc.webhooksIdle();
		const completed = received.filter((r) => r.body.run_id === run.body.data.id);
		expect(completed.map((r) => r.body.notifications[0])).toEqual([expect.objectContaining({ trigger: 'run:completed', run_status: 'applied' })]);
		expect(completed.every((r) => r.signatureValid)).toBe(true);
		expect(completed[0].body).toMatchObject({ payload_version: 1, workspace_id: creds.workspaceId, organization_name: creds.organization });

		const outs = await outputs();
		expect(outs).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tenant_id', value: 'ten_1' }), expect.objectContaining({ name: 'seats', value: 25 }), expect.objectContaining({ name: 'admin_password', sensitive: true, value: null })]));

		// A tampered body would not verify.
		expect(verify(completed[0].raw.replace('applied', 'errored'), completed[0].headers['x-tfe-notification-signature'])).toBe(false);
	});

	it('waits for a person without auto-apply, applies on the action, and destroys with is-destroy', async () => {
		const run = (await createRun({ variables: [{ key: 'tenant_id', value: '"ten_2"' }] })).body.data;
		await waitForStatus(run.id, 'planned');
		expect((await (await api(`/runs/${run.id}`)).json() as any).data.attributes.actions['is-confirmable']).toBe(true);
		expect((await api(`/runs/${run.id}/actions/cancel`, { method: 'POST' })).status).toBe(409);
		expect((await api(`/runs/${run.id}/actions/apply`, { method: 'POST', body: { comment: 'go' } })).status).toBe(202);
		await waitForStatus(run.id, 'applied');
		expect((await outputs()).find((o: any) => o.name === 'tenant_id').value).toBe('ten_2');
		expect((await api(`/runs/${run.id}/actions/apply`, { method: 'POST' })).status).toBe(409);

		const destroy = (await createRun({ 'is-destroy': true, 'auto-apply': true })).body.data;
		await waitForStatus(destroy.id, 'applied');
		expect(await outputs()).toEqual([]);

		const discarded = (await createRun({})).body.data;
		await waitForStatus(discarded.id, 'planned');
		expect((await api(`/runs/${discarded.id}/actions/discard`, { method: 'POST' })).status).toBe(202);
		expect(await runStatus(discarded.id)).toBe('discarded');
		await tfc.webhooksIdle();
		expect(received.filter((r) => r.body.run_id === discarded.id).map((r) => r.body.notifications[0].trigger)).toEqual(['run:needs_attention']);
	});

	it('errors the next run when told to, cancels, and rejects bad input and tokens', async () => {
		tfc.failNext('run');
		const failing = (await createRun({ 'auto-apply': true })).body.data;
		await waitForStatus(failing.id, 'errored');
		await tfc.webhooksIdle();
		expect(received.filter((r) => r.body.run_id === failing.id).map((r) => r.body.notifications[0].trigger)).toEqual(['run:errored']);

		const canceled = (await createRun({ 'auto-apply': true })).body.data;
		expect((await api(`/runs/${canceled.id}/actions/cancel`, { method: 'POST' })).status).toBe(202);
		expect(await runStatus(canceled.id)).toBe('canceled');

		const unquoted = await createRun({ variables: [{ key: 'tenant_id', value: 'ten_3' }] });
		expect(unquoted.status).toBe(422);
		expect(unquoted.body.errors[0]).toMatchObject({ status: '422', source: { pointer: '/data/attributes/variables/0/value' } });
		const wrongType = await api('/runs', { method: 'POST', body: { data: { type: 'workspaces' } } });
		expect(wrongType.status).toBe(422);
		const unauthorized = await api('/runs/' + canceled.id, {}, 'not-a-token');
		expect(unauthorized.status).toBe(401);
		expect(await unauthorized.json() as any).toEqual({ errors: [{ status: '401', title: 'unauthorized' }] });
		tfc.addFaults({ route: 'GET /api/v2/runs/{id}', times: 1, fault: { status: 429 } });
		expect((await api(`/runs/${canceled.id}`)).status).toBe(429);
	});
});

/** The vendor-spec layer's paths with a small stand-in spec of our own (stricter than HashiCorp's), so they run without the file. */
describe('HCP Terraform fake: vendor-spec layer with a stand-in spec', () => {
	const { specLayerReport } = require('../../sandbox/core/vendorSpecs');
	const JSON_API = 'application/vnd.api+json';
	const content = (schema: unknown) => ({ content: { [JSON_API]: { schema } } });
	const standIn = {
		openapi: '3.0.0',
		paths: {
			'/runs': {
				post: {
					requestBody: { required: true, ...content({ type: 'object', required: ['data'], properties: { data: { type: 'object', properties: { type: { type: 'string', enum: ['runs'] }, attributes: { type: 'object', properties: { message: { type: 'string', maxLength: 8 } } }, relationships: { type: 'object' } } } } }) },
					// Stricter than HashiCorp's: a new run may only be 'planning', so the fake's 'pending' strays.
					responses: { 201: content({ type: 'object', properties: { data: { type: 'object', properties: { attributes: { type: 'object', properties: { status: { type: 'string', enum: ['planning'] } } } } } } }) },
				},
			},
			'/runs/{run_id}/actions/apply': { post: { parameters: [{ name: 'run_id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: content({ type: 'object', properties: { comment: { type: 'string' } } }) } },
		},
	};
	const stats = (key: string) => specLayerReport().stats[key] ?? { checked: 0, rejected: 0, problems: [] as string[] };
	let layered: any;
	let plain: any;
	beforeAll(async () => {
		layered = createTerraformFake({ vendorSpec: standIn, delays: { queue: 5000 } });
		plain = createTerraformFake({ vendorSpec: null, delays: { queue: 5000 } });
		await Promise.all([layered.listen(), plain.listen()]);
	});
	afterAll(() => Promise.all([layered.close(), plain.close()]));

	const post = (fake: any, path: string, body: unknown) =>
		fetch(`${fake.url}/api/v2${path}`, { method: 'POST', headers: { Authorization: `Bearer ${fake.credentials().token}`, 'Content-Type': JSON_API }, body: JSON.stringify(body) });
	const runBody = (fake: any, message: string) => ({ data: { type: 'runs', attributes: { message }, relationships: { workspace: { data: { type: 'workspaces', id: fake.credentials().workspaceId } } } } });

	it('refuses what the spec refuses with a JSON:API 422 pointing at the attribute, before a run is queued', async () => {
		const before = stats('terraform');
		const response = await post(layered, '/runs', runBody(layered, 'far too long'));
		expect(response.status).toBe(422);
		expect(((await response.json()) as any).errors).toEqual([
			{ status: '422', title: 'invalid attribute', detail: "Invalid data.attributes.message: must be at most 8 characters (per HashiCorp's published spec)", source: { pointer: '/data/attributes/message' } },
		]);
		expect(layered.state().runs).toEqual([]);
		expect(stats('terraform').rejected - before.rejected).toBe(1);
	});

	it('records an answer that strays from the response schema, and a served route the spec lacks, without changing either', async () => {
		const before = { requests: stats('terraform'), responses: stats('terraformResponses') };
		const created = await post(layered, '/runs', runBody(layered, 'ok'));
		expect(created.status).toBe(201);
		const run = ((await created.json()) as any).data;
		expect(run.attributes.status).toBe('pending');
		expect((await post(layered, `/runs/${run.id}/actions/cancel`, { comment: 'stop' })).status).toBe(202);
		const account = await fetch(`${layered.url}/api/v2/account/details`, { headers: { Authorization: `Bearer ${layered.credentials().token}` } });
		expect(account.status).toBe(200);
		const requests = stats('terraform');
		expect(requests.checked - before.requests.checked).toBe(3);
		expect(requests.problems.slice(before.requests.problems.length)).toEqual(["GET /api/v2/account/details: HashiCorp's spec has no such operation, yet the fake serves it"]);
		const responses = stats('terraformResponses');
		expect(responses.problems.slice(before.responses.problems.length)).toEqual(['POST /runs → 201: data.attributes.status: Invalid data.attributes.status: must be one of planning']);
		expect(layered.vendorSpecReport().notes).toEqual([expect.stringMatching(/^POST \/runs\/\{run_id\}\/actions\/cancel: documented by HashiCorp/)]);
	});

	it('is off with vendorSpec: null: the fake’s own checks only', async () => {
		const before = stats('terraform').checked;
		expect((await post(plain, '/runs', runBody(plain, 'far too long'))).status).toBe(201);
		expect(plain.vendorSpecReport()).toBeNull();
		expect(stats('terraform').checked).toBe(before);
	});
});
