import {
	ChangeResourceRecordSetsCommand,
	GetHostedZoneCommand,
	ListHostedZonesByNameCommand,
	ListResourceRecordSetsCommand,
	Route53Client,
	type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { failure, locator, run, type Params } from '../../pipeline/__tests__/kit';
import { operations } from '..';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ZONE = { Id: '/hostedzone/Z0EXAMPLE1', Name: 'example.com.', CallerReference: 'ref-1', Config: { PrivateZone: false } };
const route53 = mockClient(Route53Client);
let counter = 0;
let credentials: Record<string, Record<string, unknown>>;

const recordSets = (...sets: ResourceRecordSet[]) => route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: sets, IsTruncated: false, MaxItems: 10 });
const changes = () => route53.commandCalls(ChangeResourceRecordSetsCommand).map((call) => call.args[0].input);

beforeEach(() => {
	route53.reset();
	route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [ZONE], IsTruncated: false, MaxItems: 100 });
	route53.on(GetHostedZoneCommand).resolves({ HostedZone: ZONE });
	route53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() } });
	recordSets();
	// A key id per test: the connector's rate limit (5 a second) is kept per key.
	credentials = { provisioningAwsApi: { authentication: 'accessKey', region: 'us-east-1', accessKeyId: `AKIDTEST${++counter}`, secretAccessKey: SECRET } };
});

const base: Params = { resource: 'dnsRecord', dnsProvider: 'route53', zone: locator('Z0EXAMPLE1'), recordNameMode: 'subdomain', subdomain: 'myclub', recordType: 'A' };

describe('DNS record on Route 53', () => {
	it('creates the record in a zone picked by id, with the change id and status', async () => {
		const created = await run(operations.upsert, { ...base, operation: 'upsert', content: '203.0.113.10', ttl: 0, proxied: true }, credentials);
		expect(created).toMatchObject({ provider: 'route53', outcome: 'created', zoneId: 'Z0EXAMPLE1', name: 'myclub.example.com', content: '203.0.113.10', ttl: 300, changeId: 'C2682N5HXP0BZ4', changeStatus: 'PENDING', previous: null });
		expect(created).not.toHaveProperty('proxied');
		expect(changes()).toEqual([
			expect.objectContaining({
				HostedZoneId: 'Z0EXAMPLE1',
				ChangeBatch: expect.objectContaining({ Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'myclub.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '203.0.113.10' }] } }] }),
			}),
		]);
		expect(JSON.stringify(created)).not.toContain(SECRET);
	});

	it('updates with the previous record, and leaves an identical one unchanged', async () => {
		recordSets({ Name: 'myclub.example.com.', Type: 'A', TTL: 600, ResourceRecords: [{ Value: '203.0.113.9' }] });
		const updated = await run(operations.upsert, { ...base, content: '203.0.113.10', ttl: 0 }, credentials);
		expect(updated).toMatchObject({ outcome: 'updated', ttl: 600, previous: { content: '203.0.113.9', ttl: 600 } });
		const same = await run(operations.upsert, { ...base, content: '203.0.113.9', ttl: 600 }, credentials);
		expect(same).toMatchObject({ outcome: 'unchanged' });
		expect(changes()).toHaveLength(1);
	});

	it('removes the record set as it is, and counts a missing one as removed: false', async () => {
		const existing = { Name: 'myclub.example.com.', Type: 'A' as const, TTL: 300, ResourceRecords: [{ Value: '203.0.113.10' }] };
		recordSets(existing);
		expect(await run(operations.remove, { ...base, onlyIfContent: '203.0.113.10' }, credentials)).toMatchObject({ removed: true, changeId: 'C2682N5HXP0BZ4', previous: { content: '203.0.113.10' } });
		expect(changes()[0].ChangeBatch?.Changes).toEqual([{ Action: 'DELETE', ResourceRecordSet: existing }]);
		recordSets();
		expect(await run(operations.remove, base, credentials)).toMatchObject({ removed: false, previous: null });
		expect(changes()).toHaveLength(1);
	});

	it('refuses a Cloudflare-only TTL before any call, and maps AccessDenied to auth without the secret', async () => {
		expect((await failure(run(operations.upsert, { ...base, content: '203.0.113.10', ttl: 1 }, credentials))).field).toBe('ttl');
		expect(route53.calls()).toHaveLength(0);
		route53.on(GetHostedZoneCommand).rejects(Object.assign(new Error(`User is not authorized (${SECRET})`), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
		const error = await failure(run(operations.get, base, credentials));
		expect(error).toMatchObject({ kind: 'auth', retryable: false });
		expect(JSON.stringify({ message: error.message, ...error.toJSON() })).not.toContain(SECRET);
	});
});
