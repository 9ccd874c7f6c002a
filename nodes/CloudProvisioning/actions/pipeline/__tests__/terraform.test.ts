import { startFake, type FakeVendor, type Seen } from '../../../../../connectors/provisioning/pipeline/__tests__/fakeServer';
import { operations } from '..';
import { searchTerraformWorkspaces } from '../listSearch';
import { failure, loadOptionsContext, locator, run, type Params } from './kit';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake token only the local fake sees
const TOKEN = 'tf-user-token-secret-0003.atlasv1.abc';
const WORKSPACE = 'ws-Abc123';

/** One workspace output as HCP Terraform lists it. */
const output = (name: string, sensitive: boolean, value: unknown) => ({ attributes: { name, sensitive, type: 'string', value } });

interface Run {
	id: string;
	attributes: Record<string, unknown>;
}

/** HCP Terraform's JSON:API for one workspace: runs, run actions, outputs and the workspace list, Bearer-checked. */
function terraform(runs: Run[]) {
	return (req: Seen) => {
		if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { errors: [{ status: '401', title: 'unauthorized' }] } };
		if (req.path === `/api/v2/workspaces/${WORKSPACE}`) {
			return { status: 200, body: { data: { id: WORKSPACE, attributes: { name: 'tenant-stack' }, relationships: { organization: { data: { id: 'acme' } } } } } };
		}
		if (req.path === `/api/v2/workspaces/${WORKSPACE}/runs`) return { status: 200, body: { data: [...runs].reverse() } };
		if (req.method === 'POST' && req.path === '/api/v2/runs') {
			const attributes = JSON.parse(req.body).data.attributes;
			const created = { id: `run-N${runs.length + 1}`, attributes: { ...attributes, status: 'pending', actions: { 'is-cancelable': true } } };
			runs.push(created);
			return { status: 201, body: { data: created } };
		}
		if (req.path === `/api/v2/workspaces/${WORKSPACE}/current-state-version-outputs`) {
			return {
				status: 200,
				body: {
					data: [
						output('endpoint', false, 'db.tenant.internal'),
						output('db_password', true, null),
					],
				},
			};
		}
		if (req.path === '/api/v2/organizations/acme/workspaces') return { status: 200, body: { data: [{ id: WORKSPACE, attributes: { name: 'tenant-stack' } }] } };
		const match = /^\/api\/v2\/runs\/(run-\w+)(\/actions\/(\w+))?$/.exec(req.path);
		const found = runs.find((r) => r.id === match?.[1]);
		if (!found) return { status: 404, body: { errors: [{ status: '404', title: 'not found' }] } };
		if (match?.[3] === 'cancel') found.attributes.status = 'canceled';
		return { status: match?.[3] ? 202 : 200, body: { data: found } };
	};
}

let fake: FakeVendor;
let runs: Run[];
let credentials: Record<string, Record<string, unknown>>;

beforeEach(async () => {
	runs = [];
	fake = await startFake(terraform(runs));
	credentials = { provisioningTerraformApi: { baseUrl: fake.url, token: TOKEN, organization: 'acme' } };
});
afterEach(() => fake.close());

const base: Params = { resource: 'pipeline', pipelineProvider: 'terraform', workspace: locator(WORKSPACE) };
const start: Params = { ...base, businessKey: 'CTR-9', variables: { variable: [{ name: 'TENANT', value: 'my"club' }] }, attempt: 1, options: { autoApply: false, message: 'Provision myclub' } };

