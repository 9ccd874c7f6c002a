import { ConnectorError } from '../../../core';
import { CloudflareDnsProvider } from '../cloudflare';
import { CloudflareFake } from './cloudflareFake';

const TOKEN = 'cf-test-token-7Hq2LmZ91xR';
const fake = new CloudflareFake(TOKEN);
const noSleep = jest.fn(async () => undefined);
/** The shared per-token limiter would otherwise pace this file's many small calls. */
const UNLIMITED = { perSecond: 10_000, burst: 10_000 };
let zoneId = '';

function provider(overrides: Partial<ConstructorParameters<typeof CloudflareDnsProvider>[0]> = {}): CloudflareDnsProvider {
	return new CloudflareDnsProvider({ apiToken: TOKEN, baseUrl: fake.baseUrl, sleep: noSleep, retry: { retries: 2 }, rateLimit: UNLIMITED, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ConnectorError);
	return error as ConnectorError;
}

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
	fake.reset();
	noSleep.mockClear();
	zoneId = fake.addZone('example.com');
	fake.addZone('other.org');
});

describe('Cloudflare upsert', () => {
	it('creates a record in a zone given by name, with the bearer token and the body Cloudflare expects', async () => {
		const result = await provider().upsert({ zone: 'example.com', name: 'MyClub.example.com.', type: 'CNAME', content: 'lb.host.net', proxied: true });

		expect(result.outcome).toBe('created');
		expect(result.record).toMatchObject({ provider: 'cloudflare', zoneId, zoneName: 'example.com', name: 'myclub.example.com', content: 'lb.host.net', ttl: 1, proxied: true });
		expect(fake.records).toEqual([expect.objectContaining({ name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net', proxied: true })]);
		const zoneLookup = fake.requests[0];
		expect(zoneLookup).toMatchObject({ method: 'GET', path: '/client/v4/zones' });
		expect(zoneLookup.query.get('name')).toBe('example.com');
		const lookup = fake.requests.find((r) => r.method === 'GET' && r.path.endsWith('/dns_records'));
		expect(lookup?.query.get('name.exact')).toBe('myclub.example.com');
		expect(lookup?.query.get('type')).toBe('CNAME');
		const create = fake.writes()[0];
		expect(create).toMatchObject({ method: 'POST', path: `/client/v4/zones/${zoneId}/dns_records` });
		expect(create.body).toEqual({ name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net', ttl: 1, proxied: true });
		expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
	});

	it('returns the record unchanged on a repeat, without writing', async () => {
		const dns = provider();
		const first = await dns.upsert({ zone: 'example.com', name: 'myclub.example.com', type: 'A', content: '203.0.113.10' });
		const second = await dns.upsert({ zone: 'example.com', name: 'myclub.example.com', type: 'A', content: '203.0.113.10' });

		expect(second.outcome).toBe('unchanged');
		expect(second.record).toEqual(first.record);
		expect(second.previous).toBeUndefined();
		expect(fake.writes()).toHaveLength(1);
		expect(fake.records).toHaveLength(1);
	});

	it('updates a record pointing elsewhere, reports the previous value, and restoring it is one more upsert', async () => {
		const existing = fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'A', content: '198.51.100.7', ttl: 300, proxied: false });
		const dns = provider();

		const result = await dns.upsert({ zone: zoneId, name: 'myclub.example.com', type: 'A', content: '203.0.113.10' });

		expect(result.outcome).toBe('updated');
		expect(result.previous).toMatchObject({ id: existing.id, content: '198.51.100.7', ttl: 300, proxied: false });
		expect(result.record).toMatchObject({ id: existing.id, content: '203.0.113.10', ttl: 300 });
		const update = fake.writes()[0];
		expect(update).toMatchObject({ method: 'PUT', path: `/client/v4/zones/${zoneId}/dns_records/${existing.id}` });
		expect(fake.records[0].content).toBe('203.0.113.10');

		const restored = await dns.upsert({ zone: zoneId, name: result.previous!.name, type: result.previous!.type, content: result.previous!.content, ttl: result.previous!.ttl });
		expect(restored.outcome).toBe('updated');
		expect(fake.records).toEqual([expect.objectContaining({ id: existing.id, content: '198.51.100.7', ttl: 300 })]);
	});

	it('updates when only the TTL or the proxy setting differs', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'a.example.com', type: 'A', content: '203.0.113.10', ttl: 1, proxied: false });
		const result = await provider().upsert({ zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10', proxied: true });
		expect(result.outcome).toBe('updated');
		expect(fake.records[0].proxied).toBe(true);
	});

	it('treats an IPv6 address and a quoted TXT value the way Cloudflare writes them as the same content', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'v6.example.com', type: 'AAAA', content: '2001:db8::10', ttl: 1 });
		fake.addRecord({ zone_id: zoneId, name: '_verify.example.com', type: 'TXT', content: '"token=abc"', ttl: 1 });
		const dns = provider();
		expect((await dns.upsert({ zone: 'example.com', name: 'v6.example.com', type: 'AAAA', content: '2001:DB8:0:0::10' })).outcome).toBe('unchanged');
		expect((await dns.upsert({ zone: 'example.com', name: '_verify.example.com', type: 'TXT', content: 'token=abc' })).outcome).toBe('unchanged');
		expect(fake.writes()).toHaveLength(0);
	});

	it('reports a record created by its own lost first attempt as created', async () => {
		fake.fail({ method: 'POST', status: 502, errors: [{ code: 0, message: 'bad gateway' }], afterApply: true });
		const result = await provider().upsert({ zone: 'example.com', name: 'myclub.example.com', type: 'A', content: '203.0.113.10' });
		expect(result.outcome).toBe('created');
		expect(fake.writes().map((r) => r.method)).toEqual(['POST', 'POST']);
		expect(fake.records).toHaveLength(1);
	});

	it('refuses to pick one of several records with the same name and type', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'rr.example.com', type: 'A', content: '203.0.113.1', ttl: 1 });
		fake.addRecord({ zone_id: zoneId, name: 'rr.example.com', type: 'A', content: '203.0.113.2', ttl: 1 });
		const error = await failure(provider().upsert({ zone: 'example.com', name: 'rr.example.com', type: 'A', content: '203.0.113.3' }));
		expect(error.kind).toBe('conflict');
		expect(fake.writes()).toHaveLength(0);
	});
});

