import { idempotencyKey, REDACTED } from '../../../core';
import { createTerraformTransport, TerraformPipelineRunner, type TerraformRunnerOptions } from '../terraform';
import { hclString, keysFromRunMessage } from '../terraformStatus';
import { getTerraformOutputs, listTerraformWorkspaces } from '../terraformWorkspaces';
import { PIPELINE_DESTROY_STEP, PIPELINE_TRIGGER_STEP } from '../types';
import { FAST, type FakeVendor, failure, failureOf, type Reply, type Seen, startFake } from './fakeServer';

const TOKEN = 'tfc-user-token.atlasv1.0123456789abcdef';
const WS = 'ws-Tenant123';

interface FakeRun {
	id: string;
	status: string;
	attributes: Record<string, unknown>;
	actions?: Record<string, boolean>;
}

let fake: FakeVendor;
let runs: FakeRun[];
let override: ((req: Seen) => Reply | undefined) | undefined;

const runJson = (r: FakeRun) => ({ id: r.id, type: 'runs', attributes: { ...r.attributes, status: r.status, actions: r.actions ?? { 'is-cancelable': true, 'is-confirmable': false, 'is-discardable': false } } });

function hcp(req: Seen): Reply | undefined {
	const fromOverride = override?.(req);
	if (fromOverride) return fromOverride;
	if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { errors: [{ status: '401', title: 'unauthorized' }] } };
	if (req.method === 'POST' && req.path === '/api/v2/runs') {
		if (req.headers['content-type'] !== 'application/vnd.api+json') return { status: 415, body: { errors: [{ title: 'bad media type' }] } };
		const body = JSON.parse(req.body);
		const run = { id: `run-${runs.length + 1}abc`, status: 'pending', attributes: { ...body.data.attributes, workspace: body.data.relationships.workspace.data.id } };
		runs.push(run);
		return { status: 201, body: { data: runJson(run) } };
	}
	if (req.path === `/api/v2/workspaces/${WS}`) return { status: 200, body: { data: { id: WS, type: 'workspaces', attributes: { name: 'tenant-stack' }, relationships: { organization: { data: { id: 'acme', type: 'organizations' } } } } } };
	if (req.path === `/api/v2/workspaces/${WS}/runs`) return { status: 200, body: { data: [...runs].reverse().slice(0, Number(req.query.get('page[size]'))).map(runJson) } };
	const match = /^\/api\/v2\/runs\/(run-[A-Za-z0-9]+)(\/actions\/(cancel|discard))?$/.exec(req.path);
	const run = match && runs.find((r) => r.id === match[1]);
	if (!run || !match) return undefined;
	if (match[3]) {
		run.status = match[3] === 'cancel' ? 'canceled' : 'discarded';
		return { status: 202 };
	}
	return { status: 200, body: { data: runJson(run) } };
}

beforeAll(async () => {
	fake = await startFake(hcp);
});
afterAll(() => fake.close());
beforeEach(() => {
	runs = [];
	override = undefined;
	fake.seen.length = 0;
});

function runner(overrides: Partial<TerraformRunnerOptions> = {}) {
	return new TerraformPipelineRunner({ baseUrl: fake.url, token: TOKEN, workspaceId: WS, ...FAST, ...overrides });
}
const posted = () => JSON.parse(fake.seen.filter((r) => r.method === 'POST' && r.path === '/api/v2/runs').pop()?.body ?? '{}');

