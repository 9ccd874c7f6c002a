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