describe('Cloudflare get and remove', () => {
	it('gets a record, or null when there is none', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net', ttl: 120, proxied: false });
		const dns = provider();
		expect(await dns.get('example.com', 'myclub.example.com', 'CNAME')).toMatchObject({ content: 'lb.host.net', ttl: 120 });
		expect(await dns.get('example.com', 'myclub.example.com', 'A')).toBeNull();
	});

	it('removes a record, and removing it again is fine and sends no delete', async () => {
		const existing = fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net', ttl: 1 });
		const dns = provider();

		const first = await dns.remove('example.com', 'myclub.example.com', 'CNAME');
		expect(first).toMatchObject({ removed: true, previous: { id: existing.id, content: 'lb.host.net' } });
		expect(fake.records).toHaveLength(0);
		expect(fake.writes()).toEqual([expect.objectContaining({ method: 'DELETE', path: `/client/v4/zones/${zoneId}/dns_records/${existing.id}` })]);

		const second = await dns.remove('example.com', 'myclub.example.com', 'CNAME');
		expect(second).toEqual({ removed: false });
		expect(fake.writes()).toHaveLength(1);
	});

	it('treats a record deleted between the read and the delete as already removed', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'A', content: '203.0.113.10', ttl: 1 });
		fake.fail({ method: 'DELETE', status: 404, errors: [{ code: 81044, message: 'Record does not exist.' }] });
		const result = await provider().remove('example.com', 'myclub.example.com', 'A');
		expect(result.removed).toBe(false);
	});

	it('leaves a record that now points elsewhere when asked to remove only the content it set', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'A', content: '198.51.100.7', ttl: 1 });
		const error = await failure(provider().remove('example.com', 'myclub.example.com', 'A', { ifContent: '203.0.113.10' }));
		expect(error).toMatchObject({ kind: 'conflict', field: 'ifContent' });
		expect(fake.records).toHaveLength(1);
		expect(fake.writes()).toHaveLength(0);
	});
});

