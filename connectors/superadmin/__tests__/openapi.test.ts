import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// js-yaml is in the dev tree (via eslint); only this document check uses it.
 
const yaml = require('js-yaml') as { load: (text: string) => any };

const doc = yaml.load(readFileSync(join(__dirname, '..', 'openapi.yaml'), 'utf8'));

/** Every call the connector makes, as OpenAPI path + method. */
const CALLS: [string, string][] = [
	['/v1/health', 'get'],
	['/v1/tenants', 'get'],
	['/v1/tenants', 'post'],
	['/v1/tenants/{tenantId}', 'get'],
	['/v1/tenants/{tenantId}/subscription/enable', 'post'],
	['/v1/tenants/{tenantId}/subscription/disable', 'post'],
	['/v1/tenants/{tenantId}/subscription/change-edition', 'post'],
	['/v1/tenants/{tenantId}/feature-flags', 'get'],
	['/v1/tenants/{tenantId}/feature-flags', 'put'],
	['/v1/tenants/{tenantId}/maintenance', 'get'],
	['/v1/tenants/{tenantId}/maintenance', 'put'],
	['/v1/tenants/{tenantId}/database', 'get'],
	['/v1/tenants/{tenantId}/database', 'put'],
	['/v1/subdomains/{subdomain}', 'get'],
	['/v1/customers/{customerKey}/profile', 'put'],
	['/v1/customers/{customerKey}/360', 'get'],
	['/v1/customers/{customerKey}/support-requests', 'post'],
	['/v1/tenants/{tenantId}/api-keys', 'post'],
	['/v1/tenants/{tenantId}/api-keys/{keyId}', 'delete'],
];

function resolve(ref: string): any {
	return ref.replace(/^#\//, '').split('/').reduce((node: any, key) => node[key], doc);
}

describe('openapi.yaml', () => {
	it('is OpenAPI 3 with bearer and X-Api-Key auth', () => {
		expect(doc.openapi).toMatch(/^3\./);
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
		expect(doc.components.securitySchemes.apiKeyHeader).toMatchObject({ in: 'header', name: 'X-Api-Key' });
	});

	it.each(CALLS)('documents %s %s', (path, method) => {
		expect(doc.paths[path]?.[method]).toBeDefined();
	});

	it('lets every write carry an Idempotency-Key', () => {
		for (const [path, method] of CALLS.filter(([, m]) => m !== 'get')) {
			const params = (doc.paths[path][method].parameters ?? []).map((p: any) => (p.$ref ? resolve(p.$ref) : p));
			expect(params.map((p: any) => p.name)).toContain('Idempotency-Key');
		}
	});

	it('uses the { error: { code, message, field } } shape and lists the codes the client maps', () => {
		const error = doc.components.schemas.Error.properties.error;
		expect(error.required).toEqual(['code', 'message']);
		expect(Object.keys(error.properties)).toEqual(['code', 'message', 'field']);
		expect(doc.components.schemas.ErrorCode.enum).toEqual(expect.arrayContaining(['already_disabled', 'subscription_not_found', 'idempotency_conflict', 'rate_limited']));
	});

	it('has no dangling $ref', () => {
		const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
		for (const ref of refs) expect(resolve(ref.slice(8, -1))).toBeDefined();
	});

	it('uses the levels the connector knows', () => {
		expect(doc.components.schemas.FlagLevel.enum).toEqual(['disabled', 'basic', 'advanced', 'full']);
	});
});
