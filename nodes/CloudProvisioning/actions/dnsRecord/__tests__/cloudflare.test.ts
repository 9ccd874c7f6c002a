import { CloudflareFake } from '../../../../../connectors/provisioning/dns/__tests__/cloudflareFake';
import { routeOperations } from '../../../../shared/router';
import { receiptsIn, tempStore } from '../../../../shared/__tests__/receiptKit';
import { cloudClientsFor } from '../../../clients';
import { context, failure, loadOptionsContext, locator, run, type Params } from '../../pipeline/__tests__/kit';
import { operations, sideEffects } from '..';
import { searchDnsZones } from '../listSearch';

let fake: CloudflareFake;
let token: string;
let zoneId: string;
let credentials: Record<string, Record<string, unknown>>;
let counter = 0;
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake token the local fake rejects
const WRONG_TOKEN = 'cf-wrong-token-000';

beforeEach(async () => {
	// A token per test: the connector's rate limit (4 a second) is kept per token.
	token = `cf-test-token-${++counter}-${Date.now()}`;
	fake = await new CloudflareFake(token).start();
	zoneId = fake.addZone('example.com');
	fake.addZone('other.org');
	credentials = { provisioningCloudflareApi: { apiToken: token, baseUrl: fake.baseUrl } };
});
afterEach(() => fake.stop());

const upsert = (more: Params = {}): Params => ({
	resource: 'dnsRecord',
	operation: 'upsert',
	dnsProvider: 'cloudflare',
	zone: locator(zoneId),
	recordNameMode: 'subdomain',
	subdomain: 'MyClub',
	recordType: 'CNAME',
	content: 'lb.example.net',
	ttl: 0,
	proxied: true,
	...more,
});

