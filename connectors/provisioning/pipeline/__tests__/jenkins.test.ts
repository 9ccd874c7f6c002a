import { idempotencyKey } from '../../../core';
import { JenkinsPipelineRunner, type JenkinsRunnerOptions } from '../jenkins';
import { IDEMPOTENCY_VARIABLE, PIPELINE_TRIGGER_STEP } from '../types';
import { FAST, type FakeVendor, failure, failureOf, type Reply, type Seen, startFake } from './fakeServer';

const USER = 'provisioner';
const API_TOKEN = 'jenkins-api-token-0123456789';
const JOB = '/job/provisioning/job/deploy-stack';
const CRUMB = 'crumb-5f2a9c0d1e';
const SESSION = 'JSESSIONID.abc=node0xyz';

interface QueueItem {
	id: number;
	params: Record<string, string>;
	cancelled?: boolean;
	build?: number;
}
interface Build {
	number: number;
	params: Record<string, string>;
	building: boolean;
	result: string | null;
}

let fake: FakeVendor;
let queue: QueueItem[];
let builds: Build[];
let requireCrumb: boolean;
let answerWith303: boolean;
let override: ((req: Seen) => Reply | undefined) | undefined;

const actions = (params: Record<string, string>) => [{ _class: 'hudson.model.CauseAction' }, { _class: 'hudson.model.ParametersAction', parameters: Object.entries(params).map(([name, value]) => ({ name, value })) }, {}];

function jenkins(req: Seen, url: string): Reply | undefined {
	const fromOverride = override?.(req);
	if (fromOverride) return fromOverride;
	if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${API_TOKEN}`).toString('base64')}`) return { status: 401, body: '<html><body>Unauthorized</body></html>' };
	if (req.path === '/crumbIssuer/api/json') return { status: 200, body: { crumb: CRUMB, crumbRequestField: 'Jenkins-Crumb' }, headers: { 'Set-Cookie': `${SESSION}; Path=/; HttpOnly` } };
	if (req.method === 'POST' && requireCrumb && (req.headers['jenkins-crumb'] !== CRUMB || req.headers.cookie !== SESSION)) {
		return { status: 403, body: '<html><head><title>Error 403 No valid crumb was included in the request</title></head><body><h2>HTTP ERROR 403 No valid crumb was included in the request</h2></body></html>' };
	}
	if (req.method === 'POST' && req.path === `${JOB}/buildWithParameters`) {
		const item = { id: 40 + queue.length, params: Object.fromEntries(new URLSearchParams(req.body)) };
		queue.push(item);
		return { status: answerWith303 ? 303 : 201, headers: { Location: `${url}/queue/item/${item.id}/` } };
	}
	if (req.method === 'GET' && req.path === '/queue/api/json') {
		const waiting = queue.filter((q) => !q.cancelled && q.build === undefined);
		return { status: 200, body: { items: waiting.map((q) => ({ id: q.id, task: { name: 'deploy-stack', url: `${url}${JOB}/` }, actions: actions(q.params) })) } };
	}
	const item = /^\/queue\/item\/(\d+)\/api\/json$/.exec(req.path);
	if (item) {
		const q = queue.find((x) => x.id === Number(item[1]));
		if (!q) return undefined;
		return { status: 200, body: { id: q.id, cancelled: q.cancelled ?? false, why: 'Waiting for next available executor', executable: q.build === undefined ? null : { number: q.build, url: `${url}${JOB}/${q.build}/` } } };
	}
	if (req.method === 'POST' && req.path === '/queue/cancelItem') {
		const q = queue.find((x) => x.id === Number(req.query.get('id') ?? new URLSearchParams(req.body).get('id')));
		if (q) q.cancelled = true;
		return { status: 302, headers: { Location: `${url}/queue/` } };
	}
	if (req.method === 'GET' && req.path === `${JOB}/api/json`) {
		return { status: 200, body: { builds: [...builds].reverse().map((b) => ({ number: b.number, actions: actions(b.params) })) } };
	}
	const build = new RegExp(`^${JOB}/(\\d+)/(api/json|stop)$`).exec(req.path);
	const b = build && builds.find((x) => x.number === Number(build[1]));
	if (!b || !build) return undefined;
	if (build[2] === 'stop' && req.method === 'POST') {
		b.building = false;
		b.result = 'ABORTED';
		return { status: 302, headers: { Location: `${url}${JOB}/${b.number}/` } };
	}
	return { status: 200, body: { number: b.number, url: `${url}${JOB}/${b.number}/`, building: b.building, result: b.result } };
}

