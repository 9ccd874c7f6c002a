// @ts-check
'use strict';

const { clone } = require('../lib/common');

/**
 * GET /v1/subdomains/{subdomain}: is a custom subdomain free? Taken ones name their tenant and its contract's
 * business key, so an intake can tell its own earlier tenant from another customer's.
 * @param {ReturnType<typeof import('../core/server').createSandboxServer>} app @param {{ tenants: Map<string, any> }} state
 * @param {(status: number, code: string, message: string, field?: string) => import('../core/server').SandboxResponse} adminError
 */
function registerSubdomainLookup(app, state, adminError) {
	app.route('GET', '/v1/subdomains/{subdomain}', (req) => {
		const subdomain = String(req.params.subdomain || '').toLowerCase();
		if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(subdomain)) return adminError(400, 'validation_error', 'subdomain must be a DNS label.', 'subdomain');
		const holder = [...state.tenants.values()].find((tenant) => tenant.subdomain === subdomain);
		return { body: clone({ subdomain, available: !holder, tenantId: holder ? holder.id : null, businessKey: holder ? holder.businessKey : null }) };
	});
}

module.exports = { registerSubdomainLookup };
