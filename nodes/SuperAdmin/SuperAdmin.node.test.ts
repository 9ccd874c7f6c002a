import nock from 'nock';
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { SuperAdmin } from './SuperAdmin.node';
import { SuperAdminApi } from '../../credentials/SuperAdminApi.credentials';
import bundled from '../../connectors/superadmin/tier-matrix.json';

const BASE = 'https://admin.node.test';
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake key that only nock sees
const credentials = { baseUrl: BASE, apiKey: 'node_test_key_123456' };

function context(params: Record<string, unknown>[], continueOnFail = false, type = 'n8n-nodes-quote-to-cash.superAdmin'): IExecuteFunctions {
	return {
		getInputData: () => params.map(() => ({ json: {} })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const value = params[itemIndex][name];
			if (value === undefined) return fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async () => credentials,
		continueOnFail: () => continueOnFail,
		getNode: () => ({ id: '1', name: 'Super Admin', type, typeVersion: 1, position: [0, 0], parameters: {} }),
	} as unknown as IExecuteFunctions;
}

const tenant = { __rl: true, mode: 'list', value: 'tn_1' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Super Admin node', () => {
	const node = new SuperAdmin();

	it('is a usable-as-tool node named superAdmin with the superAdminApi credential', () => {
		expect(node.description.name).toBe('superAdmin');
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.credentials).toEqual([{ name: 'superAdminApi', required: true }]);
	});

	it('offers every routed operation in its description', () => {
		const props = node.description.properties as INodeProperties[];
		const resources = props.find((p) => p.name === 'resource')!.options!.map((o) => (o as { value: string }).value);
		expect(resources.sort()).toEqual(['apiKey', 'customer', 'featureFlags', 'maintenance', 'subscription', 'tenant', 'tenantDatabase']);
		const ops = props
			.filter((p) => p.name === 'operation')
			.flatMap((p) => p.options!.map((o) => `${p.displayOptions!.show!.resource![0]}.${(o as { value: string }).value}`));
		expect(ops.sort()).toEqual([
			'apiKey.generate',
			'apiKey.revoke',
			'customer.get360',
			'customer.upsertProfile',
			'featureFlags.applyTier',
			'featureFlags.getForTenant',
			'featureFlags.getForTier',
			'maintenance.get',
			'maintenance.set',
			'subscription.changeEdition',
			'subscription.disable',
			'subscription.enable',
			'tenant.create',
			'tenant.findBySubdomain',
			'tenant.get',
			'tenantDatabase.get',
			'tenantDatabase.switch',
		]);
	});

	it('enables a subscription with the tier flags and pairs the output item', async () => {
		nock(BASE)
			.post('/v1/tenants/tn_1/subscription/enable', (body) => body.tier === 'professional' && body.featureFlags.flags.sports_medicine === 'full')
			.matchHeader('authorization', `Bearer ${credentials.apiKey}`)
			.matchHeader('idempotency-key', /^q2c-superadmin\.subscription\.enable-/)
			.reply(200, { subscription: { tenantId: 'tn_1', status: 'active', edition: 'PRO', tier: 'professional' }, changed: true });
		const [items] = await node.execute.call(
			context([{ resource: 'subscription', operation: 'enable', tenantId: tenant, businessKey: 'CTR-1', edition: 'PRO', tier: 'professional', useCustomTierMatrix: false }]),
		);
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toMatchObject({ tenantId: 'tn_1', businessKey: 'CTR-1', changed: true, featureFlags: { tier: 'professional' } });
		expect(items[0].json.idempotencyKey).toMatch(/^q2c-/);
	});

	it('disables as a compensation when the subscription is already off', async () => {
		nock(BASE).post('/v1/tenants/tn_1/subscription/disable').reply(409, { error: { code: 'already_disabled', message: 'Already disabled' } });
		const [items] = await node.execute.call(context([{ resource: 'subscription', operation: 'disable', tenantId: 'tn_1', businessKey: 'CTR-1', reason: '' }]));
		expect(items[0].json).toMatchObject({ alreadyDisabled: true, tenantId: 'tn_1' });
	});

	it('reads a tier from a custom matrix without calling the API', async () => {
		const edited = JSON.parse(JSON.stringify(bundled));
		edited.modules[6].access.grassroots = 'basic';
		const [items] = await node.execute.call(
			context([{ resource: 'featureFlags', operation: 'getForTier', tier: 'grassroots', useCustomTierMatrix: true, tierMatrix: JSON.stringify(edited) }]),
		);
		expect(items[0].json).toMatchObject({ tier: 'grassroots', tierName: 'Grassroots', flags: { sports_medicine: 'basic' } });
		expect((items[0].json.modules as unknown[]).length).toBe(9);
	});

	it('names the module and tier of a bad custom matrix (NodeOperationError), or outputs it with continueOnFail', async () => {
		const edited = JSON.parse(JSON.stringify(bundled));
		edited.modules[7].access.professional = 'most';
		const params = [{ resource: 'featureFlags', operation: 'getForTier', tier: 'professional', useCustomTierMatrix: true, tierMatrix: edited }];
		const error = await node.execute.call(context(params)).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('tierMatrix.modules[scouting_recruitment].access.professional');
		const [items] = await node.execute.call(context(params, true));
		expect(items[0].json).toMatchObject({ kind: 'validation', field: 'tierMatrix.modules[scouting_recruitment].access.professional' });
	});

	it('turns a platform refusal into a NodeApiError without the key', async () => {
		nock(BASE).get('/v1/tenants/tn_1').reply(401, { error: { code: 'unauthorized', message: `bad key ${credentials.apiKey}` } });
		const error = await node.execute.call(context([{ resource: 'tenant', operation: 'get', tenantId: tenant }])).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).not.toContain(credentials.apiKey);
	});

	it('creates a tenant from parameters and additional fields', async () => {
		nock(BASE)
			.post('/v1/tenants', { businessKey: 'CTR-1', name: 'Rovers', ownerEmail: 'o@rovers.example', tier: 'grassroots', country: 'GB' })
			.reply(201, { id: 'tn_2', name: 'Rovers', status: 'provisioning' });
		const [items] = await node.execute.call(
			context([{ resource: 'tenant', operation: 'create', businessKey: 'CTR-1', tenantName: 'Rovers', ownerEmail: 'o@rovers.example', tier: 'grassroots', additionalFields: { country: 'gb', subdomain: '' } }]),
		);
		expect(items[0].json).toMatchObject({ tenant: { id: 'tn_2' } });
	});

	it('outputs a generated key secret once, with a notice', async () => {
		nock(BASE)
			.post('/v1/tenants/tn_1/api-keys', { businessKey: 'CTR-1', name: 'sync', scopes: ['a', 'b'], expiresAt: '2026-01-01T00:00:00.000Z' })
			.reply(201, { id: 'key_1', name: 'sync', secret: 'fresh_secret_abcdef' });
		const [items] = await node.execute.call(
			context([{ resource: 'apiKey', operation: 'generate', tenantId: tenant, businessKey: 'CTR-1', keyName: 'sync', scopes: 'a, b,', expiresAt: '2026-01-01T00:00:00Z' }]),
		);
		expect(items[0].json).toMatchObject({ secret: 'fresh_secret_abcdef', secretReturned: true, apiKey: { id: 'key_1' } });
		expect(items[0].json.notice).toContain('shown once');
	});

	it('replaces a key from an earlier run when asked, and says which key the new secret replaces', async () => {
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(200, { id: 'key_1', name: 'sync', secretReturned: false });
		nock(BASE).delete('/v1/tenants/tn_1/api-keys/key_1').reply(200, { id: 'key_1', name: 'sync', revokedAt: '2026-01-01T00:00:00Z' });
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(201, { id: 'key_2', name: 'sync', secret: 'fresh_secret_abcdef', secretReturned: true });
		const generate = { resource: 'apiKey', operation: 'generate', tenantId: tenant, businessKey: 'CTR-1', keyName: 'sync', scopes: '', expiresAt: '' };
		const [items] = await node.execute.call(context([{ ...generate, ifSecretNotShown: 'replace' }]));
		expect(items[0].json).toMatchObject({ secretReturned: true, generation: 1, replacedKeyIds: ['key_1'], apiKey: { id: 'key_2' } });
		expect(items[0].json.notice).toContain('It replaces key_1');

		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(200, { id: 'key_2', name: 'sync', secretReturned: false });
		const [kept] = await node.execute.call(context([generate]));
		expect(kept[0].json).toMatchObject({ secretReturned: false, apiKey: { id: 'key_2' } });
		expect(kept[0].json.notice).toContain('earlier run');
	});

	describe('as an AI agent tool (n8n names the variant superAdminTool)', () => {
		const TOOL = 'n8n-nodes-quote-to-cash.superAdminTool';
		const generate = { resource: 'apiKey', operation: 'generate', tenantId: tenant, businessKey: 'CTR-1', keyName: 'sync', scopes: '', expiresAt: '' };

		it('refuses secret-bearing and destructive operations before any call, naming the opt-in', async () => {
			for (const params of [generate, { resource: 'apiKey', operation: 'revoke', tenantId: tenant, keyId: 'key_1' }, { resource: 'subscription', operation: 'disable', tenantId: tenant, businessKey: 'CTR-1' }]) {
				const run = node.execute.call(context([params], false, TOOL));
				await expect(run).rejects.toBeInstanceOf(NodeOperationError);
				await expect(run).rejects.toThrow(/not available to an AI agent/);
			}
		});

		it('runs them once the tool opts in, and never guards the plain node or harmless operations', async () => {
			nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(201, { id: 'key_1', name: 'sync', secret: 'fresh_secret_abcdef' });
			const [allowed] = await node.execute.call(context([{ ...generate, allowRiskyToolOperations: true }], false, TOOL));
			expect(allowed[0].json).toMatchObject({ apiKey: { id: 'key_1' } });
			nock(BASE).get('/v1/tenants/tn_1/maintenance').reply(200, { tenantId: 'tn_1', enabled: false });
			const [read] = await node.execute.call(context([{ resource: 'maintenance', operation: 'get', tenantId: tenant }], false, TOOL));
			expect(read[0].json).toMatchObject({ tenantId: 'tn_1', enabled: false });
		});

		it('shows the opt-in only on the tool variant (the @tool display condition)', () => {
			const field = (node.description.properties as INodeProperties[]).find((p) => p.name === 'allowRiskyToolOperations');
			expect(field).toMatchObject({ type: 'boolean', default: false, displayOptions: { show: { '@tool': [true] } } });
		});
	});

	it('covers the remaining operations end to end', async () => {
		nock(BASE).get('/v1/tenants/tn_1/maintenance').reply(200, { tenantId: 'tn_1', enabled: false });
		nock(BASE).put('/v1/tenants/tn_1/maintenance', { businessKey: 'UPG-1', enabled: true, message: 'Upgrading' }).reply(200, { tenantId: 'tn_1', enabled: true });
		nock(BASE).put('/v1/tenants/tn_1/maintenance', { businessKey: 'UPG-1', enabled: false }).reply(200, { tenantId: 'tn_1', enabled: false });
		nock(BASE).get('/v1/tenants/tn_1/feature-flags').reply(200, { tenantId: 'tn_1', tier: 'grassroots', flags: {} });
		nock(BASE).put('/v1/tenants/tn_1/feature-flags').reply(200, { tenantId: 'tn_1', tier: 'world_class', flags: {} });
		nock(BASE).post('/v1/tenants/tn_1/subscription/change-edition').reply(200, { subscription: { tenantId: 'tn_1', status: 'active' } });
		nock(BASE).delete('/v1/tenants/tn_1/api-keys/key_1').reply(200, { id: 'key_1', name: 'sync', revokedAt: '2025-01-01T00:00:00Z' });
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(200, { id: 'key_1', name: 'sync' });
		const [items] = await node.execute.call(
			context([
				{ resource: 'maintenance', operation: 'get', tenantId: tenant },
				{ resource: 'maintenance', operation: 'set', tenantId: tenant, businessKey: 'UPG-1', enabled: true, message: 'Upgrading' },
				{ resource: 'maintenance', operation: 'set', tenantId: tenant, businessKey: 'UPG-1', enabled: false, message: 'ignored' },
				{ resource: 'featureFlags', operation: 'getForTenant', tenantId: tenant },
				{ resource: 'featureFlags', operation: 'applyTier', tenantId: tenant, businessKey: 'CTR-1', tier: 'world_class' },
				{ resource: 'subscription', operation: 'changeEdition', tenantId: tenant, businessKey: 'CTR-1', edition: 'WC', tier: 'world_class' },
				{ resource: 'apiKey', operation: 'revoke', tenantId: tenant, businessKey: 'CTR-1', keyId: 'key_1' },
				{ resource: 'apiKey', operation: 'generate', tenantId: tenant, businessKey: 'CTR-1', keyName: 'sync', scopes: '', expiresAt: '' },
			]),
		);
		expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((item) => ({ item })));
		expect(items[1].json).toMatchObject({ maintenance: { enabled: true } });
		expect(items[4].json).toMatchObject({ requested: { tier: 'world_class' } });
		expect(items[7].json).toMatchObject({ secretReturned: false });
		expect(items[7].json).not.toHaveProperty('secret');
	});

	it('searches tenants for the picker with pagination', async () => {
		nock(BASE).get('/v1/tenants').query({ query: 'rov', limit: '50', cursor: 'p2' }).reply(200, { data: [{ id: 'tn_1', name: 'Rovers', status: 'active' }], nextCursor: null });
		const loadContext = { getCredentials: async () => credentials } as unknown as ILoadOptionsFunctions;
		const result = await node.methods.listSearch.searchTenants.call(loadContext, 'rov', 'p2');
		expect(result.results.map((r) => [r.name, r.value])).toEqual([['Rovers (tn_1)', 'tn_1']]);
		expect(result.paginationToken).toBeUndefined();
	});
});

describe('Super Admin API credential', () => {
	it('authenticates with a bearer header and tests against /v1/health', () => {
		const credential = new SuperAdminApi();
		expect(credential.name).toBe('superAdminApi');
		expect(credential.properties.map((p) => p.name)).toEqual(['baseUrl', 'apiKey', 'requestsPerSecond']);
		expect(credential.properties[1].typeOptions).toEqual({ password: true });
		expect(credential.authenticate).toEqual({ type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } });
		expect(credential.test.request.url).toBe('/v1/health');
	});
});
