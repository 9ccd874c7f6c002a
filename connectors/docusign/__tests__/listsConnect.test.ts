import nock from 'nock';
import { ConnectorError } from '../../core';
import { connectConfiguration } from '..';
import { docusignError, makeClient, mockAuth, reply, resetAll, REST, rest, T0, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
beforeEach(() => mockAuth());
afterEach(resetAll);
afterAll(() => nock.enableNetConnect());

const catchError = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ConnectorError);

describe('listTemplates', () => {
	it('searches by name and pages with start_position as the cursor', async () => {
		const calls: Captured[] = [];
		rest()
			.get(`${REST}/templates`)
			.query(true)
			.reply(reply(calls, 200, { envelopeTemplates: [{ templateId: 't1', name: 'Order Form' }, { templateId: 't2', name: 'Order Form EU' }], resultSetSize: '2', startPosition: '0', endPosition: '1', totalSetSize: '3' }))
			.get(`${REST}/templates`)
			.query(true)
			.reply(reply(calls, 200, { envelopeTemplates: [{ templateId: 't3', name: 'Order Form US' }], resultSetSize: '1', startPosition: '2', endPosition: '2', totalSetSize: '3' }));
		const client = makeClient().client;
		const first = await client.listTemplates({ query: 'Order', limit: 2 });
		expect(first).toEqual({ items: [{ id: 't1', name: 'Order Form' }, { id: 't2', name: 'Order Form EU' }], nextCursor: '2' });
		expect(calls[0].query.get('search_text')).toBe('Order');
		expect(calls[0].query.get('count')).toBe('2');
		expect(calls[0].query.get('start_position')).toBe('0');
		const second = await client.listTemplates({ query: 'Order', limit: 2, cursor: first.nextCursor });
		expect(second).toEqual({ items: [{ id: 't3', name: 'Order Form US' }] });
		expect(calls[1].query.get('start_position')).toBe('2');
	});

	it('handles an empty account, and pages by nextUri when no total is given', async () => {
		rest()
			.get(`${REST}/templates`)
			.query(true)
			.reply(200, {})
			.get(`${REST}/templates`)
			.query(true)
			.reply(200, { envelopeTemplates: [{ templateId: 't1', name: 'A' }], nextUri: '/templates?start_position=1' });
		const client = makeClient().client;
		expect(await client.listTemplates()).toEqual({ items: [] });
		expect(await client.listTemplates({})).toEqual({ items: [{ id: 't1', name: 'A' }], nextCursor: '1' });
	});

	it('validates limit and cursor before any request', async () => {
		resetAll();
		const client = makeClient().client;
		expect(await catchError(client.listTemplates({ limit: 0 }))).toMatchObject({ kind: 'validation', field: 'search.limit' });
		expect(await catchError(client.listTemplates({ cursor: 'abc' }))).toMatchObject({ kind: 'validation', field: 'search.cursor' });
	});
});

describe('listEnvelopes', () => {
	it('defaults from_date to 30 days ago and maps summaries', async () => {
		const calls: Captured[] = [];
		rest()
			.get(`${REST}/envelopes`)
			.query(true)
			.reply(reply(calls, 200, { envelopes: [{ envelopeId: 'e1', status: 'sent', statusChangedDateTime: '2026-02-28T00:00:00Z', envelopeUri: '/envelopes/e1' }, { status: 'orphan' }], resultSetSize: '2', totalSetSize: '2', startPosition: '0' }));
		const page = await makeClient().client.listEnvelopes({ query: 'Acme' });
		expect(page).toEqual({ items: [{ envelopeId: 'e1', status: 'sent', statusDateTime: '2026-02-28T00:00:00Z', uri: '/envelopes/e1' }] });
		expect(Date.parse(calls[0].query.get('from_date') as string)).toBe(T0 - 30 * 86_400_000);
		expect(calls[0].query.get('search_text')).toBe('Acme');
		expect(calls[0].query.get('count')).toBe('50');
		expect(calls[0].query.get('order_by')).toBe('created');
		expect(calls[0].query.get('order')).toBe('desc');
	});

	it('passes fromDate and cursor through and returns the next cursor', async () => {
		const calls: Captured[] = [];
		rest()
			.get(`${REST}/envelopes`)
			.query(true)
			.reply(reply(calls, 200, { envelopes: [{ envelopeId: 'e11', status: 'completed' }], resultSetSize: '1', totalSetSize: '30', startPosition: '10' }));
		const page = await makeClient().client.listEnvelopes({ fromDate: '2026-01-01', cursor: '10', limit: 1 });
		expect(page.nextCursor).toBe('11');
		expect(calls[0].query.get('from_date')).toBe('2026-01-01');
		expect(calls[0].query.get('start_position')).toBe('10');
	});

	it('rejects a malformed fromDate before any request', async () => {
		resetAll();
		expect(await catchError(makeClient().client.listEnvelopes({ fromDate: 'last week' }))).toMatchObject({ kind: 'validation', field: 'search.fromDate' });
	});
});

