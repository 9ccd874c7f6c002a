import { api, errorBody, makeClient, setupNock } from './helpers';

setupNock();

describe('findTenantBySubdomain', () => {
	it('asks GET /v1/subdomains/{subdomain} (trimmed, lower-cased) and returns whether it is free and who holds it', async () => {
		api().get('/v1/subdomains/myclub').reply(200, { subdomain: 'myclub', available: false, tenantId: 'ten_1', businessKey: 'DEAL-1' });
		const { client } = makeClient();
		expect(await client.findTenantBySubdomain(' MyClub ')).toEqual({ subdomain: 'myclub', available: false, tenantId: 'ten_1', businessKey: 'DEAL-1' });
	});

	it('refuses a subdomain that is not one DNS label before any call, naming the field', async () => {
		const { client } = makeClient();
		for (const bad of ['my.club', '-club', 'club-', '', 'a'.repeat(64), 'my club']) {
			await expect(client.findTenantBySubdomain(bad)).rejects.toThrow(/"subdomain"/);
		}
	});

	it("maps the platform's errors", async () => {
		api().get('/v1/subdomains/club').reply(400, errorBody('validation_error', 'subdomain must be a DNS label.', 'subdomain'));
		const { client } = makeClient();
		await expect(client.findTenantBySubdomain('club')).rejects.toThrow(/DNS label/);
	});
});
