import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, GetChangeCommand, GetHostedZoneCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client, waitUntilResourceRecordSetsChanged } from '@aws-sdk/client-route-53';
import { randomUUID } from 'node:crypto';

const { createRoute53Fake } = require('../../sandbox/provisioning/route53');
const { newAwsCredentials } = require('../../sandbox/provisioning/awsAuth');

/** The Route 53 fake driven by the official AWS SDK v3 client (REST-XML, SigV4), including its change waiter. */

const credentials = newAwsCredentials();
const fake = createRoute53Fake({ credentials, delays: { sync: 600 } });
let r53: Route53Client;
let zoneId: string;

const client = (creds = credentials) => new Route53Client({ endpoint: fake.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const upsertA = (name: string, ip: string, Action: 'CREATE' | 'UPSERT' | 'DELETE' = 'UPSERT', TTL = 300) => ({ Action, ResourceRecordSet: { Name: name, Type: 'A' as const, TTL, ResourceRecords: [{ Value: ip }] } });

beforeAll(async () => {
	await fake.listen();
	r53 = client();
	const created = await r53.send(new CreateHostedZoneCommand({ Name: 'tenants.example.com', CallerReference: randomUUID(), HostedZoneConfig: { Comment: 'q2c' } }));
	expect(created.HostedZone?.Name).toBe('tenants.example.com.');
	expect(created.ChangeInfo?.Status).toBe('PENDING');
	zoneId = created.HostedZone?.Id as string;
});
afterAll(async () => {
	await fake.close();
	r53?.destroy();
});

describe('Route 53 fake', () => {
	it('applies a change batch that becomes INSYNC over time, as the SDK waiter sees it', async () => {
		const byName = await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'tenants.example.com' }));
		expect(byName.HostedZones?.[0]?.Id).toBe(zoneId);

		const changed = await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: 'ten_1', Changes: [upsertA('acme.tenants.example.com', '203.0.113.10', 'CREATE'), { Action: 'CREATE', ResourceRecordSet: { Name: 'acme.tenants.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"q2c-tenant=ten_1"' }] } }] } }));
		expect(changed.ChangeInfo).toMatchObject({ Status: 'PENDING', Comment: 'ten_1', Id: expect.stringMatching(/^\/change\/C/) });
		const started = Date.now();
		await waitUntilResourceRecordSetsChanged({ client: r53, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { Id: changed.ChangeInfo?.Id });
		expect(Date.now() - started).toBeGreaterThanOrEqual(500);
		expect((await r53.send(new GetChangeCommand({ Id: changed.ChangeInfo?.Id }))).ChangeInfo?.Status).toBe('INSYNC');

		const sets = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'acme.tenants.example.com', StartRecordType: 'A' }));
		expect(sets.ResourceRecordSets?.slice(0, 2).map((s) => `${s.Type} ${s.Name} ${s.ResourceRecords?.[0]?.Value}`)).toEqual(['A acme.tenants.example.com. 203.0.113.10', 'TXT acme.tenants.example.com. "q2c-tenant=ten_1"']);

		await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('acme.tenants.example.com', '203.0.113.20')] } }));
		expect(fake.records('tenants.example.com').find((r: any) => r.type === 'A').values).toEqual(['203.0.113.20']);
	});

	it('rejects invalid batches atomically with InvalidChangeBatch', async () => {
		await expect(r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('new.tenants.example.com', '198.51.100.1', 'CREATE'), upsertA('acme.tenants.example.com', '198.51.100.2', 'CREATE')] } }))).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringMatching(/Tried to create resource record set \[name='acme.tenants.example.com.', type='A'\] but it already exists/) });
		// Nothing of the failed batch was applied.
		expect(fake.records('tenants.example.com').some((r: any) => r.name === 'new.tenants.example.com.')).toBe(false);
		await expect(r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('gone.tenants.example.com', '198.51.100.3', 'DELETE')] } }))).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringMatching(/but it was not found/) });
		await expect(r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('x.other.example.org', '198.51.100.3')] } }))).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringMatching(/not permitted in zone/) });
		await expect(r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('bad.tenants.example.com', '999.1.1.1')] } }))).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringMatching(/ARRDATAIllegalIPv4Address/) });

		await expect(r53.send(new DeleteHostedZoneCommand({ Id: zoneId }))).rejects.toMatchObject({ name: 'HostedZoneNotEmpty' });
		await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('acme.tenants.example.com', '203.0.113.20', 'DELETE')] } }));
		expect(fake.records('tenants.example.com').some((r: any) => r.name === 'acme.tenants.example.com.' && r.type === 'A')).toBe(false);
	});

	it('answers unknown zones, bad signatures, faults and stuck changes', async () => {
		await expect(r53.send(new GetHostedZoneCommand({ Id: 'ZNOTAZONE' }))).rejects.toMatchObject({ name: 'NoSuchHostedZone', $metadata: { httpStatusCode: 404 } });
		await expect(client({ accessKeyId: credentials.accessKeyId, secretAccessKey: 'wrong' }).send(new GetHostedZoneCommand({ Id: zoneId }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
		await expect(client(newAwsCredentials()).send(new GetHostedZoneCommand({ Id: zoneId }))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
		fake.addFaults({ route: 'GET /2013-04-01/hostedzone/{id}', times: 1, fault: { status: 503 } });
		await expect(r53.send(new GetHostedZoneCommand({ Id: zoneId }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });

		fake.failNext('stuck-change');
		const stuck = await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsertA('slow.tenants.example.com', '192.0.2.5')] } }));
		await expect(waitUntilResourceRecordSetsChanged({ client: r53, maxWaitTime: 2, minDelay: 1, maxDelay: 1 }, { Id: stuck.ChangeInfo?.Id })).rejects.toThrow(/TimeoutError|timed out|Waiter/i);
	});
});
