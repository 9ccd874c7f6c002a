import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

const { createGitlabFake } = require('../../sandbox/provisioning/gitlab');

/**
 * The GitLab CI fake driven over plain HTTP as GitLab's docs show (pipeline triggers API, pipelines API, project
 * hooks), with a local receiver for Pipeline Hook webhooks that first answers 503 to prove redelivery.
 */

const gitlab = createGitlabFake({ delays: { pending: 100, running: 100, finish: 200 }, webhookBackoffMs: 50 });
type Received = { headers: IncomingHttpHeaders; body: any };
const received: Received[] = [];
let refuseNext = 1;
let receiver: Server;
let receiverUrl = '';
let creds: { privateToken: string; triggerToken: string; projectId: number };

beforeAll(async () => {
	await gitlab.listen();
	creds = gitlab.credentials();
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c)).on('end', () => {
			if (refuseNext > 0) {
				refuseNext--;
				res.writeHead(503).end();
				return;
			}
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/gitlab`;
});
afterAll(async () => {
	await gitlab.close();
	await new Promise((resolve) => receiver.close(resolve));
});

const api = (path: string, init: RequestInit = {}, token = creds.privateToken) => fetch(`${gitlab.url}/api/v4${path}`, { ...init, headers: { 'PRIVATE-TOKEN': token, ...(init.headers ?? {}) } });
const trigger = (fields: Record<string, string>, project = String(creds.projectId)) => fetch(`${gitlab.url}/api/v4/projects/${project}/trigger/pipeline`, { method: 'POST', body: new URLSearchParams(fields) });
const waitFor = async (fn: () => Promise<boolean> | boolean, ms = 8000) => {
	const until = Date.now() + ms;
	while (!(await fn())) {
		if (Date.now() > until) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
};
const tokenMatches = (presented: unknown, expected: string) => typeof presented === 'string' && presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));

describe('GitLab CI fake', () => {
	it('triggers a pipeline, runs it through its statuses, delivers signed hooks with redelivery, and records the stack', async () => {
		const hook = await api(`/projects/${encodeURIComponent('infra/tenant-stacks')}/hooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiverUrl, token: 'hook-secret-1', pipeline_events: true }) });
		expect(hook.status).toBe(201);
		expect(await hook.json() as any).not.toHaveProperty('token');

		const res = await trigger({ token: creds.triggerToken, ref: 'main', 'variables[TENANT_ID]': 'ten_1', 'variables[PLAN]': 'pro' });
		expect(res.status).toBe(201);
		const pipeline = await res.json() as any;
		expect(pipeline).toMatchObject({ status: 'created', ref: 'main', source: 'trigger', web_url: expect.stringContaining(`/infra/tenant-stacks/-/pipelines/${pipeline.id}`) });

		const seen = new Set<string>();
		await waitFor(async () => {
			seen.add((await (await api(`/projects/1/pipelines/${pipeline.id}`)).json() as any).status);
			return seen.has('success');
		});
		expect([...seen].every((s) => ['created', 'pending', 'running', 'success'].includes(s))).toBe(true);
		await gitlab.webhooksIdle();

		const statuses = received.map((r) => r.body.object_attributes.status);
		expect(statuses).toEqual(['pending', 'running', 'success']);
		const final = received[2];
		expect(final.headers['x-gitlab-event']).toBe('Pipeline Hook');
		expect(tokenMatches(final.headers['x-gitlab-token'], 'hook-secret-1')).toBe(true);
		expect(final.body).toMatchObject({ object_kind: 'pipeline', object_attributes: { id: pipeline.id, ref: 'main', variables: expect.arrayContaining([{ key: 'TENANT_ID', value: 'ten_1' }]) }, project: { path_with_namespace: 'infra/tenant-stacks' }, builds: [expect.objectContaining({ status: 'success' })] });
		// The first delivery was refused with 503 and delivered again.
		expect(gitlab.deliveries()[0].attempts.map((a: { status: number }) => a.status)).toEqual([503, 200]);
		expect(gitlab.stacks()).toEqual([expect.objectContaining({ tenant: 'ten_1', pipelineId: pipeline.id })]);

		expect(await (await api(`/projects/1/pipelines/${pipeline.id}/variables`)).json() as any).toEqual(expect.arrayContaining([{ key: 'PLAN', value: 'pro', variable_type: 'env_var' }]));
		const listed = await (await api('/projects/1/pipelines?ref=main&source=trigger')).json() as any;
		expect(listed.map((p: { id: number }) => p.id)).toContain(pipeline.id);
		expect(await (await api('/projects/1/pipelines?ref=staging')).json() as any).toEqual([]);

		// Q2C_ACTION=destroy (JSON body this time) removes the tenant's stack.
		const destroy = await fetch(`${gitlab.url}/api/v4/projects/1/trigger/pipeline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: creds.triggerToken, ref: 'main', variables: { TENANT_ID: 'ten_1', Q2C_ACTION: 'destroy' } }) });
		const destroyed = await destroy.json() as any;
		await waitFor(async () => (await (await api(`/projects/1/pipelines/${destroyed.id}`)).json() as any).status === 'success');
		expect(gitlab.stacks()).toEqual([]);
	});

	it('fails the next pipeline when told to, and cancels a running one', async () => {
		expect((await fetch(`${gitlab.url}/__sandbox/fail-next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'pipeline' }) })).status).toBe(201);
		const failing = await (await trigger({ token: creds.triggerToken, ref: 'main', 'variables[TENANT_ID]': 'ten_2' })).json() as any;
		const canceled = await (await trigger({ token: creds.triggerToken, ref: 'main', 'variables[TENANT_ID]': 'ten_3' })).json() as any;
		const cancel = await api(`/projects/1/pipelines/${canceled.id}/cancel`, { method: 'POST' });
		expect((await cancel.json() as any).status).toBe('canceled');
		await waitFor(async () => (await (await api(`/projects/1/pipelines/${failing.id}`)).json() as any).status === 'failed');
		await new Promise((r) => setTimeout(r, 500));
		expect((await (await api(`/projects/1/pipelines/${canceled.id}`)).json() as any).status).toBe('canceled');
		expect(gitlab.stacks().map((s: { tenant: string }) => s.tenant)).not.toContain('ten_2');
	});

	it('answers bad tokens, unknown refs and injected faults like GitLab', async () => {
		expect((await trigger({ token: 'wrong', ref: 'main' })).status).toBe(404);
		const badRef = await trigger({ token: creds.triggerToken, ref: 'nope' });
		expect(badRef.status).toBe(400);
		expect(await badRef.json() as any).toEqual({ message: { base: ['Reference not found'] } });
		const unauthorized = await api('/projects/1/pipelines', {}, 'glpat-wrong');
		expect(unauthorized.status).toBe(401);
		expect(await unauthorized.json() as any).toEqual({ message: '401 Unauthorized' });
		// A trigger token cannot read pipelines.
		expect((await api('/projects/1/pipelines', {}, creds.triggerToken)).status).toBe(401);
		expect(await (await api('/projects?search=tenant')).json() as any).toEqual([expect.objectContaining({ id: 1, path_with_namespace: 'infra/tenant-stacks' })]);
		gitlab.addFaults({ route: 'POST /api/v4/projects/{id}/trigger/pipeline', times: 1, fault: { status: 502 } });
		expect((await trigger({ token: creds.triggerToken, ref: 'main' })).status).toBe(502);
	});
});