describe('pipeline on HCP Terraform', () => {
	it('queues a run with HCL-quoted variables and the keys in its message, once per key', async () => {
		const run1 = await run(operations.trigger, { ...start, operation: 'trigger' }, credentials);
		expect(run1).toMatchObject({ provider: 'terraform', workspaceId: WORKSPACE, runId: 'run-N1', status: 'queued', reused: false, url: `${fake.url}/app/acme/workspaces/tenant-stack/runs/run-N1` });
		expect(run1.idempotencyKey).toMatch(/attempt-1/);
		const sent = runs[0].attributes;
		expect(sent).toMatchObject({ 'is-destroy': false, 'auto-apply': false, variables: [{ key: 'TENANT', value: '"my\\"club"' }] });
		expect(sent.message).toContain('Provision myclub');
		expect(sent.message).toContain(String(run1.idempotencyKey));
		expect(await run(operations.trigger, { ...start, operation: 'trigger' }, credentials)).toMatchObject({ runId: 'run-N1', reused: true });
		expect(runs).toHaveLength(1);
		expect(JSON.stringify(run1)).not.toContain(TOKEN);
	});

	it('destroys with an is-destroy run under its own key', async () => {
		await run(operations.trigger, { ...start, operation: 'trigger' }, credentials);
		const destroyed = await run(operations.destroy, { ...start, operation: 'destroy' }, credentials);
		expect(destroyed).toMatchObject({ runId: 'run-N2', action: 'destroy', reused: false });
		expect(runs[1].attributes['is-destroy']).toBe(true);
	});

	it('reports a plan awaiting confirmation as waiting, and cancels a run', async () => {
		runs.push({ id: 'run-P1', attributes: { status: 'planned', 'auto-apply': false, actions: { 'is-cancelable': true, 'is-confirmable': true } } });
		const got = await run(operations.get, { ...base, operation: 'get', runId: 'run-P1' }, credentials);
		expect(got).toMatchObject({ runId: 'run-P1', status: 'waiting', rawStatus: 'planned', terminal: false });
		const canceled = await run(operations.cancel, { ...base, operation: 'cancel', runId: 'run-P1' }, credentials);
		expect(canceled).toMatchObject({ status: 'canceled', terminal: true });
		expect(fake.seen.some((r) => r.method === 'POST' && r.path === '/api/v2/runs/run-P1/actions/cancel')).toBe(true);
	});

	it('gets the outputs with sensitive values redacted', async () => {
		const outputs = await run(operations.getOutputs, { ...base, operation: 'getOutputs' }, credentials);
		expect(outputs).toEqual({ provider: 'terraform', workspaceId: WORKSPACE, outputs: { endpoint: 'db.tenant.internal', db_password: '[redacted]' }, sensitiveOutputs: ['db_password'] });
	});

	it('refuses Get Outputs for other providers and bad ids before any request', async () => {
		expect((await failure(run(operations.getOutputs, { ...base, pipelineProvider: 'gitlab', project: locator('42') }, credentials))).field).toBe('pipelineProvider');
		expect((await failure(run(operations.getOutputs, { ...base, workspace: locator('') }, credentials))).field).toBe('workspace');
		expect((await failure(run(operations.get, { ...base, runId: 'ws-notarun' }, credentials))).field).toBe('id');
		expect((await failure(run(operations.trigger, { ...start, workspace: locator('my-workspace', 'id') }, credentials))).field).toBe('workspaceId');
		expect(fake.seen).toHaveLength(0);
	});

	it('maps a missing run to not_found and a bad token to auth', async () => {
		expect(await failure(run(operations.get, { ...base, runId: 'run-Missing' }, credentials))).toMatchObject({ kind: 'not_found', status: 404 });
		const wrong = { provisioningTerraformApi: { ...credentials.provisioningTerraformApi, token: 'tf-wrong-token' } };
		const error = await failure(run(operations.get, { ...base, runId: 'run-P1' }, wrong));
		expect(error).toMatchObject({ kind: 'auth', retryable: false });
		expect(JSON.stringify(error.toJSON())).not.toContain('tf-wrong-token');
	});

	it("lists the organization's workspaces for the picker", async () => {
		const found = await searchTerraformWorkspaces.call(loadOptionsContext({}, credentials), 'tenant');
		expect(found.results.map((result) => [result.name, result.value])).toEqual([[`tenant-stack (${WORKSPACE})`, WORKSPACE]]);
		expect(fake.seen[0].query.get('search[name]')).toBe('tenant');
	});
});