/** Jenkins takes the item off the queue and starts build `number`. */
function start(queueId: number, number: number) {
	const q = queue.find((x) => x.id === queueId) as QueueItem;
	q.build = number;
	builds.push({ number, params: q.params, building: true, result: null });
	return builds[builds.length - 1];
}

beforeAll(async () => {
	fake = await startFake(jenkins);
});
afterAll(() => fake.close());
beforeEach(() => {
	queue = [];
	builds = [];
	requireCrumb = false;
	answerWith303 = false;
	override = undefined;
	fake.seen.length = 0;
});

function runner(overrides: Partial<JenkinsRunnerOptions> = {}) {
	return new JenkinsPipelineRunner({ baseUrl: fake.url, user: USER, apiToken: API_TOKEN, job: 'provisioning/deploy-stack', ...FAST, ...overrides });
}

describe('Jenkins pipeline runner', () => {
	it('POSTs buildWithParameters with Basic auth and returns the queue item as the run', async () => {
		const run = await runner().trigger({ businessKey: 'CTR-1', variables: { TENANT: 'rovers' } });
		const post = fake.seen.find((r) => r.method === 'POST');
		expect(post?.path).toBe(`${JOB}/buildWithParameters`);
		const form = new URLSearchParams(post?.body);
		expect(form.get('TENANT')).toBe('rovers');
		expect(form.get(IDEMPOTENCY_VARIABLE)).toBe(idempotencyKey('CTR-1', PIPELINE_TRIGGER_STEP));
		expect(run).toMatchObject({ id: 'provisioning/deploy-stack#queue:40', status: 'queued', reused: false, url: `${fake.url}/queue/item/40/` });
	});

	it('fetches the CSRF crumb when Jenkins asks for it and sends it with the session cookie', async () => {
		requireCrumb = true;
		const run = await runner().trigger({ businessKey: 'CTR-2' });
		expect(run.id).toBe('provisioning/deploy-stack#queue:40');
		const posts = fake.seen.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers['jenkins-crumb']).toBeUndefined();
		expect(posts[1].headers['jenkins-crumb']).toBe(CRUMB);
		expect(posts[1].headers.cookie).toBe(SESSION);
		expect(fake.seen.filter((r) => r.path === '/crumbIssuer/api/json')).toHaveLength(1);
		expect(queue).toHaveLength(1);
	});

	it('accepts 303 (merged with an identical queued item) with its Location', async () => {
		answerWith303 = true;
		const run = await runner().trigger({ businessKey: 'CTR-3' });
		expect(run.id).toBe('provisioning/deploy-stack#queue:40');
	});

	it('follows the queue item to its build, then maps build results', async () => {
		const r = runner();
		const run = await r.trigger({ businessKey: 'CTR-4' });
		expect(await r.get(run.id)).toMatchObject({ status: 'queued', terminal: false });
		const build = start(40, 7);
		const running = await r.get(run.id);
		expect(running).toMatchObject({ id: run.id, status: 'running', nextId: 'provisioning/deploy-stack#build:7', url: `${fake.url}${JOB}/7/` });
		build.building = false;
		build.result = 'SUCCESS';
		expect(await r.get(running.nextId as string)).toMatchObject({ id: 'provisioning/deploy-stack#build:7', status: 'succeeded', rawStatus: 'SUCCESS', terminal: true });
	});

	it.each([
		['SUCCESS', 'succeeded', 'succeeded'],
		['UNSTABLE', 'failed', 'succeeded'],
		['FAILURE', 'failed', 'failed'],
		['NOT_BUILT', 'failed', 'failed'],
		['ABORTED', 'canceled', 'canceled'],
		['SOMETHING_NEW', 'running', 'running'],
	])('maps result %s to %s (and with unstableIs=succeeded to %s)', async (result, expected, lenient) => {
		builds.push({ number: 3, params: {}, building: false, result });
		expect((await runner().get('provisioning/deploy-stack#build:3')).status).toBe(expected);
		expect((await runner({ unstableIs: 'succeeded' }).get('provisioning/deploy-stack#build:3')).status).toBe(lenient);
	});

	it('a retried trigger finds the queued item by its key instead of queueing another', async () => {
		const first = await runner().trigger({ businessKey: 'CTR-5' });
		const again = await runner().trigger({ businessKey: 'CTR-5' });
		expect(again).toMatchObject({ id: first.id, reused: true, status: 'queued' });
		expect(queue).toHaveLength(1);
	});

	it('a retried trigger after the build started finds the build', async () => {
		await runner().trigger({ businessKey: 'CTR-6' });
		await runner().trigger({ businessKey: 'CTR-OTHER' });
		start(40, 12);
		const again = await runner().trigger({ businessKey: 'CTR-6' });
		expect(again).toMatchObject({ id: 'provisioning/deploy-stack#build:12', reused: true, status: 'running' });
		expect(fake.seen.filter((r) => r.path.endsWith('/buildWithParameters'))).toHaveLength(2);
	});

	it('cancels a queued item through the queue', async () => {
		const run = await runner().trigger({ businessKey: 'CTR-7' });
		const state = await runner().cancel(run.id);
		expect(fake.seen.some((r) => r.method === 'POST' && r.path === '/queue/cancelItem')).toBe(true);
		expect(state).toMatchObject({ status: 'canceled', terminal: true });
	});

	it('stops a running build, also when given the queue id', async () => {
		const run = await runner().trigger({ businessKey: 'CTR-8' });
		start(40, 21);
		const state = await runner().cancel(run.id);
		expect(fake.seen.some((r) => r.method === 'POST' && r.path === `${JOB}/21/stop`)).toBe(true);
		expect(state).toMatchObject({ status: 'canceled', rawStatus: 'ABORTED', nextId: 'provisioning/deploy-stack#build:21' });
	});

	describe('validation before any request', () => {
		it.each([
			['a run id of another shape', 'deploy-stack-12'],
			['a run id of another job', 'other/job#build:1'],
			['a non-numeric build', 'provisioning/deploy-stack#build:1a'],
		])('rejects %s', async (_name, id) => {
			const error = await failure(runner().get(id));
			expect(error).toMatchObject({ kind: 'validation', field: 'id' });
			expect(fake.seen).toHaveLength(0);
		});

		it('rejects bad variables and bad configuration', async () => {
			expect((await failure(runner().trigger({ businessKey: 'C', variables: { 'bad name': 'x' } }))).field).toBe('variables.bad name');
			expect(failureOf(() => runner({ job: '../admin' })).field).toBe('job');
			expect(failureOf(() => runner({ apiToken: '' })).field).toBe('apiToken');
			expect(failureOf(() => runner({ user: '' })).field).toBe('user');
			expect(fake.seen).toHaveLength(0);
		});
	});

	it('maps a wrong token to auth without the token in the error', async () => {
		const error = await failure(runner({ apiToken: 'jenkins-wrong-token-987654' }).get('provisioning/deploy-stack#build:1'));
		expect(error.kind).toBe('auth');
		expect(JSON.stringify(error.toJSON())).not.toContain('jenkins-wrong-token-987654');
		expect(error.message).toContain('Unauthorized');
	});

	it('maps a gone queue item to not_found and a 5xx to transient', async () => {
		expect((await failure(runner().get('provisioning/deploy-stack#queue:999'))).kind).toBe('not_found');
		override = () => ({ status: 503, body: '<html>Jenkins is going to shut down</html>' });
		const error = await failure(runner().get('provisioning/deploy-stack#queue:1'));
		expect(error.kind).toBe('transient');
		expect(error.retryable).toBe(true);
	});

	it('fails clearly when Jenkins gives no queue location', async () => {
		override = (req) => (req.path.endsWith('/buildWithParameters') ? { status: 201 } : undefined);
		const error = await failure(runner().trigger({ businessKey: 'CTR-9' }));
		expect(error.kind).toBe('permanent');
		expect(error.message).toContain('no queue item location');
	});
});
