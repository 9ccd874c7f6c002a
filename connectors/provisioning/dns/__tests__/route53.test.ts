import {
	ChangeResourceRecordSetsCommand,
	GetChangeCommand,
	GetHostedZoneCommand,
	InvalidChangeBatch,
	ListHostedZonesByNameCommand,
	ListResourceRecordSetsCommand,
	NoSuchHostedZone,
	Route53Client,
	type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { ConnectorError } from '../../../core';
import { Route53DnsProvider } from '../route53';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ZONE = { Id: '/hostedzone/Z0EXAMPLE1', Name: 'example.com.', CallerReference: 'ref-1', Config: { PrivateZone: false } };
const route53 = mockClient(Route53Client);
const noSleep = jest.fn(async () => undefined);

function provider(): Route53DnsProvider {
	return new Route53DnsProvider({
		region: 'us-east-1',
		endpoint: 'http://127.0.0.1:9',
		credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
		sleep: noSleep,
		retry: { retries: 2 },
		rateLimit: { perSecond: 10_000, burst: 10_000 },
	});
}

function recordSets(...sets: ResourceRecordSet[]): void {
	route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: sets, IsTruncated: false, MaxItems: 10 });
}

function awsError(name: string, message: string, status = 400): Error {
	return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

function changeCalls() {
	return route53.commandCalls(ChangeResourceRecordSetsCommand).map((call) => call.args[0].input);
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ConnectorError);
	return error as ConnectorError;
}

beforeEach(() => {
	route53.reset();
	noSleep.mockClear();
	route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [ZONE], IsTruncated: false, MaxItems: 10 });
	route53.on(GetHostedZoneCommand).resolves({ HostedZone: ZONE });
	route53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() } });
	recordSets();
});

afterAll(() => route53.restore());