describe('HCP Terraform runner', () => {
	it('creates a JSON:API run with HCL-literal variables and the keys in its message', async () => {
		const run = await runner({ autoApply: true }).trigger({ businessKey: 'CTR-1', variables: { tenant: 'rovers "fc"', cidr: '10.0.0.0/16' }, message: 'Enterprise stack' });
		const post = fake.seen.find((r) => r.method === 'POST');
		expect(post?.headers.authorization).toBe(`Bearer ${TOKEN}`);
		const body = posted();
		expect(body.data.type).toBe('runs');
		expect(body.data.relationships.workspace.data).toEqual({ type: 'workspaces', id: WS });
		expect(body.data.attributes['is-destroy']).toBe(false);
		expect(body.data.attributes['auto-apply']).toBe(true);
		expect(body.data.attributes.variables).toEqual([
			{ key: 'tenant', value: '"rovers \\"fc\\""' },
			{ key: 'cidr', value: '"10.0.0.0/16"' },
		]);
		const key = idempotencyKey('CTR-1', PIPELINE_TRIGGER_STEP);
		expect(keysFromRunMessage(body.data.attributes.message)).toEqual({ idempotencyKey: key, businessKey: 'CTR-1' });
		expect(body.data.attributes.message).toMatch(/^Enterprise stack/);
		expect(run).toMatchObject({ id: 'run-1abc', status: 'queued', rawStatus: 'pending', reused: false, idempotencyKey: key });
		expect(run.url).toBe(`${fake.url}/app/acme/workspaces/tenant-stack/runs/run-1abc`);
	});

	it('leaves auto-apply to the workspace unless configured, and sends the key variables only when asked', async () => {
		await runner().trigger({ businessKey: 'CTR-2' });
		expect(posted().data.attributes).not.toHaveProperty('auto-apply');
		expect(posted().data.attributes.variables).toEqual([]);
		await runner({ sendKeyVariables: true }).trigger({ businessKey: 'CTR-3' });
		expect(posted().data.attributes.variables).toEqual(
			expect.arrayContaining([
				{ key: 'Q2C_BUSINESS_KEY', value: '"CTR-3"' },
				{ key: 'Q2C_IDEMPOTENCY_KEY', value: `"${idempotencyKey('CTR-3', PIPELINE_TRIGGER_STEP)}"` },
			]),
		);
	});

	it('a retried trigger returns the existing run instead of queueing another', async () => {
		const first = await runner().trigger({ businessKey: 'CTR-4' });
		await runner().trigger({ businessKey: 'CTR-OTHER' });
		const again = await runner().trigger({ businessKey: 'CTR-4' });
		expect(again).toMatchObject({ id: first.id, reused: true });
		expect(runs).toHaveLength(2);
	});

	it('destroy queues an is-destroy run with its own key, idempotent too', async () => {
		const applied = await runner().trigger({ businessKey: 'CTR-5' });
		const destroy = await runner().destroy({ businessKey: 'CTR-5' });
		expect(destroy.id).not.toBe(applied.id);
		expect(posted().data.attributes['is-destroy']).toBe(true);
		expect(destroy.idempotencyKey).toBe(idempotencyKey('CTR-5', PIPELINE_DESTROY_STEP));
		const again = await runner().destroy({ businessKey: 'CTR-5' });
		expect(again).toMatchObject({ id: destroy.id, reused: true });
		expect(runs).toHaveLength(2);
	});

	it.each([
		['pending', {}, 'queued'],
		['plan_queued', {}, 'queued'],
		['planning', {}, 'running'],
		['planned', { 'auto-apply': true }, 'running'],
		['planned', { 'auto-apply': false }, 'waiting'],
		['cost_estimated', { 'auto-apply': false, confirmable: true }, 'waiting'],
		['policy_override', {}, 'waiting'],
		['applying', {}, 'running'],
		['applied', {}, 'succeeded'],
		['planned_and_finished', {}, 'succeeded'],
		['errored', {}, 'failed'],
		['policy_soft_failed', {}, 'failed'],
		['canceled', {}, 'canceled'],
		['force_canceled', {}, 'canceled'],
		['discarded', {}, 'canceled'],
		['brand_new_status', {}, 'running'],
	] as [string, Record<string, unknown>, string][])('maps %s %j to %s', async (status, facts, expected) => {
		runs.push({ id: 'run-x1', status, attributes: { 'auto-apply': facts['auto-apply'] }, actions: { 'is-confirmable': facts.confirmable === true } });
		const state = await runner().get('run-x1');
		expect(state).toMatchObject({ status: expected, rawStatus: status, terminal: ['succeeded', 'failed', 'canceled'].includes(expected) });
	});

	it('cancels a running run, discards a plan awaiting confirmation, and leaves a finished one alone', async () => {
		runs.push({ id: 'run-a1', status: 'planning', attributes: {} });
		runs.push({ id: 'run-b1', status: 'planned', attributes: { 'auto-apply': false }, actions: { 'is-cancelable': false, 'is-confirmable': true, 'is-discardable': true } });
		runs.push({ id: 'run-c1', status: 'applied', attributes: {} });
		expect(await runner().cancel('run-a1')).toMatchObject({ status: 'canceled', rawStatus: 'canceled' });
		expect(await runner().cancel('run-b1')).toMatchObject({ status: 'canceled', rawStatus: 'discarded' });
		expect(await runner().cancel('run-c1')).toMatchObject({ status: 'succeeded' });
		const actions = fake.seen.filter((r) => r.path.includes('/actions/')).map((r) => r.path);
		expect(actions).toEqual(['/api/v2/runs/run-a1/actions/cancel', '/api/v2/runs/run-b1/actions/discard']);
	});

	it('reads workspace outputs with sensitive values redacted', async () => {
		override = (req) =>
			req.path === `/api/v2/workspaces/${WS}/current-state-version-outputs`
				? {
						status: 200,
						body: {
							data: [
								{ id: 'wsout-1', type: 'state-version-outputs', attributes: { name: 'db_endpoint', sensitive: false, type: 'string', value: 'db.internal:5432' } },
								{ id: 'wsout-2', type: 'state-version-outputs', attributes: { name: 'db_password', sensitive: true, type: 'string', value: 'hunter2-secret' } },
							],
						},
					}
				: undefined;
		const outputs = await getTerraformOutputs(createTerraformTransport({ baseUrl: fake.url, token: TOKEN, ...FAST }), WS);
		expect(outputs.db_endpoint).toEqual({ name: 'db_endpoint', value: 'db.internal:5432', sensitive: false, type: 'string' });
		expect(outputs.db_password.value).toBe(REDACTED);
		expect(JSON.stringify(outputs)).not.toContain('hunter2');
	});

	it('lists workspaces by name for a picker', async () => {
		override = (req) => (req.path === '/api/v2/organizations/acme/workspaces' ? { status: 200, body: { data: [{ id: WS, type: 'workspaces', attributes: { name: 'tenant-stack' } }] } } : undefined);
		const list = await listTerraformWorkspaces(createTerraformTransport({ baseUrl: fake.url, token: TOKEN, ...FAST }), { organization: 'acme', search: 'tenant' });
		expect(list).toEqual([{ id: WS, name: 'tenant-stack' }]);
		expect(fake.seen[0].query.get('search[name]')).toBe('tenant');
		await expect(listTerraformWorkspaces(createTerraformTransport({ baseUrl: fake.url, token: TOKEN }), { organization: '../x' })).rejects.toMatchObject({ field: 'organization' });
	});

	describe('validation before any request', () => {
		it('rejects bad ids, variables and configuration', async () => {
			expect((await failure(runner().get('ws-notarun'))).field).toBe('id');
			expect((await failure(runner().trigger({ businessKey: 'C', variables: { 'my-var': 'x' } }))).field).toBe('variables.my-var');
			expect((await failure(runner().trigger({ businessKey: 'C', variables: { count: 1 as unknown as string } }))).field).toBe('variables.count');
			expect(failureOf(() => runner({ workspaceId: 'tenant-stack' })).field).toBe('workspaceId');
			expect(failureOf(() => runner({ token: ' ' })).field).toBe('token');
			expect(fake.seen).toHaveLength(0);
		});
	});

	describe('errors', () => {
		it('maps 401 to auth without the token', async () => {
			const error = await failure(runner({ token: 'wrong-token.atlasv1.zzzzzz' }).get('run-1abc'));
			expect(error.kind).toBe('auth');
			expect(JSON.stringify(error.toJSON())).not.toContain('wrong-token.atlasv1.zzzzzz');
		});

		it.each([
			[404, 'not_found'],
			[409, 'conflict'],
			[500, 'transient'],
		])('maps %i to %s', async (status, kind) => {
			override = () => ({ status, body: { errors: [{ status: String(status), title: 'nope', detail: `detail ${status}` }] } });
			const error = await failure(runner({ retry: { retries: 0 } }).get('run-1abc'));
			expect(error.kind).toBe(kind);
			expect(error.message).toContain(`detail ${status}`);
		});

		it('maps 429 to rate_limited with the Retry-After wait', async () => {
			override = () => ({ status: 429, body: { errors: [{ status: '429', title: 'Too many requests' }] }, headers: { 'Retry-After': '3' } });
			const error = await failure(runner({ retry: { retries: 0 } }).get('run-1abc'));
			expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000, retryable: true });
		});
	});
});

describe('hclString', () => {
	it.each([
		['plain', '"plain"'],
		['say "hi"', '"say \\"hi\\""'],
		['C:\\path', '"C:\\\\path"'],
		['two\nlines\ttab', '"two\\nlines\\ttab"'],
		['${var.secret}', '"$${var.secret}"'],
		['%{ if true }x%{ endif }', '"%%{ if true }x%%{ endif }"'],
		['bell\u0007', '"bell\\u0007"'],
	])('quotes %j as %s', (input, expected) => {
		expect(hclString(input)).toBe(expected);
	});
});
