import { startFake, type FakeVendor, type Seen } from '../../../../../connectors/provisioning/pipeline/__tests__/fakeServer';
import { operations } from '..';
import { failure, run, type Params } from './kit';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake token only the local fake sees
const API_TOKEN = '11aa22bb33cc44dd55ee66ff77889900';
const BASIC = `Basic ${Buffer.from(`robot:${API_TOKEN}`).toString('base64')}`;

interface Build {
	number: number;
	result: string | null;
	parameters: Record<string, string>;
}

/**
 * A Jenkins with one job "deploy": buildWithParameters queues item 5, 6, …; a queue item started as build 7, 8, …
 * once `started` is called. Basic auth checked.
 */
function jenkins(state: { queued: { id: number; parameters: Record<string, string> }[]; builds: Build[] }) {
	return (req: Seen, url: string) => {
		if (req.headers.authorization !== BASIC) return { status: 401, body: '<html><body>Unauthorized: bad credentials</body></html>' };
		const params = (p: Record<string, string>) => [{ parameters: Object.entries(p).map(([name, value]) => ({ name, value })) }];
		if (req.method === 'POST' && req.path === '/job/deploy/buildWithParameters') {
			const id = 5 + state.queued.length + state.builds.length;
			state.queued.push({ id, parameters: Object.fromEntries(new URLSearchParams(req.body)) });
			return { status: 201, headers: { Location: `${url}/queue/item/${id}/` } };
		}
		if (req.path === '/queue/api/json') return { status: 200, body: { items: state.queued.map((q) => ({ id: q.id, task: { url: `${url}/job/deploy/` }, actions: params(q.parameters) })) } };
		if (req.path === '/job/deploy/api/json') return { status: 200, body: { builds: state.builds.map((b) => ({ number: b.number, actions: params(b.parameters) })) } };
		const queueItem = /^\/queue\/item\/(\d+)\/api\/json$/.exec(req.path);
		if (queueItem) {
			const id = Number(queueItem[1]);
			const build = state.builds.find((b) => b.number === id + 2);
			if (build) return { status: 200, body: { id, executable: { number: build.number, url: `${url}/job/deploy/${build.number}/` } } };
			return { status: 200, body: { id, why: 'Waiting for next available executor' } };
		}
		const build = /^\/job\/deploy\/(\d+)\/api\/json$/.exec(req.path);
		const found = state.builds.find((b) => b.number === Number(build?.[1]));
		if (found) return { status: 200, body: { number: found.number, url: `${url}/job/deploy/${found.number}/`, building: found.result === null, result: found.result } };
		return { status: 404, body: '<html><body>Not Found</body></html>' };
	};
}

let fake: FakeVendor;
let state: { queued: { id: number; parameters: Record<string, string> }[]; builds: Build[] };
let credentials: Record<string, Record<string, unknown>>;

/** Jenkins starts the queued item `id` as build id + 2. */
function start(id: number, result: string | null = null): void {
	const index = state.queued.findIndex((q) => q.id === id);
	const [item] = state.queued.splice(index, 1);
	state.builds.unshift({ number: id + 2, result, parameters: item.parameters });
}

beforeEach(async () => {
	state = { queued: [], builds: [] };
	fake = await startFake(jenkins(state));
	credentials = { provisioningJenkinsApi: { baseUrl: fake.url, username: 'robot', apiToken: API_TOKEN } };
});
afterEach(() => fake.close());

const params: Params = { resource: 'pipeline', pipelineProvider: 'jenkins', jobName: 'deploy', businessKey: 'CTR-3', variables: { variable: [{ name: 'TENANT', value: 'myclub' }] } };

describe('pipeline on Jenkins', () => {
	it('queues a build, follows the queue item to its build, and finds the run again by key', async () => {
		const queued = await run(operations.trigger, { ...params, operation: 'trigger' }, credentials);
		expect(queued).toMatchObject({ provider: 'jenkins', job: 'deploy', runId: 'deploy#queue:5', status: 'queued', reused: false });
		expect(state.queued[0].parameters).toMatchObject({ TENANT: 'myclub', Q2C_BUSINESS_KEY: 'CTR-3', Q2C_IDEMPOTENCY_KEY: queued.idempotencyKey });
		start(5);
		const got = await run(operations.get, { ...params, operation: 'get', runId: 'deploy#queue:5' }, credentials);
		expect(got).toMatchObject({ runId: 'deploy#build:7', requestedRunId: 'deploy#queue:5', status: 'running', terminal: false });
		state.builds[0].result = 'UNSTABLE';
		expect(await run(operations.get, { ...params, operation: 'get', runId: 'deploy#build:7' }, credentials)).toMatchObject({ status: 'failed', rawStatus: 'UNSTABLE', terminal: true });
		expect(await run(operations.trigger, { ...params, operation: 'trigger' }, credentials)).toMatchObject({ runId: 'deploy#build:7', reused: true });
		expect(state.builds).toHaveLength(1);
		expect(state.queued).toHaveLength(0);
		expect(JSON.stringify(queued)).not.toContain(API_TOKEN);
	});

	it('destroys by queueing the job with Q2C_ACTION=destroy, once per key', async () => {
		await run(operations.trigger, { ...params, operation: 'trigger' }, credentials);
		start(5, 'SUCCESS');
		const destroyed = await run(operations.destroy, { ...params, operation: 'destroy' }, credentials);
		expect(destroyed).toMatchObject({ runId: 'deploy#queue:6', action: 'destroy', reused: false });
		expect(state.queued[0].parameters).toMatchObject({ Q2C_ACTION: 'destroy', Q2C_BUSINESS_KEY: 'CTR-3', Q2C_IDEMPOTENCY_KEY: destroyed.idempotencyKey });
		expect(await run(operations.destroy, { ...params, operation: 'destroy' }, credentials)).toMatchObject({ runId: 'deploy#queue:6', reused: true });
		expect(state.queued).toHaveLength(1);
	});

	it('refuses a run id of another job or a blank job before any request', async () => {
		expect((await failure(run(operations.get, { ...params, runId: 'other#build:1' }, credentials))).field).toBe('id');
		expect((await failure(run(operations.cancel, { ...params, jobName: ' ', runId: 'deploy#build:1' }, credentials))).field).toBe('jobName');
		expect((await failure(run(operations.trigger, { ...params, jobName: '../admin' }, credentials))).field).toBe('job');
		expect(fake.seen).toHaveLength(0);
	});

	it('maps bad credentials to an auth error without the token', async () => {
		const wrong = { provisioningJenkinsApi: { ...credentials.provisioningJenkinsApi, apiToken: 'wrong-token-123' } };
		const error = await failure(run(operations.trigger, { ...params, operation: 'trigger' }, wrong));
		expect(error).toMatchObject({ kind: 'auth', status: 401 });
		expect(JSON.stringify({ message: error.message, ...error.toJSON() })).not.toMatch(/wrong-token-123|11aa22bb/);
	});
});