describe('DNS record on Cloudflare', () => {
	it('creates, repeats as unchanged, and updates with the previous record', async () => {
		const created = await run(operations.upsert, upsert(), credentials);
		expect(created).toMatchObject({ provider: 'cloudflare', outcome: 'created', zoneId, zoneName: 'example.com', name: 'myclub.example.com', type: 'CNAME', content: 'lb.example.net', proxied: true, previous: null });
		expect(created.recordRef).toBe(`${zoneId}/myclub.example.com/CNAME`);
		expect(fake.records).toHaveLength(1);
		expect(await run(operations.upsert, upsert(), credentials)).toMatchObject({ outcome: 'unchanged', recordId: created.recordId });
		const updated = await run(operations.upsert, upsert({ content: 'lb2.example.net', ttl: 300 }), credentials);
		expect(updated).toMatchObject({ outcome: 'updated', content: 'lb2.example.net', ttl: 300, previous: { content: 'lb.example.net', recordId: created.recordId } });
		expect(fake.writes().map((w) => w.method)).toEqual(['POST', 'PUT']);
		expect(JSON.stringify([created, updated])).not.toContain(token);
	});

	it('takes a full name in a zone given by domain, and gets the record or found: false', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'api.example.com', type: 'A', content: '203.0.113.10', ttl: 1, proxied: false });
		const byName = { dnsProvider: 'cloudflare', zone: locator('example.com', 'name'), recordNameMode: 'fullName', recordType: 'A' };
		expect(await run(operations.get, { ...byName, recordName: 'API.example.com.' }, credentials)).toMatchObject({ found: true, name: 'api.example.com', content: '203.0.113.10', zoneId });
		expect(await run(operations.get, { ...byName, recordName: 'www.example.com' }, credentials)).toMatchObject({ found: false, name: 'www.example.com', type: 'A' });
	});

	it('removes idempotently, and leaves a record that now points elsewhere', async () => {
		fake.addRecord({ zone_id: zoneId, name: 'myclub.example.com', type: 'CNAME', content: 'changed.example.net', ttl: 1, proxied: false });
		const remove = { dnsProvider: 'cloudflare', zone: locator(zoneId), recordNameMode: 'subdomain', subdomain: 'myclub', recordType: 'CNAME' };
		const conflict = await failure(run(operations.remove, { ...remove, onlyIfContent: 'lb.example.net' }, credentials));
		expect(conflict).toMatchObject({ kind: 'conflict', field: 'ifContent' });
		expect(fake.records).toHaveLength(1);
		expect(await run(operations.remove, { ...remove, onlyIfContent: 'changed.example.net' }, credentials)).toMatchObject({ removed: true, previous: { content: 'changed.example.net' } });
		expect(fake.records).toHaveLength(0);
		expect(await run(operations.remove, remove, credentials)).toMatchObject({ removed: false, previous: null, name: 'myclub.example.com' });
	});

	it('refuses bad input, naming the field, before any request', async () => {
		const cases: [Params, string][] = [
			[upsert({ subdomain: 'my.club' }), 'subdomain'],
			[upsert({ subdomain: '-club' }), 'subdomain'],
			[upsert({ recordType: 'MX' }), 'recordType'],
			[upsert({ recordType: 'A', content: 'not-an-ip' }), 'content'],
			[upsert({ ttl: 30 }), 'ttl'],
			[upsert({ zone: locator('') }), 'zone'],
			[upsert({ zone: locator('example.com', 'name'), recordNameMode: 'fullName', recordName: 'myclub.other.org' }), 'name'],
			[upsert({ dnsProvider: 'godaddy' }), 'dnsProvider'],
		];
		for (const [params, field] of cases) expect((await failure(run(operations.upsert, params, credentials))).field).toBe(field);
		const remove = { dnsProvider: 'cloudflare', zone: locator(zoneId), recordNameMode: 'subdomain', subdomain: 'myclub', recordType: 'A', onlyIfContent: 'lb.example.net' };
		expect((await failure(run(operations.remove, remove, credentials))).field).toBe('onlyIfContent');
		expect(fake.requests).toHaveLength(0);
	});

	it('reports a zone id the token cannot see, and a rejected token without echoing it', async () => {
		expect(await failure(run(operations.upsert, upsert({ zone: locator('0123456789abcdef0123456789abcdef') }), credentials))).toMatchObject({ kind: 'not_found', field: 'zone' });
		const wrong = { provisioningCloudflareApi: { apiToken: WRONG_TOKEN, baseUrl: fake.baseUrl } };
		const error = await failure(run(operations.upsert, upsert(), wrong));
		expect(error).toMatchObject({ kind: 'auth', retryable: false });
		expect(JSON.stringify({ message: error.message, ...error.toJSON() })).not.toContain(WRONG_TOKEN);
	});

	it('lists zones for the picker', async () => {
		const found = await searchDnsZones.call(loadOptionsContext({ dnsProvider: 'cloudflare' }, credentials), 'example');
		expect(found.results).toEqual([{ name: 'example.com', value: zoneId }]);
	});

	it('records the upsert receipt under provisioning.dnsRecord.upsert with the record and its previous value', async () => {
		const store = tempStore();
		try {
			const params = { ...upsert(), recordReceipt: true, receiptBusinessKey: 'CTR-5', receiptOptions: { storePath: store.dir } };
			const ctx = context(params, credentials);
			const [items] = await routeOperations(ctx, { dnsRecord: operations }, async (index) => cloudClientsFor(ctx, index), { sideEffects });
			expect(items[0].json).toMatchObject({ outcome: 'created', receipt: { step: 'provisioning.dnsRecord.upsert' } });
			const [receipt] = await receiptsIn(store.dir, 'CTR-5');
			expect(receipt).toMatchObject({ workflow_step: 'provisioning.dnsRecord.upsert', resource_ref: `${zoneId}/myclub.example.com/CNAME` });
			expect(receipt.effect).toMatchObject({ type: 'dns.record', recordType: 'CNAME', provider: 'cloudflare', content: 'lb.example.net', outcome: 'created' });
			expect(JSON.stringify(receipt)).not.toContain(token);
		} finally {
			store.cleanup();
		}
	});
});
