import { NodeApiError, NodeOperationError, type ICredentialsDecrypted, type ICredentialTestFunctions } from 'n8n-workflow';
import { RevOpsConfigApi } from '../../credentials/RevOpsConfigApi.credentials';
import { credential, deadUrl, fakeOpa, nodeContext, type FakeOpa } from './__tests__/context';
import { RevOps } from './RevOps.node';
import { mergePatch, revOpsConfigFrom } from './settings';

const node = new RevOps();
const test = (data: Record<string, unknown>) =>
	node.methods.credentialTest.revOpsConfigApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'RevOps', type: 'revOpsConfigApi', data } as ICredentialsDecrypted);

describe('RevOps Config credential', () => {
	it('shows the override text for a profile, the whole config for Custom, and the OPA fields only for OPA', () => {
		const { properties, name } = new RevOpsConfigApi();
		expect(name).toBe('revOpsConfigApi');
		const shownFor = (field: string) => properties.filter((p) => p.name === field).map((p) => p.displayOptions ?? null);
		expect(shownFor('config')).toEqual([{ hide: { profile: ['custom'] } }, { show: { profile: ['custom'] } }]);
		for (const field of ['opaUrl', 'opaPackagePath', 'opaToken']) expect(shownFor(field)).toEqual([{ show: { engine: ['opa'] } }]);
		expect(properties.find((p) => p.name === 'opaToken')?.typeOptions).toEqual({ password: true });
	});

	it('merges the override text over the profile (JSON Merge Patch) and takes the tenant from the credential', () => {
		const config = revOpsConfigFrom(credential({ config: 'discounts:\n  smb:\n    ae_self_approve_pct: 0.15\nevidence: null' }));
		expect(config.tenant).toBe('acme');
		expect(config.discounts.smb).toMatchObject({ ae_self_approve_pct: 0.15, manager_required_pct: 0.2, finance_required_pct: 0.3 });
		expect(config.evidence).toBeUndefined();
		expect(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { d: null, e: 4 } })).toEqual({ a: [3], b: { c: 1, e: 4 } });
	});

	it('with Custom, the text is the whole config, JSON or YAML, and must not name another tenant', () => {
		const custom = { segments: [{ name: 'all' }], routing: { default_strategy: 'territory' }, discounts: { all: { ae_self_approve_pct: 0.1 } } };
		expect(revOpsConfigFrom(credential({ profile: 'custom', config: JSON.stringify(custom) })).segments).toEqual([{ name: 'all' }]);
		expect(() => revOpsConfigFrom(credential({ profile: 'custom', config: '' }))).toThrow(/segments: expected/);
		expect(() => revOpsConfigFrom(credential({ config: 'tenant: globex' }))).toThrow(/tenant: expected the credential's Tenant ID "acme"/);
		expect(() => revOpsConfigFrom(credential({ config: '- a list' }))).toThrow(/\(root\): expected a JSON object or YAML mapping/);
	});

	it('its test accepts a good config and names the path of a bad one', async () => {
		await expect(test(credential())).resolves.toEqual({ status: 'OK', message: expect.stringMatching(/^RevOps config for tenant "acme" is valid \(version [0-9a-f]{12}\); built-in engine$/) });
		const bad = await test(credential({ config: '{"discounts": {"smb": {"finance_required_pct": 1.5}}}' }));
		expect(bad.status).toBe('Error');
		expect(bad.message).toContain('discounts.smb.finance_required_pct: expected a number between 0 and 1');
	});

	describe('with OPA', () => {
		let opa: FakeOpa;
		beforeEach(async () => {
			opa = await fakeOpa(() => ({ result: { allow: true, assignee: 'user:from-opa', route_strategy: 'territory', conflicts: [], required_enrichment: [] } }));
		});
		afterEach(() => opa.close());
		const withOpa = (url: string) => credential({ engine: 'opa', opaUrl: url, opaPackagePath: 'q2c/revops', opaToken: 'opa-token-1' });

		it('its test asks OPA /health with the bearer token', async () => {
			await expect(test(withOpa(opa.url))).resolves.toEqual({ status: 'OK', message: expect.stringContaining(`OPA at ${opa.url} is healthy`) });
			expect(opa.requests).toEqual([{ method: 'GET', path: '/health', authorization: 'Bearer opa-token-1', body: undefined }]);
		});

		it('its test reports OPA down, naming the URL and not the token', async () => {
			const url = await deadUrl();
			const result = await test(withOpa(url));
			expect(result.status).toBe('Error');
			expect(result.message).toContain(`OPA at ${url}/health did not answer`);
			expect(result.message).not.toContain('opa-token-1');
		});

		it('the node asks OPA for the decision, with the normalised attributes and the tenant config as input', async () => {
			const context = nodeContext({ params: { resource: 'policy', operation: 'routeLead', lead: { id: 'L-1', email: 'Ana@Acme.io' } }, credentials: withOpa(opa.url) });
			const [[out]] = await node.execute.call(context);
			expect(out.json.policy).toMatchObject({ engine: 'opa', decision: { assignee: 'user:from-opa' }, trace: [{ rule: 'opa', outcome: 'fired' }] });
			const [request] = opa.requests;
			expect(request).toMatchObject({ method: 'POST', path: '/v1/data/q2c/revops/lead_routing/decision', authorization: 'Bearer opa-token-1' });
			expect(request.body).toMatchObject({ input: { attributes: { lead: { id: 'L-1', email_domain: 'acme.io' } }, config: { tenant: 'acme' } } });
		});

		it('the node fails with an API error naming OPA when it is down, and never decides', async () => {
			const context = nodeContext({ params: { resource: 'policy', operation: 'routeLead', lead: { id: 'L-1' } }, credentials: withOpa(await deadUrl()) });
			const error = await node.execute.call(context).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			// n8n words the headline of a refused connection itself; the OPA detail is in the error's messages.
			expect((error as NodeApiError).httpCode).toBe('ECONNREFUSED');
			expect((error as NodeApiError).messages.join('\n')).toMatch(/OPA at http:\/\/127\.0\.0\.1:\d+\/v1\/data\/q2c\/revops\/lead_routing\/decision is unreachable .*no policy decision was made/);
		});

		it('a bad OPA URL is a configuration error on the node', async () => {
			const context = nodeContext({ params: { resource: 'policy', operation: 'routeLead', lead: { id: 'L-1' } }, credentials: withOpa('not a url') });
			const error = await node.execute.call(context).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as Error).message).toContain('baseUrl');
		});
	});
});
