/**
 * The HCP Terraform fake against HashiCorp's published OpenAPI (the optional vendor-spec layer, Q2C_VENDOR_SPECS),
 * driven by our connector's runner and workspace picker, not by hand-written requests: every request the
 * connector makes, and every answer the fake gives, must conform. Skipped, with the reason, when the layer is off.
 */
import { getTerraformOutputs, listTerraformWorkspaces, createTerraformTransport, TerraformPipelineRunner } from '../../connectors/provisioning/pipeline';
import { describeWithVendorSpecs, vendorSpecFile } from '../support/vendorSpecs';

const { createTerraformFake } = require('../../sandbox/provisioning/terraform');
const { createTerraformSpecLayer, loadTerraformSpec } = require('../../sandbox/provisioning/terraformSpec');
const { specLayerReport } = require('../../sandbox/core/vendorSpecs');

const FAST = { retry: { retries: 0, baseDelayMs: 1, jitter: 0 }, sleep: async () => undefined, rateLimit: { perSecond: 10_000, burst: 10_000 } };
type Counts = { checked: number; rejected: number; problems: string[] };
const counts = (key: string): Counts => specLayerReport().stats[key] ?? { checked: 0, rejected: 0, problems: [] };
/** What the layer recorded since `before`: its counts and the problems it kept. */
const since = (key: string, before: Counts) => {
	const now = counts(key);
	return { checked: now.checked - before.checked, rejected: now.rejected - before.rejected, problems: now.problems.slice(before.problems.length) };
};