describe('Connect configurations', () => {
	const url = 'https://n8n.acme.test/webhook/abc/docusign';

	it('registers a custom JSON SIM configuration with HMAC and acknowledgement', async () => {
		const calls: Captured[] = [];
		rest().post(`${REST}/connect`).reply(reply(calls, 201, { connectId: '9001', urlToPublishTo: url }));
		const result = await makeClient().client.createConnectConfig({ name: 'n8n q2c', url, events: ['envelope-completed', 'envelope-declined'] });
		expect(result).toEqual({ connectId: '9001' });
		expect(calls[0].body).toEqual({
			configurationType: 'custom',
			name: 'n8n q2c',
			urlToPublishTo: url,
			allUsers: 'true',
			allowEnvelopePublish: 'true',
			includeHMAC: 'true',
			deliveryMode: 'SIM',
			requiresAcknowledgement: 'true',
			eventData: { version: 'restv2.1', format: 'json', includeData: ['custom_fields', 'recipients'] },
			events: ['envelope-completed', 'envelope-declined'],
		});
		expect((connectConfiguration({ name: 'x', url, events: ['envelope-sent'] }) as { events?: string[] }).events).toEqual(['envelope-sent']);
	});

	it('after a failed POST looks the URL up before registering again', async () => {
		const calls: Captured[] = [];
		rest()
			.post(`${REST}/connect`)
			.reply(reply(calls, 502, 'bad gateway'))
			.get(`${REST}/connect`)
			.reply(reply(calls, 200, { configurations: [{ connectId: '9002', urlToPublishTo: `${url}/`, events: ['envelope-completed'] }] }));
		expect(await makeClient().client.createConnectConfig({ name: 'n', url, events: ['envelope-completed'] })).toEqual({ connectId: '9002' });
		expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
	});

	it('fails when DocuSign returns no connectId, and validates input first', async () => {
		rest().post(`${REST}/connect`).reply(201, {});
		const client = makeClient().client;
		expect(await catchError(client.createConnectConfig({ name: 'n', url, events: ['envelope-completed'] }))).toMatchObject({ kind: 'permanent' });
		expect(await catchError(client.createConnectConfig({ name: 'n', url: 'ftp://x', events: ['envelope-completed'] }))).toMatchObject({ field: 'connect.url' });
		expect(await catchError(client.createConnectConfig({ name: 'n', url, events: [] }))).toMatchObject({ field: 'connect.events' });
		expect(await catchError(client.createConnectConfig({ name: 'n', url, events: ['envelope-signed' as never] }))).toMatchObject({ field: 'connect.events.0' });
	});

	it('finds a configuration by id or by url', async () => {
		rest()
			.persist()
			.get(`${REST}/connect`)
			.reply(200, {
				configurations: [
					{ connectId: '1', urlToPublishTo: 'https://other.test/hook', events: ['envelope-sent'] },
					{ connectId: '2', urlToPublishTo: url, envelopeEvents: ['Completed'] },
					{ connectId: '3', urlToPublishTo: 'https://third.test' },
				],
				totalRecords: '3',
			});
		const client = makeClient().client;
		expect(await client.findConnectConfig({ url })).toEqual({ connectId: '2', url, events: ['Completed'] });
		expect(await client.findConnectConfig({ connectId: '1' })).toEqual({ connectId: '1', url: 'https://other.test/hook', events: ['envelope-sent'] });
		expect(await client.findConnectConfig({ connectId: '3' })).toEqual({ connectId: '3', url: 'https://third.test', events: [] });
		expect(await client.findConnectConfig({ connectId: '1', url })).toBeUndefined();
		expect(await client.findConnectConfig({ url: 'https://nowhere.test' })).toBeUndefined();
		expect(await catchError(client.findConnectConfig({}))).toMatchObject({ kind: 'validation' });
	});

	it('deletes, and treats an id already gone as deleted:false', async () => {
		const calls: Captured[] = [];
		rest()
			.delete(`${REST}/connect/9001`)
			.reply(reply(calls, 200, {}))
			.delete(`${REST}/connect/9001`)
			.reply(reply(calls, 404, docusignError('CONNECT_CONFIG_NOT_FOUND')))
			.delete(`${REST}/connect/9001`)
			.reply(reply(calls, 400, docusignError('INVALID_REQUEST_PARAMETER', 'Invalid connect id')))
			.get(`${REST}/connect`)
			.reply(reply(calls, 200, { configurations: [] }));
		const client = makeClient().client;
		expect(await client.deleteConnectConfig('9001')).toEqual({ deleted: true });
		expect(await client.deleteConnectConfig('9001')).toEqual({ deleted: false });
		expect(await client.deleteConnectConfig('9001')).toEqual({ deleted: false });
		expect(calls.map((c) => c.method)).toEqual(['DELETE', 'DELETE', 'DELETE', 'GET']);
	});

	it('reports a delete refused for another reason', async () => {
		rest()
			.delete(`${REST}/connect/9001`)
			.reply(400, docusignError('INVALID_REQUEST_PARAMETER'))
			.get(`${REST}/connect`)
			.reply(200, { configurations: [{ connectId: '9001', urlToPublishTo: 'https://x.test' }] })
			.delete(`${REST}/connect/9002`)
			.reply(403, docusignError('USER_LACKS_PERMISSIONS'));
		const client = makeClient().client;
		expect(await catchError(client.deleteConnectConfig('9001'))).toMatchObject({ kind: 'validation' });
		expect(await catchError(client.deleteConnectConfig('9002'))).toMatchObject({ kind: 'auth', code: 'USER_LACKS_PERMISSIONS' });
		expect(await catchError(client.deleteConnectConfig('../x'))).toMatchObject({ kind: 'validation', field: 'connectId' });
	});
});
