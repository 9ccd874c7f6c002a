import { idempotencyKey } from '../../../core';
import { createGitlabApiTransport, GitlabPipelineRunner, type GitlabRunnerOptions } from '../gitlab';
import { listGitlabProjects } from '../gitlabProjects';
import { ACTION_VARIABLE, BUSINESS_KEY_VARIABLE, IDEMPOTENCY_VARIABLE, PIPELINE_DESTROY_STEP, PIPELINE_TRIGGER_STEP } from '../types';
import { FAST, type FakeVendor, failure, failureOf, type Reply, type Seen, startFake } from './fakeServer';

const TRIGGER_TOKEN = 'glptt-trigger-token-0123456789';
const PRIVATE_TOKEN = 'glpat-private-token-abcdefghij';
const PROJECT = '/api/v4/projects/group%2Finfra';

interface FakePipeline {
	id: number;
	status: string;
	ref: string;
	variables: { key: string; value: string }[];
}

let fake: FakeVendor;
let pipelines: FakePipeline[];
let override: ((req: Seen) => Reply | undefined) | undefined;

function gitlab(req: Seen, url: string): Reply | undefined {
	const fromOverride = override?.(req);
	if (fromOverride) return fromOverride;
	const json = (p: FakePipeline) => ({ id: p.id, status: p.status, ref: p.ref, web_url: `${url}/group/infra/-/pipelines/${p.id}` });
	if (req.method === 'POST' && req.path === `${PROJECT}/trigger/pipeline`) {
		const form = new URLSearchParams(req.body);
		if (form.get('token') !== TRIGGER_TOKEN) return { status: 404, body: { message: '404 Not Found' } };
		const variables = [...form.entries()].filter(([k]) => k.startsWith('variables[')).map(([k, value]) => ({ key: k.slice(10, -1), value }));
		const pipeline = { id: 100 + pipelines.length, status: 'created', ref: form.get('ref') ?? '', variables };
		pipelines.push(pipeline);
		return { status: 201, body: json(pipeline) };
	}
	if (req.headers['private-token'] !== PRIVATE_TOKEN) return { status: 401, body: { message: '401 Unauthorized' } };
	if (req.method === 'GET' && req.path === `${PROJECT}/pipelines`) {
		const list = pipelines.filter((p) => p.ref === req.query.get('ref') && req.query.get('source') === 'trigger').sort((a, b) => b.id - a.id);
		return { status: 200, body: list.slice(0, Number(req.query.get('per_page'))).map(json) };
	}
	const match = new RegExp(`^${PROJECT}/pipelines/(\\d+)(/variables|/cancel)?$`).exec(req.path);
	const pipeline = match && pipelines.find((p) => p.id === Number(match[1]));
	if (!pipeline) return undefined;
	if (match[2] === '/variables') return { status: 200, body: pipeline.variables.map((v) => ({ ...v, variable_type: 'env_var' })) };
	if (match[2] === '/cancel' && req.method === 'POST') pipeline.status = 'canceled';
	return { status: 200, body: json(pipeline) };
}

beforeAll(async () => {
	fake = await startFake(gitlab);
});
afterAll(() => fake.close());
beforeEach(() => {
	pipelines = [];
	override = undefined;
	fake.seen.length = 0;
});

function runner(overrides: Partial<GitlabRunnerOptions> = {}) {
	return new GitlabPipelineRunner({ baseUrl: fake.url, projectId: 'group/infra', triggerToken: TRIGGER_TOKEN, privateToken: PRIVATE_TOKEN, defaultRef: 'main', ...FAST, ...overrides });
}