describe('Route 53 upsert', () => {
	it('creates a record set in a zone found by name, trailing dots added, and returns the pending change', async () => {
		const result = await provider().upsert({ zone: 'Example.com.', name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net.' });

		expect(result).toMatchObject({ outcome: 'created', changeId: 'C2682N5HXP0BZ4', changeStatus: 'PENDING' });
		expect(result.record).toEqual({ provider: 'route53', zoneId: 'Z0EXAMPLE1', zoneName: 'example.com', name: 'myclub.example.com', type: 'CNAME', content: 'lb.host.net', ttl: 300 });
		expect(route53.commandCalls(ListHostedZonesByNameCommand)[0].args[0].input).toMatchObject({ DNSName: 'example.com.' });
		expect(route53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input).toMatchObject({
			HostedZoneId: 'Z0EXAMPLE1',
			StartRecordName: 'myclub.example.com.',
			StartRecordType: 'CNAME',
		});
		expect(changeCalls()).toEqual([
			{
				HostedZoneId: 'Z0EXAMPLE1',
				ChangeBatch: {
					Comment: expect.any(String),
					Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'myclub.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'lb.host.net' }] } }],
				},
			},
		]);
		expect(route53.commandCalls(GetChangeCommand)).toHaveLength(0);
	});

	it('returns an identical record unchanged, without a change batch', async () => {
		recordSets({ Name: 'myclub.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '203.0.113.10' }] });
		const result = await provider().upsert({ zone: 'example.com', name: 'myclub.example.com', type: 'A', content: '203.0.113.10' });
		expect(result).toMatchObject({ outcome: 'unchanged', record: { content: '203.0.113.10', ttl: 300 } });
		expect(result.changeId).toBeUndefined();
		expect(changeCalls()).toHaveLength(0);
	});

	it('updates a record pointing elsewhere, keeping its TTL, and reports the previous value', async () => {
		recordSets({ Name: 'myclub.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '198.51.100.7' }] });
		const result = await provider().upsert({ zone: 'example.com', name: 'myclub.example.com', type: 'A', content: '203.0.113.10' });
		expect(result.outcome).toBe('updated');
		expect(result.previous).toMatchObject({ name: 'myclub.example.com', type: 'A', content: '198.51.100.7', ttl: 60 });
		expect(changeCalls()[0].ChangeBatch?.Changes?.[0].ResourceRecordSet).toEqual({
			Name: 'myclub.example.com.',
			Type: 'A',
			TTL: 60,
			ResourceRecords: [{ Value: '203.0.113.10' }],
		});
	});

	it('quotes TXT text for Route 53 and reads the quoted form back as the same content', async () => {
		const text = `v=verify "club" ${'x'.repeat(300)}`;
		const dns = provider();
		await dns.upsert({ zone: 'example.com', name: '_verify.example.com', type: 'TXT', content: text });
		const value = changeCalls()[0].ChangeBatch?.Changes?.[0].ResourceRecordSet?.ResourceRecords?.[0].Value ?? '';
		expect(value.startsWith('"v=verify \\"club\\" ')).toBe(true);
		expect(value.match(/" "/g)).toHaveLength(1);

		recordSets({ Name: '_verify.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: value }] });
		const again = await dns.upsert({ zone: 'example.com', name: '_verify.example.com', type: 'TXT', content: text });
		expect(again.outcome).toBe('unchanged');
		expect(again.record.content).toBe(text);
	});

	it('reads names Route 53 escapes (a wildcard is \\052) and finds the zone by id', async () => {
		recordSets({ Name: '\\052.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'lb.host.net' }] });
		const record = await provider().get('/hostedzone/Z0EXAMPLE1', '*.example.com.', 'CNAME');
		expect(record).toMatchObject({ name: '*.example.com', content: 'lb.host.net', zoneId: 'Z0EXAMPLE1' });
		expect(route53.commandCalls(GetHostedZoneCommand)[0].args[0].input).toEqual({ Id: 'Z0EXAMPLE1' });
	});

	it('ignores the neighbouring record sets the listing starts with', async () => {
		recordSets(
			{ Name: 'myclub.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"x"' }] },
			{ Name: 'myclubs.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '203.0.113.10' }] },
		);
		expect(await provider().get('example.com', 'myclub.example.com', 'A')).toBeNull();
	});

	it.each([
		['an alias record', { Name: 'a.example.com.', Type: 'A', AliasTarget: { HostedZoneId: 'Z2', DNSName: 'lb.aws.', EvaluateTargetHealth: false } }],
		['a weighted record', { Name: 'a.example.com.', Type: 'A', SetIdentifier: 'blue', Weight: 10, TTL: 60, ResourceRecords: [{ Value: '203.0.113.1' }] }],
		['a multi-value record', { Name: 'a.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '203.0.113.1' }, { Value: '203.0.113.2' }] }],
	] as [string, ResourceRecordSet][])('leaves %s alone (conflict)', async (_, set) => {
		recordSets(set);
		const error = await failure(provider().upsert({ zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10' }));
		expect(error.kind).toBe('conflict');
		expect(changeCalls()).toHaveLength(0);
	});
});

describe('Route 53 remove', () => {
	it('deletes the record set exactly as it is, read first', async () => {
		const current = { Name: 'myclub.example.com.', Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '203.0.113.10' }] };
		recordSets(current);
		const result = await provider().remove('example.com', 'myclub.example.com', 'A');
		expect(result).toMatchObject({ removed: true, previous: { content: '203.0.113.10' }, changeId: 'C2682N5HXP0BZ4', changeStatus: 'PENDING' });
		expect(changeCalls()[0].ChangeBatch?.Changes).toEqual([{ Action: 'DELETE', ResourceRecordSet: current }]);
	});

	it('is fine with a record that is not there, and sends no change', async () => {
		const result = await provider().remove('example.com', 'myclub.example.com', 'A');
		expect(result).toEqual({ removed: false });
		expect(changeCalls()).toHaveLength(0);
	});

	it('treats a record deleted between the read and the delete as already removed', async () => {
		recordSets({ Name: 'myclub.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '203.0.113.10' }] });
		route53.on(ChangeResourceRecordSetsCommand).rejects(
			new InvalidChangeBatch({
				message: 'Invalid change batch',
				messages: ["Tried to delete resource record set [name='myclub.example.com.', type='A'] but it was not found"],
				$metadata: { httpStatusCode: 400 },
			}),
		);
		expect((await provider().remove('example.com', 'myclub.example.com', 'A')).removed).toBe(false);
	});

	it('leaves a record that now points elsewhere when asked to remove only the content it set', async () => {
		recordSets({ Name: 'myclub.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '198.51.100.7' }] });
		const error = await failure(provider().remove('example.com', 'myclub.example.com', 'A', { ifContent: '203.0.113.10' }));
		expect(error).toMatchObject({ kind: 'conflict', field: 'ifContent' });
		expect(changeCalls()).toHaveLength(0);
	});
});

describe('Route 53 change status', () => {
	it('reads PENDING and INSYNC without waiting', async () => {
		route53.on(GetChangeCommand).resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } }).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
		const dns = provider();
		expect(await dns.changeStatus('/change/C1')).toBe('PENDING');
		expect(await dns.changeStatus('C1')).toBe('INSYNC');
		expect(route53.commandCalls(GetChangeCommand).map((call) => call.args[0].input)).toEqual([{ Id: 'C1' }, { Id: 'C1' }]);
	});

	it('waits until INSYNC for scripts', async () => {
		route53.on(GetChangeCommand).resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } }).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
		await expect(provider().waitInSync('C1', { minDelaySeconds: 1, maxDelaySeconds: 1, maxWaitSeconds: 10 })).resolves.toBe('INSYNC');
		expect(route53.commandCalls(GetChangeCommand)).toHaveLength(2);
	});

	it('reports a change still pending at the deadline as a transient error', async () => {
		route53.on(GetChangeCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
		const error = await failure(provider().waitInSync('C1', { minDelaySeconds: 1, maxDelaySeconds: 1, maxWaitSeconds: 2 }));
		expect(error).toMatchObject({ kind: 'transient', code: 'WaiterTimeout', retryable: true });
		expect(route53.commandCalls(GetChangeCommand).length).toBeGreaterThanOrEqual(2);
	});

	it('refuses a deadline that leaves no room for a second poll, before any call', async () => {
		const error = await failure(provider().waitInSync('C1', { minDelaySeconds: 5, maxWaitSeconds: 5 }));
		expect(error).toMatchObject({ kind: 'validation', field: 'maxWaitSeconds' });
		expect(route53.calls()).toHaveLength(0);
	});

	it('refuses a malformed change id before any call', async () => {
		const error = await failure(provider().changeStatus('C1; DROP'));
		expect(error).toMatchObject({ kind: 'validation', field: 'changeId' });
		expect(route53.calls()).toHaveLength(0);
	});
});

describe('Route 53 validation happens before any call', () => {
	it.each([
		['a name outside the zone', { zone: 'example.com', name: 'a.example.org', type: 'A', content: '203.0.113.10' }, 'name'],
		['a bad IPv4 address', { zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.300' }, 'content'],
		['a bad IPv6 address', { zone: 'example.com', name: 'a.example.com', type: 'AAAA', content: '2001:db8:::1' }, 'content'],
		['the Cloudflare-only automatic TTL', { zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10', ttl: 1 }, 'ttl'],
		['a proxy, which Route 53 has not', { zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10', proxied: true }, 'proxied'],
		['a name over 253 characters', { zone: 'example.com', name: `${'abcdefghij.'.repeat(23)}example.com`, type: 'A', content: '203.0.113.10' }, 'name'],
	] as [string, Parameters<Route53DnsProvider['upsert']>[0], string][])('refuses %s', async (_, input, field) => {
		const error = await failure(provider().upsert(input));
		expect(error).toMatchObject({ kind: 'validation', field, vendor: 'route53' });
		expect(route53.calls()).toHaveLength(0);
	});

	it('checks a name against a zone given by id after reading the zone, before any change', async () => {
		const error = await failure(provider().upsert({ zone: 'Z0EXAMPLE1', name: 'a.example.org', type: 'A', content: '203.0.113.10' }));
		expect(error).toMatchObject({ kind: 'validation', field: 'name' });
		expect(route53.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetHostedZoneCommand']);
	});
});

describe('Route 53 errors', () => {
	it('maps NoSuchHostedZone and an unknown zone name to not_found on "zone"', async () => {
		route53.on(GetHostedZoneCommand).rejects(new NoSuchHostedZone({ message: 'No hosted zone found with ID: Z404', $metadata: { httpStatusCode: 404 } }));
		expect(await failure(provider().get('Z404', 'a.example.com', 'A'))).toMatchObject({ kind: 'not_found', field: 'zone', code: 'NoSuchHostedZone' });

		route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [{ ...ZONE, Name: 'example.net.' }], IsTruncated: false, MaxItems: 10 });
		expect(await failure(provider().get('example.org', 'a.example.org', 'A'))).toMatchObject({ kind: 'not_found', field: 'zone' });
	});

	it('asks for the id when a public and a private zone share the name', async () => {
		route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [ZONE, { ...ZONE, Id: '/hostedzone/ZPRIVATE', Config: { PrivateZone: true } }], IsTruncated: false, MaxItems: 10 });
		expect(await failure(provider().get('example.com', 'a.example.com', 'A'))).toMatchObject({ kind: 'conflict', field: 'zone' });
	});

	it('maps InvalidChangeBatch by its messages: a clash to conflict, a bad value to validation', async () => {
		route53.on(ChangeResourceRecordSetsCommand).rejects(
			new InvalidChangeBatch({
				message: 'Invalid change batch',
				messages: ['RRSet of type CNAME with DNS name a.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.'],
				$metadata: { httpStatusCode: 400 },
			}),
		);
		const clash = await failure(provider().upsert({ zone: 'example.com', name: 'a.example.com', type: 'CNAME', content: 'lb.host.net' }));
		expect(clash).toMatchObject({ kind: 'conflict', code: 'InvalidChangeBatch', retryable: false });

		route53.on(ChangeResourceRecordSetsCommand).rejects(
			new InvalidChangeBatch({ message: 'Invalid change batch', messages: ['Invalid Resource Record: FATAL problem: ARRDATAIllegalIPv4Address'], $metadata: { httpStatusCode: 400 } }),
		);
		const bad = await failure(provider().upsert({ zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10' }));
		expect(bad).toMatchObject({ kind: 'validation', field: 'content' });
	});

	it('retries Throttling, then succeeds', async () => {
		route53.on(ChangeResourceRecordSetsCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded')).resolves({ ChangeInfo: { Id: '/change/C9', Status: 'PENDING', SubmittedAt: new Date() } });
		const result = await provider().upsert({ zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10' });
		expect(result.changeId).toBe('C9');
		expect(changeCalls()).toHaveLength(2);
		expect(noSleep).toHaveBeenCalledTimes(1);
	});

	it('gives up on persistent throttling as a retryable rate_limited error', async () => {
		route53.on(ListResourceRecordSetsCommand).rejects(awsError('Throttling', 'Rate exceeded'));
		const error = await failure(provider().get('example.com', 'a.example.com', 'A'));
		expect(error).toMatchObject({ kind: 'rate_limited', retryable: true });
		expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(3);
	});

	it('maps PriorRequestNotComplete to transient and AccessDenied to auth (not retried)', async () => {
		route53.on(ChangeResourceRecordSetsCommand).rejects(awsError('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request.'));
		expect(await failure(provider().upsert({ zone: 'example.com', name: 'a.example.com', type: 'A', content: '203.0.113.10' }))).toMatchObject({ kind: 'transient' });

		route53.reset();
		route53.on(ListHostedZonesByNameCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: route53:ListHostedZonesByName', 403));
		expect(await failure(provider().listZones())).toMatchObject({ kind: 'auth', retryable: false });
		expect(route53.commandCalls(ListHostedZonesByNameCommand)).toHaveLength(1);
	});

	it('never lets the secret access key into an error', async () => {
		route53.on(ListHostedZonesByNameCommand).rejects(awsError('InvalidInput', `The request signature we calculated does not match; key ${SECRET}`));
		const error = await failure(provider().listZones());
		expect(error.kind).toBe('validation');
		expect(error.message).not.toContain(SECRET);
		expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
		expect(error.cause).toBeUndefined();
	});
});

describe('Route 53 zones', () => {
	it('lists every page of hosted zones for a picker, filtered by a search', async () => {
		route53
			.on(ListHostedZonesByNameCommand)
			.resolvesOnce({ HostedZones: [ZONE], IsTruncated: true, NextDNSName: 'example.net.', NextHostedZoneId: 'Z2', MaxItems: 100 })
			.resolves({ HostedZones: [{ ...ZONE, Id: '/hostedzone/Z2', Name: 'example.net.', Config: { PrivateZone: true } }], IsTruncated: false, MaxItems: 100 });
		const dns = provider();
		expect(await dns.listZones()).toEqual([
			{ id: 'Z0EXAMPLE1', name: 'example.com', private: false },
			{ id: 'Z2', name: 'example.net', private: true },
		]);
		expect(route53.commandCalls(ListHostedZonesByNameCommand)[1].args[0].input).toMatchObject({ DNSName: 'example.net.', HostedZoneId: 'Z2' });
		expect(await dns.listZones('.NET')).toEqual([{ id: 'Z2', name: 'example.net', private: true }]);
	});
});
