import { startFake, type FakeVendor, type Seen } from '../../../../../connectors/provisioning/pipeline/__tests__/fakeServer';
import { routeOperations } from '../../../../shared/router';
import { receiptsIn, tempStore } from '../../../../shared/__tests__/receiptKit';
import { cloudClientsFor } from '../../../clients';
import { operations, sideEffects } from '..';
import { searchGitlabProjects } from '../listSearch';
import { context, failure, loadOptionsContext, locator, run, type Params } from './kit';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- fake tokens only the local fake sees
const TRIGGER_TOKEN = 'glptt-trigger-secret-0001';
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- fake tokens only the local fake sees
const ACCESS_TOKEN = 'glpat-access-secret-0002';
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- fake tokens only the local fake sees
const WRONG_TOKEN = 'glpat-wrong-token-9999';

/** A pipeline variable as GitLab lists it. */
const variable = (key: string, value: unknown) => ({ key, value });

interface Pipeline {
	id: number;
	status: string;
	ref: string;
	variables: { key: string; value: string }[];
}

/** GitLab's pipeline API for project 42: triggers, lists, variables, get, cancel, projects, with token checks. */
function gitlab(pipelines: Pipeline[]) {
	return (req: Seen, url: string) => {
		const web = (p: Pipeline) => ({ id: p.id, status: p.status, ref: p.ref, web_url: `${url}/group/app/-/pipelines/${p.id}` });
		if (req.method === 'POST' && req.path === '/api/v4/projects/42/trigger/pipeline') {
			const form = new URLSearchParams(req.body);
			if (form.get('token') !== TRIGGER_TOKEN) return { status: 404, body: { message: '404 Not Found' } };
			const variables = [...form.entries()].filter(([key]) => key.startsWith('variables[')).map(([key, value]) => ({ key: key.slice(10, -1), value }));
			const pipeline = { id: 100 + pipelines.length, status: 'created', ref: form.get('ref') ?? '', variables };
			pipelines.push(pipeline);
			return { status: 201, body: web(pipeline) };
		}
		if (req.headers['private-token'] !== ACCESS_TOKEN) return { status: 401, body: { message: `401 Unauthorized: token ${String(req.headers['private-token'])} is invalid` } };
		if (req.path === '/api/v4/projects') return { status: 200, body: [{ id: 42, name: 'app', path_with_namespace: 'group/app', web_url: `${url}/group/app` }] };
		if (req.path === '/api/v4/projects/42/pipelines') return { status: 200, body: [...pipelines].reverse().filter((p) => p.ref === req.query.get('ref')).map(web) };
		const match = /^\/api\/v4\/projects\/42\/pipelines\/(\d+)(\/variables|\/cancel)?$/.exec(req.path);
		const pipeline = pipelines.find((p) => p.id === Number(match?.[1]));
		if (!match || !pipeline) return { status: 404, body: { message: '404 Not found' } };
		if (match[2] === '/variables') return { status: 200, body: pipeline.variables };
		if (match[2] === '/cancel') pipeline.status = 'canceled';
		return { status: 200, body: web(pipeline) };
	};
}

let fake: FakeVendor;
let pipelines: Pipeline[];
let credentials: Record<string, Record<string, unknown>>;

beforeEach(async () => {
	pipelines = [];
	fake = await startFake(gitlab(pipelines));
	credentials = { provisioningGitlabApi: { baseUrl: fake.url, triggerToken: TRIGGER_TOKEN, accessToken: ACCESS_TOKEN } };
});
afterEach(() => fake.close());

const triggerParams: Params = {
	resource: 'pipeline',
	operation: 'trigger',
	pipelineProvider: 'gitlab',
	project: locator('42'),
	businessKey: 'CTR-1',
	ref: 'main',
	variables: { variable: [{ name: 'TENANT_SLUG', value: 'myclub' }] },
	attempt: 0,
};

const noSecrets = (value: unknown) => {
	const text = JSON.stringify(value);
	expect(text).not.toContain(TRIGGER_TOKEN);
	expect(text).not.toContain(ACCESS_TOKEN);
};

