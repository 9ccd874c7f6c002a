/**
 * Contract test: every request the client sends must be valid against the OpenAPI we publish
 * (strict objects: an undocumented body field fails), checked with the sandbox's OpenAPI validator.
 */
import { join } from 'node:path';
import nock from 'nock';
import { upsertCustomerProfile } from '../customers/customer360';
import { BASE_URL, makeClient, setupNock } from './helpers';

 
const { loadSpec, createValidator } = require('../../../sandbox/core/openapi') as {
	loadSpec: (file: string, options?: { cacheDir?: string | false }) => unknown;
	createValidator: (spec: unknown) => { validateRequest: (req: { method: string; path: string; query?: Record<string, unknown>; body?: unknown }) => { match: unknown; problems: unknown[] } };
};

setupNock();

const validator = createValidator(loadSpec(join(__dirname, '..', 'openapi.yaml'), { cacheDir: false }));

const sent: { method: string; path: string; query: Record<string, unknown>; body: unknown }[] = [];

/** Answers every call with a body that satisfies the client's response schemas, recording the request. */
function recordAll() {
	const reply = (method: string) =>
		function (this: { req: { path: string } }, uri: string, body: unknown) {
			const url = new URL(uri, BASE_URL);
			sent.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: body === '' ? undefined : body });
			const response: Record<string, unknown> = {
				status: 'ok',
				id: 'x',
				name: 'x',
				tenantId: 'tn_1',
				enabled: true,
				tier: 'grassroots',
				flags: {},
				data: [],
				subscription: { tenantId: 'tn_1', status: 'active' },
				changed: true,
				backend: 'dedicated',
				subdomain: 'a',
				available: true,
				businessKey: 'C',
				customerKey: 'cust_1',
				updatedAt: '2026-01-01T00:00:00Z',
			};
			return [200, response] as [number, Record<string, unknown>];
		};
	const scope = nock(BASE_URL).persist();
	scope.get(/.*/).reply(reply('GET'));
	scope.post(/.*/).reply(reply('POST'));
	scope.put(/.*/).reply(reply('PUT'));
	scope.delete(/.*/).reply(reply('DELETE'));
}

it('sends only requests the published OpenAPI accepts', async () => {
	recordAll();
	const { client } = makeClient();
	await client.health();
	await client.listTenants({ query: 'rov', limit: 5, cursor: 'c' });
	await client.getTenant('tn_1');
	await client.createTenant({ businessKey: 'C', name: 'A', ownerEmail: 'a@b.example', ownerName: 'Ann', tier: 'professional', edition: 'E', country: 'gb', subdomain: 'a', contractEndDate: '2030-01-01' });
	await client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: 'E', tier: 'world_class' });
	await client.disableSubscription({ tenantId: 'tn_1', businessKey: 'C', reason: 'r' });
	await client.changeEdition({ tenantId: 'tn_1', businessKey: 'C', edition: 'E2', tier: 'professional' });
	await client.getTenantFeatureFlags('tn_1');
	await client.applyTierFlags({ tenantId: 'tn_1', businessKey: 'C', tier: 'grassroots' });
	await client.getMaintenance('tn_1');
	await client.setMaintenance({ tenantId: 'tn_1', businessKey: 'C', enabled: true, message: 'm' });
	await client.generateApiKey({ tenantId: 'tn_1', businessKey: 'C', name: 'k', scopes: ['a'], expiresAt: '2030-01-01T00:00:00Z' });
	await client.revokeApiKey({ tenantId: 'tn_1', businessKey: 'C', keyId: 'key_1' });
	await client.findTenantBySubdomain('myclub');
	await client.getTenantDatabase('tn_1');
	await client.switchTenantDatabase({ tenantId: 'tn_1', businessKey: 'C', backend: 'dedicated', connectionSecretRef: 'tenants/tn_1/database-url' });
	await upsertCustomerProfile(client.transport, {
		customerKey: 'cust_1',
		businessKey: 'C',
		stage: 'account',
		name: 'Dana',
		email: 'dana@acme.example',
		contacts: [{ name: 'Olu', email: 'olu@acme.example' }],
		payment: { schedule: 'monthly', last4: '4242', cardExpMonth: 12, cardExpYear: 2030 },
		contract: { id: 'env_1', endsAt: '2027-01-01' },
	});
	nock.cleanAll();

	expect(sent).toHaveLength(17);
	for (const request of sent) {
		const result = validator.validateRequest(request);
		expect({ request: `${request.method} ${request.path}`, matched: result.match !== null, problems: result.problems }).toEqual({
			request: `${request.method} ${request.path}`,
			matched: true,
			problems: [],
		});
	}
});