describe('Cloudflare validation happens before any request', () => {
	const cases: [string, Parameters<CloudflareDnsProvider['upsert']>[0], string][] = [
		['a name outside the zone', { zone: 'example.com', name: 'myclub.other.org', type: 'A', content: '203.0.113.10' }, 'name'],
		['a label with a bad character', { zone: 'example.com', name: 'my club.example.com', type: 'A', content: '203.0.113.10' }, 'name'],
		['a label over 63 characters', { zone: 'example.com', name: `${'a'.repeat(64)}.example.com`, type: 'A', content: '203.0.113.10' }, 'name'],
		['a label ending in a hyphen', { zone: 'example.com', name: 'club-.example.com', type: 'A', content: '203.0.113.10' }, 'name'],
		['an IPv6 address in an A record', { zone: 'example.com', name: 'a.example.com', type: 'A', content: '2001:db8::1' }, 'content'],
		['an IP address as a CNAME target', { zone: 'example.com', name: 'a.example.com', type: 'CNAME', content: '203.0.113.10' }, 'content'],
		['a CNAME to itself', { zone: 'example.com', name: 'a.example.com', type: 'CNAME', content: 'A.example.com.' }, 'content'],
		['non-ASCII TXT', { zone: 'example.com', name: 'a.example.com', type: 'TXT', content: 'héllo' }, 'content'],
		['an unsupported type', { zone: 'example.com', name: 'a.example.com', type: 'MX' as 'A', content: 'mail.example.com' }, 'type'],
		['a TTL out of range', { zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10', ttl: 30 }, 'ttl'],
		['a proxied TXT record', { zone: 'example.com', name: 'a.example.com', type: 'TXT', content: 'x', proxied: true }, 'proxied'],
		['an empty zone', { zone: ' ', name: 'a.example.com', type: 'A', content: '203.0.113.10' }, 'zone'],
	];

	it.each(cases)('refuses %s', async (_, input, field) => {
		const error = await failure(provider().upsert(input));
		expect(error).toMatchObject({ kind: 'validation', field, vendor: 'cloudflare' });
		expect(error.message).toContain(`"${field}"`);
		expect(fake.requests).toHaveLength(0);
	});

	it('checks a name against a zone given by id after reading the zone, before any write', async () => {
		const error = await failure(provider().upsert({ zone: zoneId, name: 'myclub.other.org', type: 'A', content: '203.0.113.10' }));
		expect(error).toMatchObject({ kind: 'validation', field: 'name' });
		expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /client/v4/zones/${zoneId}`]);
	});

	it('refuses a missing token before any request', () => {
		expect(() => new CloudflareDnsProvider({ apiToken: ' ', baseUrl: fake.baseUrl })).toThrow(expect.objectContaining({ kind: 'validation', field: 'credentials.apiToken' }));
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Cloudflare errors', () => {
	it('maps an unknown zone name and an unknown zone id to not_found on "zone"', async () => {
		const byName = await failure(provider().upsert({ zone: 'missing.net', name: 'a.missing.net', type: 'A', content: '203.0.113.10' }));
		expect(byName).toMatchObject({ kind: 'not_found', field: 'zone' });
		const byId = await failure(provider().get('ffffffffffffffffffffffffffffffff', 'a.example.com', 'A'));
		expect(byId).toMatchObject({ kind: 'not_found', field: 'zone' });
		expect(fake.writes()).toHaveLength(0);
	});

	it('maps a rejected token to auth, and does not retry it', async () => {
		const error = await failure(new CloudflareDnsProvider({ apiToken: 'wrong-token-123456', baseUrl: fake.baseUrl, sleep: noSleep, rateLimit: UNLIMITED }).listZones());
		expect(error).toMatchObject({ kind: 'auth', status: 403, code: '9109', retryable: false });
		expect(fake.requests).toHaveLength(1);
	});

	it('retries a rate limit, honouring Retry-After, then succeeds', async () => {
		fake.fail({ status: 429, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }], headers: { 'retry-after': '3' } });
		const zones = await provider().listZones();
		expect(zones.map((z) => z.name)).toEqual(['example.com', 'other.org']);
		expect(noSleep).toHaveBeenCalledWith(3000);
	});

	it('gives up on repeated 5xx as a retryable transient error', async () => {
		for (let i = 0; i < 3; i++) fake.fail({ status: 503, errors: [{ code: 0, message: 'unavailable' }] });
		const error = await failure(provider().listZones());
		expect(error).toMatchObject({ kind: 'transient', status: 503, retryable: true });
		expect(fake.requests).toHaveLength(3);
	});

	it('maps a CNAME clash to conflict and a content error to validation on its field', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'A', content: '203.0.113.10', ttl: 1 });
		const clash = await failure(provider().upsert({ zone: 'example.com', name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net' }));
		expect(clash).toMatchObject({ kind: 'conflict', code: '81053', retryable: false });

		fake.fail({ method: 'POST', status: 400, errors: [{ code: 9021, message: 'Invalid TTL. Must be between 120 and 2147483647 seconds, or 1 for automatic.' }] });
		const ttl = await failure(provider().upsert({ zone: 'example.com', name: 'new.example.com', type: 'A', content: '203.0.113.10', ttl: 60 }));
		expect(ttl).toMatchObject({ kind: 'validation', field: 'ttl', code: '9021' });

		fake.fail({ method: 'POST', status: 400, errors: [{ code: 1004, message: 'DNS Validation Error', error_chain: [{ code: 9005, message: 'Content for A record is invalid.' }] }] });
		const content = await failure(provider().upsert({ zone: 'example.com', name: 'new.example.com', type: 'A', content: '203.0.113.10' }));
		expect(content).toMatchObject({ kind: 'validation', field: 'content', code: '1004', expected: 'Content for A record is invalid.' });
		expect(content.message).toContain('9005');
	});

	it('maps an unreachable API to transient', async () => {
		const closed = new CloudflareFake(TOKEN);
		await closed.start();
		const baseUrl = closed.baseUrl;
		await closed.stop();
		const error = await failure(new CloudflareDnsProvider({ apiToken: TOKEN, baseUrl, sleep: noSleep, retry: { retries: 1 }, rateLimit: UNLIMITED }).listZones());
		expect(error.kind).toBe('transient');
	});

	it('never lets the token into an error, even when Cloudflare echoes it', async () => {
		fake.fail({ status: 400, errors: [{ code: 6003, message: `Invalid request headers: token ${TOKEN} is malformed` }] });
		const error = await failure(provider().listZones());
		expect(error.kind).toBe('validation');
		expect(error.message).toContain('6003');
		expect(error.message).not.toContain(TOKEN);
		expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
		expect(String(error.stack)).not.toContain(TOKEN);
		expect(error.cause).toBeUndefined();
	});
});

describe('Cloudflare zones', () => {
	it('lists every page of zones for a picker, filtered by a search', async () => {
		for (let i = 0; i < 55; i++) fake.addZone(`club${String(i).padStart(2, '0')}.example.net`);
		const dns = provider();

		const all = await dns.listZones();
		expect(all).toHaveLength(57);
		expect(fake.requests.map((r) => r.query.get('page'))).toEqual(['1', '2']);

		const found = await dns.listZones('CLUB07');
		expect(found).toEqual([{ id: expect.any(String), name: 'club07.example.net', status: 'active' }]);
		expect(fake.requests.at(-1)?.query.get('name')).toBe('contains:club07');
	});
});