describe('pipeline on GitLab CI', () => {
	it('triggers once per business key: a repeat returns the same pipeline as reused', async () => {
		const first = await run(operations.trigger, triggerParams, credentials);
		expect(first).toMatchObject({ provider: 'gitlab', projectId: '42', runId: '100', status: 'queued', rawStatus: 'created', terminal: false, businessKey: 'CTR-1', reused: false });
		expect(first.url).toBe(`${fake.url}/group/app/-/pipelines/100`);
		expect(pipelines[0].variables).toEqual(
			expect.arrayContaining([
				variable('TENANT_SLUG', 'myclub'),
				variable('Q2C_BUSINESS_KEY', 'CTR-1'),
				variable('Q2C_IDEMPOTENCY_KEY', first.idempotencyKey),
			]),
		);
		// The trigger call carries only the trigger token.
		expect(fake.seen.find((r) => r.path.endsWith('/trigger/pipeline'))?.headers['private-token']).toBeUndefined();
		const again = await run(operations.trigger, triggerParams, credentials);
		expect(again).toMatchObject({ runId: '100', reused: true, idempotencyKey: first.idempotencyKey });
		expect(pipelines).toHaveLength(1);
		noSecrets([first, again]);
	});

	it('gets the normalized status for a Wait loop, and cancels', async () => {
		pipelines.push({ id: 7, status: 'manual', ref: 'main', variables: [] }, { id: 8, status: 'success', ref: 'main', variables: [] });
		const base = { resource: 'pipeline', pipelineProvider: 'gitlab', project: locator('42', 'id') };
		expect(await run(operations.get, { ...base, operation: 'get', runId: '7' }, credentials)).toMatchObject({ runId: '7', status: 'waiting', terminal: false });
		expect(await run(operations.get, { ...base, operation: 'get', runId: '8' }, credentials)).toMatchObject({ runId: '8', status: 'succeeded', terminal: true });
		const canceled = await run(operations.cancel, { ...base, operation: 'cancel', runId: '7' }, credentials);
		expect(canceled).toMatchObject({ runId: '7', status: 'canceled', terminal: true });
		expect(fake.seen.some((r) => r.method === 'POST' && r.path === '/api/v4/projects/42/pipelines/7/cancel')).toBe(true);
	});

	it('destroys by triggering with Q2C_ACTION=destroy under its own key, never returning the provisioning run', async () => {
		const provisioned = await run(operations.trigger, triggerParams, credentials);
		const destroyParams = { ...triggerParams, operation: 'destroy' };
		const destroyed = await run(operations.destroy, destroyParams, credentials);
		expect(destroyed).toMatchObject({ runId: '101', action: 'destroy', reused: false, businessKey: 'CTR-1' });
		expect(destroyed.idempotencyKey).not.toBe(provisioned.idempotencyKey);
		expect(pipelines[1].variables).toEqual(expect.arrayContaining([variable('Q2C_ACTION', 'destroy'), variable('Q2C_BUSINESS_KEY', 'CTR-1')]));
		const again = await run(operations.destroy, destroyParams, credentials);
		expect(again).toMatchObject({ runId: '101', reused: true });
		expect(pipelines).toHaveLength(2);
		noSecrets([destroyed, again]);
	});

	it('refuses bad input, naming the field, before any request', async () => {
		const cases: [Params, string][] = [
			[{ ...triggerParams, project: locator('') }, 'project'],
			[{ ...triggerParams, ref: '' }, 'ref'],
			[{ ...triggerParams, businessKey: ' ' }, 'businessKey'],
			[{ ...triggerParams, variables: { variable: [{ name: '1BAD', value: 'x' }] } }, 'variables.1BAD'],
			[{ ...triggerParams, variables: { variable: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] } }, 'variables.A'],
			[{ ...triggerParams, variables: { variable: [{ name: 'Q2C_IDEMPOTENCY_KEY', value: 'mine' }] } }, 'variables.Q2C_IDEMPOTENCY_KEY'],
			[{ ...triggerParams, pipelineProvider: 'circleci' }, 'pipelineProvider'],
		];
		for (const [params, field] of cases) expect((await failure(run(operations.trigger, params, credentials))).field).toBe(field);
		const destroyWithAction = { ...triggerParams, operation: 'destroy', variables: { variable: [{ name: 'Q2C_ACTION', value: 'apply' }] } };
		expect((await failure(run(operations.destroy, destroyWithAction, credentials))).field).toBe('variables.Q2C_ACTION');
		expect((await failure(run(operations.get, { pipelineProvider: 'gitlab', project: locator('42'), runId: 'abc' }, credentials))).field).toBe('id');
		expect(fake.seen).toHaveLength(0);
	});

	it('maps a rejected access token to an auth error that does not echo it', async () => {
		pipelines.push({ id: 7, status: 'running', ref: 'main', variables: [] });
		const wrong = { provisioningGitlabApi: { ...credentials.provisioningGitlabApi, accessToken: WRONG_TOKEN } };
		const error = await failure(run(operations.get, { pipelineProvider: 'gitlab', project: locator('42'), runId: '7' }, wrong));
		expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
		expect(JSON.stringify({ message: error.message, ...error.toJSON() })).not.toContain(WRONG_TOKEN);
	});

	it('lists projects for the picker', async () => {
		const found = await searchGitlabProjects.call(loadOptionsContext({}, credentials), 'app');
		expect(found.results.map((result) => [result.name, result.value, result.url])).toEqual([['group/app', '42', `${fake.url}/group/app`]]);
		expect(fake.seen[0].query.get('search')).toBe('app');
	});

	it('records a receipt of the trigger under provisioning.pipeline.trigger, naming the run', async () => {
		const store = tempStore();
		try {
			const params = { ...triggerParams, recordReceipt: true, receiptBusinessKey: 'CTR-1', receiptOptions: { storePath: store.dir } };
			const ctx = context(params, credentials);
			const [items] = await routeOperations(ctx, { pipeline: operations }, async (index) => cloudClientsFor(ctx, index), { sideEffects });
			expect(items[0].json.receipt).toMatchObject({ step: 'provisioning.pipeline.trigger' });
			const [receipt] = await receiptsIn(store.dir, 'CTR-1');
			expect(receipt).toMatchObject({ workflow_step: 'provisioning.pipeline.trigger', resource_ref: '100' });
			expect(receipt.effect).toMatchObject({ type: 'pipeline.run', provider: 'gitlab', projectId: '42' });
			noSecrets(receipt);
		} finally {
			store.cleanup();
		}
	});
});