describeWithVendorSpecs('HCP Terraform fake vs HashiCorp’s published OpenAPI (API v2)', () => {
	let fake: any;
	let creds: { token: string; organization: string; workspaceId: string };

	beforeAll(async () => {
		fake = createTerraformFake({ delays: { queue: 150, plan: 150, apply: 150 } });
		await fake.listen();
		creds = fake.credentials();
	});
	afterAll(() => fake.close());

	const runner = (autoApply?: boolean) => new TerraformPipelineRunner({ baseUrl: fake.url, token: creds.token, workspaceId: creds.workspaceId, autoApply, ...FAST });
	/** Polls a run through the runner until `until` (or a final state); the raw statuses seen, in order, once each. */
	async function follow(r: TerraformPipelineRunner, id: string, until?: string): Promise<{ raw: string[]; normalized: string[] }> {
		const raw: string[] = [];
		const normalized: string[] = [];
		const deadline = Date.now() + 10_000;
		for (;;) {
			const state = await r.get(id);
			if (raw[raw.length - 1] !== state.rawStatus) raw.push(state.rawStatus);
			if (normalized[normalized.length - 1] !== state.status) normalized.push(state.status);
			if (state.terminal || state.rawStatus === until) return { raw, normalized };
			if (Date.now() > deadline) throw new Error(`run ${id} stuck at ${state.rawStatus}`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	it('checks against the pinned file', () => {
		expect(vendorSpecFile('terraform')).toMatch(/hcp-terraform-openapi-v2\.json$/);
		const spec = loadTerraformSpec();
		expect(spec.info.title).toBe('HCP Terraform/Terraform Enterprise API v2-Beta');
		expect(specLayerReport().on).toBe(true);
		expect(fake.vendorSpecReport()).not.toBeNull();
	});

	it('the connector’s picker, apply run, cancel, discard and destroy: every request and every answer conforms', async () => {
		const before = { requests: counts('terraform'), responses: counts('terraformResponses'), served: fake.requests.length };
		const transport = createTerraformTransport({ baseUrl: fake.url, token: creds.token, ...FAST });

		// Workspace picker.
		expect(await listTerraformWorkspaces(transport, { organization: creds.organization, search: 'tenant', limit: 20 })).toEqual([{ id: creds.workspaceId, name: 'tenant-stacks' }]);

		// An apply run with variables, read through its states; the variables reach the workspace as HCL literals.
		const applying = runner(true);
		const run = await applying.trigger({ businessKey: 'CTR-TF-1', variables: { tenant_id: 'ten_1', region: 'eu-west-1' }, message: 'Provision ten_1' });
		expect(run).toMatchObject({ rawStatus: 'pending', status: 'queued', reused: false, url: `${fake.url}/app/${creds.organization}/workspaces/tenant-stacks/runs/${run.id}` });
		const states = await follow(applying, run.id);
		expect(states.raw[0]).toBe('pending');
		expect(states.raw[states.raw.length - 1]).toBe('applied');
		expect(states.raw.every((s) => ['pending', 'planning', 'applying', 'applied'].includes(s))).toBe(true);
		expect(states.normalized).toEqual(['queued', 'running', 'succeeded']);
		const outputs = await getTerraformOutputs(transport, creds.workspaceId);
		expect(outputs.tenant_id).toMatchObject({ value: 'ten_1', sensitive: false });
		expect(outputs.admin_password).toMatchObject({ value: '[redacted]', sensitive: true });
		// A repeat finds the run by its key (the workspace's run list) instead of queuing another.
		expect(await applying.trigger({ businessKey: 'CTR-TF-1', variables: { tenant_id: 'ten_1', region: 'eu-west-1' } })).toMatchObject({ id: run.id, reused: true });

		// Cancel a queued run; a plan waiting for confirmation is discarded.
		const manual = runner();
		const doomed = await manual.trigger({ businessKey: 'CTR-TF-2', variables: { tenant_id: 'ten_2' } });
		expect(await manual.cancel(doomed.id)).toMatchObject({ rawStatus: 'canceled', status: 'canceled', terminal: true });
		const waiting = await manual.trigger({ businessKey: 'CTR-TF-3' });
		expect((await follow(manual, waiting.id, 'planned')).normalized).toEqual(['queued', 'running', 'waiting']);
		expect(await manual.cancel(waiting.id)).toMatchObject({ rawStatus: 'discarded', status: 'canceled' });

		// The rollback: an is-destroy run, which clears the workspace's outputs.
		const destroy = await applying.destroy({ businessKey: 'CTR-TF-1' });
		expect(destroy.id).not.toBe(run.id);
		expect((await follow(applying, destroy.id)).raw.pop()).toBe('applied');
		expect(fake.state().runs.find((r: any) => r.id === destroy.id).attributes['is-destroy']).toBe(true);
		expect(await getTerraformOutputs(transport, creds.workspaceId)).toEqual({});

		const served = fake.requests.slice(before.served);
		expect(served.every((r: any) => r.status < 300)).toBe(true);
		expect(new Set(served.map((r: any) => r.route))).toEqual(
			new Set([
				'GET /api/v2/organizations/{org}/workspaces',
				'GET /api/v2/workspaces/{id}/runs',
				'POST /api/v2/runs',
				'GET /api/v2/runs/{id}',
				'GET /api/v2/workspaces/{id}',
				'GET /api/v2/workspaces/{id}/current-state-version-outputs',
				'POST /api/v2/runs/{id}/actions/{action}',
			]),
		);
		// Each request checked, none refused; each answer with a body checked (202s have none), none off the schema.
		expect(since('terraform', before.requests)).toEqual({ checked: served.length, rejected: 0, problems: [] });
		expect(since('terraformResponses', before.responses)).toEqual({ checked: served.filter((r: any) => r.status !== 202).length, rejected: 0, problems: [] });
		// What the file lacks, listed: the cancel/discard actions HashiCorp documents elsewhere, and answer keys the API
		// sends (links.self on runs, outputs' value) that the file's schemas leave out.
		expect(fake.vendorSpecReport()).toEqual({
			notes: [
				expect.stringMatching(/^POST \/runs\/\{run_id\}\/actions\/cancel: documented by HashiCorp, absent from the spec file/),
				expect.stringMatching(/^POST \/runs\/\{run_id\}\/actions\/discard: documented by HashiCorp, absent from the spec file/),
			],
			beyondSpec: ['GET /runs/{run_id} → 200: data.links', 'GET /workspaces/{workspace_id}/current-state-version-outputs → 200: data[].attributes.value', 'GET /workspaces/{workspace_id}/runs → 200: data[].links', 'POST /runs → 201: data.links'],
		});
	});

	it('refuses what the spec forbids with HCP Terraform’s JSON:API errors, before anything is queued', async () => {
		const before = counts('terraform');
		const runsBefore = fake.state().runs.length;
		const call = async (path: string, body?: unknown) => {
			const response = await fetch(`${fake.url}/api/v2${path}`, {
				method: body === undefined ? 'GET' : 'POST',
				headers: { Authorization: `Bearer ${creds.token}`, 'Content-Type': 'application/vnd.api+json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: response.status, error: ((await response.json()) as any).errors[0] };
		};
		const workspace = { workspace: { data: { type: 'workspaces', id: creds.workspaceId } } };
		expect(await call('/runs', { data: { type: 'runs', attributes: { 'is-destroy': 'yes' }, relationships: workspace } })).toEqual({
			status: 422,
			error: { status: '422', title: 'invalid attribute', detail: "data.attributes.is-destroy: Invalid boolean: yes (per HashiCorp's published spec)", source: { pointer: '/data/attributes/is-destroy' } },
		});
		expect(await call('/runs', { data: { type: 'runs', attributes: { destroy: true }, relationships: workspace } })).toMatchObject({ status: 422, error: { source: { pointer: '/data/attributes/destroy' } } });
		expect(await call('/runs', { data: { type: 'runs', attributes: { variables: [{ key: 'seats', value: 25 }] }, relationships: workspace } })).toMatchObject({
			status: 422,
			error: { detail: "data.attributes.variables.0.value: Invalid string: 25 (per HashiCorp's published spec)", source: { pointer: '/data/attributes/variables/0/value' } },
		});
		expect(await call(`/workspaces/${creds.workspaceId}/runs?page%5Bsize%5D=all`)).toEqual({
			status: 400,
			error: { status: '400', title: 'invalid query parameter', detail: "page[size]: Invalid integer: all (per HashiCorp's published spec)", source: { parameter: 'page[size]' } },
		});
		const someRun = fake.state().runs[0].id;
		expect(await call(`/runs/${someRun}?include=plan,secrets`)).toMatchObject({ status: 400, error: { source: { parameter: 'include.1' } } });
		expect((await fetch(`${fake.url}/api/v2/runs/${someRun}?include=plan,workspace`, { headers: { Authorization: `Bearer ${creds.token}` } })).status).toBe(200);

		expect(fake.state().runs).toHaveLength(runsBefore);
		const recorded = since('terraform', before);
		expect(recorded).toMatchObject({ checked: 6, rejected: 5 });
		expect(recorded.problems).toContain('POST /runs: data.attributes.destroy: Received unknown parameter: data.attributes.destroy');
	});

	it('checks answers against the response schemas: one that strays is recorded', () => {
		const layer = createTerraformSpecLayer({ spec: loadTerraformSpec() });
		const before = counts('terraformResponses');
		const req = { method: 'GET', path: '/api/v2/runs/run-1', rawQuery: '', headers: {} };
		layer.checkResponse(req, { status: 200, body: { data: { id: 'run-1', type: 'runs', attributes: { status: 'done', 'is-destroy': 'no' } } } });
		layer.checkResponse(req, { status: 404, body: { errors: [{ status: 404, title: 'not found' }] } });
		expect(since('terraformResponses', before)).toEqual({
			checked: 2,
			rejected: 2,
			problems: [expect.stringMatching(/^GET \/runs\/\{run_id\} → 200: data\.attributes\.status: Invalid data\.attributes\.status: must be one of pending, /), 'GET /runs/{run_id} → 404: errors.0.status: Invalid string: 404'],
		});
	});
});