describe('GitLab pipeline runner', () => {
	it('triggers with the trigger token, ref and variables as a form, and returns the normalized run', async () => {
		const run = await runner().trigger({ businessKey: 'CTR-1', variables: { TENANT: 'rovers', REGION: 'eu-west-1' }, ref: 'release' });
		const post = fake.seen.find((r) => r.method === 'POST');
		expect(post?.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(post?.headers['private-token']).toBeUndefined();
		const form = new URLSearchParams(post?.body);
		expect(form.get('token')).toBe(TRIGGER_TOKEN);
		expect(form.get('ref')).toBe('release');
		expect(form.get('variables[TENANT]')).toBe('rovers');
		expect(form.get(`variables[${IDEMPOTENCY_VARIABLE}]`)).toBe(idempotencyKey('CTR-1', PIPELINE_TRIGGER_STEP));
		expect(form.get(`variables[${BUSINESS_KEY_VARIABLE}]`)).toBe('CTR-1');
		expect(run).toMatchObject({ id: '100', status: 'queued', rawStatus: 'created', terminal: false, reused: false, businessKey: 'CTR-1' });
		expect(run.url).toBe(`${fake.url}/group/infra/-/pipelines/100`);
	});

	it('a retried trigger for the same business key returns the first pipeline instead of starting another', async () => {
		const first = await runner().trigger({ businessKey: 'CTR-2', variables: { TENANT: 'a' } });
		await runner().trigger({ businessKey: 'CTR-OTHER' });
		const again = await runner().trigger({ businessKey: 'CTR-2', variables: { TENANT: 'a' } });
		expect(again.id).toBe(first.id);
		expect(again.reused).toBe(true);
		expect(pipelines).toHaveLength(2);
		expect(fake.seen.filter((r) => r.path.endsWith('/trigger/pipeline'))).toHaveLength(2);
	});

	it('a new attempt number gets a fresh key and so a new pipeline', async () => {
		const first = await runner().trigger({ businessKey: 'CTR-3' });
		const second = await runner().trigger({ businessKey: 'CTR-3', attempt: 1 });
		expect(second.id).not.toBe(first.id);
		expect(second.reused).toBe(false);
	});

	const table: [string, string][] = [
		['created', 'queued'],
		['waiting_for_resource', 'queued'],
		['preparing', 'queued'],
		['pending', 'queued'],
		['scheduled', 'queued'],
		['waiting_for_callback', 'running'],
		['running', 'running'],
		['canceling', 'running'],
		['manual', 'waiting'],
		['success', 'succeeded'],
		['failed', 'failed'],
		['skipped', 'failed'],
		['canceled', 'canceled'],
		['some_future_status', 'running'],
	];
	it.each(table)('maps GitLab status %s to %s', async (raw, expected) => {
		pipelines.push({ id: 7, status: raw, ref: 'main', variables: [] });
		const state = await runner().get('7');
		expect(state).toMatchObject({ id: '7', status: expected, rawStatus: raw, terminal: ['succeeded', 'failed', 'canceled'].includes(expected) });
	});

	it('reads status and cancels with PRIVATE-TOKEN', async () => {
		pipelines.push({ id: 9, status: 'running', ref: 'main', variables: [] });
		const state = await runner().cancel('9');
		const cancel = fake.seen.find((r) => r.path === `${PROJECT}/pipelines/9/cancel`);
		expect(cancel?.method).toBe('POST');
		expect(cancel?.headers['private-token']).toBe(PRIVATE_TOKEN);
		expect(state).toMatchObject({ status: 'canceled', terminal: true });
	});

	it('destroys by running the pipeline again with Q2C_ACTION=destroy under the destroy key; a repeat finds that run', async () => {
		const provisioned = await runner().trigger({ businessKey: 'CTR-9', variables: { TENANT: 'rovers' } });
		const destroyed = await runner().destroy({ businessKey: 'CTR-9', variables: { TENANT: 'rovers' } });
		const again = await runner().destroy({ businessKey: 'CTR-9', variables: { TENANT: 'rovers' } });
		expect(destroyed.id).not.toBe(provisioned.id);
		expect(destroyed).toMatchObject({ reused: false, idempotencyKey: idempotencyKey('CTR-9', PIPELINE_DESTROY_STEP) });
		expect(again).toMatchObject({ id: destroyed.id, reused: true });
		expect(pipelines.map((p) => p.variables.find((v) => v.key === ACTION_VARIABLE)?.value)).toEqual([undefined, 'destroy']);
		await expect(runner().destroy({ businessKey: 'CTR-9', variables: { [ACTION_VARIABLE]: 'provision' } })).rejects.toMatchObject({ kind: 'validation', field: `variables.${ACTION_VARIABLE}` });
	});

	describe('validation before any request', () => {
		const cases: [string, () => Promise<unknown>, string][] = [
			['bad variable name', () => runner().trigger({ businessKey: 'C', variables: { '1BAD': 'x' } }), 'variables.1BAD'],
			['variable name with a dash', () => runner().trigger({ businessKey: 'C', variables: { 'A-B': 'x' } }), 'variables.A-B'],
			['non-string value', () => runner().trigger({ businessKey: 'C', variables: { COUNT: 3 as unknown as string } }), 'variables.COUNT'],
			['reserved variable', () => runner().trigger({ businessKey: 'C', variables: { [IDEMPOTENCY_VARIABLE]: 'mine' } }), `variables.${IDEMPOTENCY_VARIABLE}`],
			['missing business key', () => runner().trigger({ businessKey: ' ' }), 'businessKey'],
			['missing ref with no default', () => runner({ defaultRef: undefined }).trigger({ businessKey: 'C' }), 'ref'],
			['bad ref', () => runner().trigger({ businessKey: 'C', ref: 'a..b' }), 'ref'],
			['non-numeric pipeline id', () => runner().get('../1'), 'id'],
		];
		it.each(cases)('%s', async (_name, call, field) => {
			const error = await failure(call());
			expect(error.kind).toBe('validation');
			expect(error.field).toBe(field);
			expect(fake.seen).toHaveLength(0);
		});

		it('rejects a missing project id or token when the runner is built', () => {
			expect(failureOf(() => runner({ projectId: '' })).field).toBe('projectId');
			expect(failureOf(() => runner({ triggerToken: '' })).field).toBe('triggerToken');
			expect(failureOf(() => runner({ privateToken: undefined as unknown as string })).field).toBe('privateToken');
			expect(failureOf(() => runner({ baseUrl: 'gitlab.local' })).field).toBe('baseUrl');
		});
	});

	describe('errors', () => {
		it('maps 401 to auth without the token in the error', async () => {
			const error = await failure(runner({ privateToken: 'glpat-wrong-token-zzzzzzzz' }).get('1'));
			expect(error.kind).toBe('auth');
			expect(error.status).toBe(401);
			expect(JSON.stringify(error.toJSON())).not.toContain('glpat-wrong-token-zzzzzzzz');
		});

		it.each([
			[403, 'auth'],
			[404, 'not_found'],
			[409, 'conflict'],
		])('maps %i to %s', async (status, kind) => {
			override = () => ({ status, body: { message: `status ${status}` } });
			const error = await failure(runner().get('1'));
			expect(error.kind).toBe(kind);
			expect(error.retryable).toBe(false);
		});

		it('maps 429 to rate_limited with Retry-After, retrying reads first', async () => {
			override = () => ({ status: 429, body: { message: 'Too many' }, headers: { 'Retry-After': '7' } });
			const error = await failure(runner({ retry: { retries: 1, maxRetryAfterMs: 1 } }).get('1'));
			expect(error.kind).toBe('rate_limited');
			expect(error.retryAfterMs).toBe(7000);
			expect(error.retryable).toBe(true);
		});

		it('retries a 5xx read and reports it transient', async () => {
			override = () => ({ status: 502, body: { message: 'bad gateway' } });
			const error = await failure(runner().get('1'));
			expect(error.kind).toBe('transient');
			expect(fake.seen).toHaveLength(3);
		});

		it('never repeats the trigger POST itself on a 5xx (a repeat looks the run up first)', async () => {
			override = (req) => (req.method === 'POST' ? { status: 500, body: { message: 'boom' } } : undefined);
			const error = await failure(runner().trigger({ businessKey: 'CTR-9' }));
			expect(error.kind).toBe('transient');
			expect(fake.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
			expect(error.message).not.toContain(TRIGGER_TOKEN);
		});

		it('shows a GitLab validation message object', async () => {
			override = (req) => (req.method === 'POST' ? { status: 400, body: { message: { base: ['Reference not found'] } } } : undefined);
			const error = await failure(runner().trigger({ businessKey: 'CTR-10' }));
			expect(error.kind).toBe('validation');
			expect(error.message).toContain('Reference not found');
		});
	});

	it('lists member projects for a picker', async () => {
		override = (req) => (req.path === '/api/v4/projects' ? { status: 200, body: [{ id: 5, name: 'infra', path_with_namespace: 'group/infra', web_url: 'https://g/group/infra' }] } : undefined);
		const projects = await listGitlabProjects(createGitlabApiTransport({ baseUrl: fake.url, privateToken: PRIVATE_TOKEN, ...FAST }), { search: 'inf' });
		expect(projects).toEqual([{ id: '5', name: 'infra', path: 'group/infra', url: 'https://g/group/infra' }]);
		expect(fake.seen[0].query.get('search')).toBe('inf');
		expect(fake.seen[0].query.get('membership')).toBe('true');
		expect(fake.seen[0].headers['private-token']).toBe(PRIVATE_TOKEN);
	});
});
