import Cloudflare from 'cloudflare';

const { createCloudflareFake } = require('../../sandbox/provisioning/cloudflare');

/** The Cloudflare fake driven by the official `cloudflare` SDK (7.x) pointed at it with `baseURL`. */

const fake = createCloudflareFake({ zones: ['example.com', 'other.example'], delays: { zoneActivation: 200 } });
let cf: Cloudflare;
let zoneId: string;

beforeAll(async () => {
	await fake.listen();
	cf = new Cloudflare({ apiToken: fake.credentials().apiToken, baseURL: `${fake.url}/client/v4`, maxRetries: 0 });
	const zones = await cf.zones.list({ name: 'example.com' });
	expect(zones.result.map((z) => z.name)).toEqual(['example.com']);
	zoneId = zones.result[0].id;
});
afterAll(() => fake.close());

describe('Cloudflare fake', () => {
	it('creates, lists with filters, updates and deletes DNS records', async () => {
		const created = await cf.dns.records.create({ zone_id: zoneId, type: 'A', name: 'acme', content: '203.0.113.10', ttl: 1, proxied: true, comment: 'tenant ten_1' });
		expect(created).toMatchObject({ name: 'acme.example.com', type: 'A', content: '203.0.113.10', proxied: true, ttl: 1 });
		await cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'TXT', name: 'acme.example.com', content: 'q2c-tenant=ten_1' });
		await cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'A', name: 'beta', content: '203.0.113.11' });

		const byName = await cf.dns.records.list({ zone_id: zoneId, name: { exact: 'acme.example.com' } });
		expect(byName.result.map((r) => r.type).sort()).toEqual(['A', 'TXT']);
		const byType = await cf.dns.records.list({ zone_id: zoneId, type: 'A', per_page: 1 });
		expect(byType.result).toHaveLength(1);
		expect((byType as unknown as { result_info: { total_count: number } }).result_info.total_count).toBe(2);
		const everyA = [];
		for await (const record of cf.dns.records.list({ zone_id: zoneId, type: 'A', per_page: 1 })) everyA.push(record.name);
		expect(everyA.sort()).toEqual(['acme.example.com', 'beta.example.com']);

		const patched = await cf.dns.records.edit(created.id, { zone_id: zoneId, ttl: 1, type: 'A', name: 'acme', content: '203.0.113.20' });
		expect(patched).toMatchObject({ id: created.id, content: '203.0.113.20', proxied: true });
		const replaced = await cf.dns.records.update(created.id, { zone_id: zoneId, type: 'A', name: 'acme', content: '203.0.113.21', ttl: 300 });
		expect(replaced).toMatchObject({ content: '203.0.113.21', ttl: 300, proxied: false });

		expect(await cf.dns.records.delete(created.id, { zone_id: zoneId })).toEqual({ id: created.id });
		expect(fake.records('example.com').map((r: { name: string; type: string }) => `${r.type} ${r.name}`).sort()).toEqual(['A beta.example.com', 'TXT acme.example.com']);
		await expect(cf.dns.records.delete(created.id, { zone_id: zoneId })).rejects.toMatchObject({ status: 404, errors: [{ code: 81044 }] });
	});

	it('answers duplicates, conflicts and invalid content with Cloudflare error codes', async () => {
		await cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'A', name: 'dup', content: '198.51.100.1' });
		await expect(cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'A', name: 'dup', content: '198.51.100.1' })).rejects.toMatchObject({ status: 400, errors: [{ code: 81058 }] });
		await expect(cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'CNAME', name: 'dup', content: 'target.example.net' })).rejects.toMatchObject({ status: 400, errors: [{ code: 81053 }] });
		await cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'CNAME', name: 'www', content: 'a.example.net' });
		await expect(cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'CNAME', name: 'www', content: 'b.example.net' })).rejects.toMatchObject({ status: 400, errors: [{ code: 81057 }] });
		await expect(cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'A', name: 'bad', content: 'not-an-ip' })).rejects.toMatchObject({ status: 400, errors: [{ code: 1004, error_chain: [{ code: 9005 }] }] });
		expect(fake.records('example.com').some((r: { name: string }) => r.name === 'bad.example.com')).toBe(false);
	});

	it('rejects a wrong token, honours faults and fail switches, and activates pending zones over time', async () => {
		const stranger = new Cloudflare({ apiToken: 'wrong-token-value', baseURL: `${fake.url}/client/v4`, maxRetries: 0 });
		await expect(stranger.zones.list()).rejects.toMatchObject({ status: 403, errors: [{ code: 10000, message: 'Authentication error' }] });
		const noAuth = await fetch(`${fake.url}/client/v4/zones`);
		expect(noAuth.status).toBe(400);
		expect(await noAuth.json()).toMatchObject({ success: false, errors: [{ code: 6003 }], result: null });

		fake.addFaults({ route: 'GET /client/v4/zones', times: 1, fault: { status: 429, retryAfter: 1 } });
		await expect(cf.zones.list()).rejects.toMatchObject({ status: 429 });
		fake.failNext('dns-record');
		await expect(cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'A', name: 'flaky', content: '192.0.2.1' })).rejects.toMatchObject({ status: 500 });
		await cf.dns.records.create({ zone_id: zoneId, ttl: 1, type: 'A', name: 'flaky', content: '192.0.2.1' });

		const pending = fake.addZone('new-tenant.example', { pending: true });
		expect((await cf.zones.get({ zone_id: pending.id })).status).toBe('pending');
		await new Promise((r) => setTimeout(r, 400));
		expect((await cf.zones.get({ zone_id: pending.id })).status).toBe('active');
	});
});
