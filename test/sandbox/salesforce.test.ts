import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Connection } from 'jsforce';
import { parseStringPromise, processors } from 'xml2js';

const { createSalesforceFake } = require('../../sandbox/salesforce');

/** The Salesforce fake answers the real jsforce client as Salesforce would. */
describe('Salesforce sandbox fake', () => {
	let fake: any;
	let cred: any;

	const connect = (extra: Record<string, unknown> = {}) =>
		new Connection({
			oauth2: { clientId: cred.clientId, clientSecret: cred.clientSecret, loginUrl: cred.loginUrl },
			instanceUrl: cred.instanceUrl,
			refreshToken: cred.refreshToken,
			version: cred.apiVersion,
			...extra,
		});
	const token = async () => {
		const response = await fetch(`${cred.loginUrl}/services/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', client_id: cred.clientId, client_secret: cred.clientSecret, refresh_token: cred.refreshToken }),
		});
		return (await response.json()) as any;
	};
	const api = async (path: string, init: RequestInit = {}) => {
		const { access_token } = await token();
		return fetch(`${cred.instanceUrl}/services/data/v62.0${path}`, { ...init, headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json', ...(init.headers || {}) } });
	};

	beforeAll(async () => {
		fake = createSalesforceFake();
		await fake.listen();
	});
	afterAll(async () => {
		await fake.close();
	});
	beforeEach(() => {
		fake.reset();
		cred = fake.credentials().salesforceCrmApi;
	});

	it('hands out custom-environment credentials for salesforceCrmApi', () => {
		expect(cred).toMatchObject({ authentication: 'refreshToken', environment: 'custom', loginUrl: fake.url, instanceUrl: fake.url, apiVersion: '62.0', organizationId: fake.orgId });
		expect(cred.organizationId).toMatch(/^00D[A-Za-z0-9]{15}$/);
		expect(cred.outboundMessageToken).toEqual(expect.any(String));
		expect(fake.jwtCredentials().salesforceCrmApi).toMatchObject({ authentication: 'jwtBearer', username: 'integration@q2c-sandbox.example', privateKey: expect.stringContaining('PRIVATE KEY') });
	});

	it('refreshes through OAuth when jsforce has no session, then queries', async () => {
		const conn = connect();
		const refreshed = jest.fn();
		conn.on('refresh', refreshed);
		const opp = fake.seedOpportunity({ Name: 'Acme renewal', Amount: 1200.5 });
		const result = await conn.query<any>(`SELECT Id, Name, Amount, Account.Name FROM Opportunity WHERE Id = '${opp.Id.slice(0, 15)}'`);
		expect(refreshed).toHaveBeenCalledTimes(1);
		expect(result).toMatchObject({ totalSize: 1, done: true });
		expect(result.records[0]).toEqual({
			attributes: { type: 'Opportunity', url: `/services/data/v62.0/sobjects/Opportunity/${opp.Id}` },
			Id: opp.Id,
			Name: 'Acme renewal',
			Amount: 1200.5,
			Account: { attributes: { type: 'Account', url: expect.stringContaining(opp.AccountId) }, Name: expect.stringMatching(/^Acme/) },
		});
		expect(opp.Id).toMatch(/^006[A-Za-z0-9]{15}$/);
	});

	it('answers bad grants with invalid_grant / invalid_client_id', async () => {
		const post = (body: Record<string, string>) =>
			fetch(`${cred.loginUrl}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
		const bad = await post({ grant_type: 'refresh_token', client_id: cred.clientId, client_secret: cred.clientSecret, refresh_token: 'nope' });
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
		const client = await post({ grant_type: 'refresh_token', client_id: 'other', refresh_token: cred.refreshToken });
		expect(await client.json()).toMatchObject({ error: 'invalid_client_id' });
		const secret = await post({ grant_type: 'refresh_token', client_id: cred.clientId, client_secret: 'wrong', refresh_token: cred.refreshToken });
		expect(await secret.json()).toMatchObject({ error: 'invalid_client' });
		const grant = await post({ grant_type: 'password' });
		expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
	});

	describe('JWT bearer', () => {
		const assertion = (claims: Record<string, unknown>, key?: string) => {
			const jwt = fake.jwtCredentials().salesforceCrmApi;
			const head = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
			const body = Buffer.from(JSON.stringify({ iss: jwt.clientId, sub: jwt.username, aud: jwt.loginUrl, exp: Math.floor(Date.now() / 1000) + 180, ...claims })).toString('base64url');
			const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key || jwt.privateKey).toString('base64url');
			return `${head}.${body}.${signature}`;
		};
		const grant = (jwt: string) =>
			fetch(`${cred.loginUrl}/services/oauth2/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
			});

		it('issues a token for a valid assertion that jsforce can use', async () => {
			const response = await grant(assertion({}));
			expect(response.status).toBe(200);
			const body = (await response.json()) as any;
			expect(body).toMatchObject({ instance_url: fake.url, token_type: 'Bearer', id: `${fake.url}/id/${fake.orgId}/${fake.apiUser().Id}` });
			const conn = new Connection({ instanceUrl: body.instance_url, accessToken: body.access_token, version: '62.0' });
			const identity = await conn.identity();
			expect(identity).toMatchObject({ user_id: fake.apiUser().Id, organization_id: fake.orgId, username: 'integration@q2c-sandbox.example' });
		});

		it('rejects forged, mis-addressed, expired and unknown-user assertions', async () => {
			const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
			const cases = [
				assertion({}, other),
				assertion({ aud: 'https://login.salesforce.com' }),
				assertion({ exp: Math.floor(Date.now() / 1000) - 10 }),
				assertion({ sub: 'nobody@example.com' }),
				'not.a.jwt',
			];
			for (const jwt of cases) {
				const response = await grant(jwt);
				expect(response.status).toBe(400);
				expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
			}
			const wrongClient = await grant(assertion({ iss: 'someone-else' }));
			expect(await wrongClient.json()).toMatchObject({ error: 'invalid_client_id' });
		});
	});

	it('serves userinfo and the versions list, and refuses bad tokens', async () => {
		const { access_token } = await token();
		const info = await fetch(`${cred.loginUrl}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${access_token}` } });
		expect(await info.json()).toMatchObject({ user_id: fake.apiUser().Id, organization_id: fake.orgId, email: 'integration@q2c-sandbox.example' });
		const bad = await fetch(`${cred.loginUrl}/services/oauth2/userinfo`, { headers: { Authorization: 'Bearer nope' } });
		expect(bad.status).toBe(403);
		const versions = (await (await fetch(`${cred.instanceUrl}/services/data/`)).json()) as any[];
		expect(versions).toContainEqual({ label: 'v62.0', url: '/services/data/v62.0', version: '62.0' });
	});

	describe('SOQL', () => {
		let conn: Connection;
		let won: any;
		let lost: any;
		let open: any;
		beforeEach(() => {
			conn = connect();
			const account = fake.seedAccount({ Name: "O'Brien \\ Sons", Website: 'https://www.obrien.example' });
			fake.seedAccount({ Name: '100% Pure_Co', Website: 'pure.example' });
			fake.seedAccount({ Name: '100X PureXCo', Website: 'purex.example' });
			won = fake.seedOpportunity({ Name: 'Won deal', AccountId: account.Id, Amount: 5000 });
			fake.winOpportunity(won.Id, { at: '2026-03-01T10:00:00Z' });
			lost = fake.seedOpportunity({ Name: 'Lost deal', AccountId: account.Id, Amount: 100, StageName: 'Closed Lost' });
			open = fake.seedOpportunity({ Name: 'Open deal', Amount: 9000 });
		});

		it('escapes quotes and backslashes in string literals', async () => {
			const result = await conn.query<any>("SELECT Id, Name FROM Account WHERE Name = 'O\\'Brien \\\\ Sons'");
			expect(result.records.map((r) => r.Name)).toEqual(["O'Brien \\ Sons"]);
		});

		it('treats % and _ as LIKE wildcards unless escaped', async () => {
			const wild = await conn.query<any>("SELECT Name FROM Account WHERE Name LIKE '100_ Pure_Co' ORDER BY Name");
			expect(wild.records.map((r) => r.Name)).toEqual(['100% Pure_Co', '100X PureXCo']);
			const escaped = await conn.query<any>("SELECT Name FROM Account WHERE Name LIKE '100\\% Pure\\_Co'");
			expect(escaped.records.map((r) => r.Name)).toEqual(['100% Pure_Co']);
			const contains = await conn.query<any>("SELECT Website FROM Account WHERE Website LIKE '%obrien.example%'");
			expect(contains.records.map((r) => r.Website)).toEqual(['https://www.obrien.example']);
		});

		it('filters on booleans, datetimes, IN, OR in parentheses and orders with LIMIT / OFFSET', async () => {
			const since = await conn.query<any>('SELECT Id, IsWon, SystemModstamp FROM Opportunity WHERE IsWon = true AND SystemModstamp >= 2026-03-01T10:00:00Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 10');
			expect(since.records.map((r) => r.Id)).toEqual([won.Id]);
			expect(since.records[0].SystemModstamp).toBe('2026-03-01T10:00:00.000+0000');
			const later = await conn.query<any>('SELECT Id FROM Opportunity WHERE IsWon = true AND SystemModstamp > 2026-03-01T10:00:00Z');
			expect(later.totalSize).toBe(0);
			const mixed = await conn.query<any>(`SELECT Id FROM Opportunity WHERE (StageName IN ('Closed Won', 'Closed Lost') OR Amount > 8000) AND Id != '${lost.Id}' ORDER BY Amount DESC`);
			expect(mixed.records.map((r) => r.Id)).toEqual([open.Id, won.Id]);
			const paged = await conn.query<any>('SELECT Name FROM Opportunity ORDER BY Amount ASC LIMIT 1 OFFSET 1');
			expect(paged.records.map((r) => r.Name)).toEqual(['Won deal']);
			const count = await conn.query('SELECT COUNT() FROM Opportunity WHERE IsClosed = true');
			expect(count.totalSize).toBe(2);
		});

		it('answers malformed queries and wrong literal types as Salesforce does', async () => {
			await expect(conn.query("SELECT Id FROM Opportunity WHERE IsWon = true AND Amount > 1 OR Name = 'x'")).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
			await expect(conn.query("SELECT Id FROM Opportunity WHERE Name = 'unterminated")).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
			await expect(conn.query("SELECT Id FROM Opportunity WHERE IsWon = 'true'")).rejects.toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining('boolean') });
			await expect(conn.query("SELECT Id FROM Opportunity WHERE SystemModstamp >= '2026-01-01T00:00:00Z'")).rejects.toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining('dateTime') });
			await expect(conn.query('SELECT Bogus FROM Opportunity')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
			await expect(conn.query('SELECT Id FROM Widget')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
		});

		it('pages big results with nextRecordsUrl (queryMore)', async () => {
			for (let i = 0; i < 205; i++) fake.seedUser({ LastName: `Bulk ${String(i).padStart(3, '0')}` });
			const first = await conn.query<any>("SELECT Id, Name FROM User WHERE LastName LIKE 'Bulk%' ORDER BY Name", { headers: { 'Sforce-Query-Options': 'batchSize=200' } } as any);
			expect(first).toMatchObject({ totalSize: 205, done: false });
			expect(first.records).toHaveLength(200);
			const more = await conn.queryMore<any>(first.nextRecordsUrl as string);
			expect(more).toMatchObject({ done: true });
			expect(more.records.map((r) => r.Name)).toEqual(['Sales Bulk 200', 'Sales Bulk 201', 'Sales Bulk 202', 'Sales Bulk 203', 'Sales Bulk 204']);
		});
	});

	describe('sObjects', () => {
		let conn: Connection;
		beforeEach(() => {
			conn = connect();
		});

		it('retrieves and updates an Opportunity, bumping SystemModstamp and deriving IsWon', async () => {
			const opp = fake.seedOpportunity({ Subscription_Id__c: null });
			const before: any = await conn.sobject('Opportunity').retrieve(opp.Id);
			expect(before).toMatchObject({ Id: opp.Id, StageName: 'Negotiation/Review', IsWon: false, CurrencyIsoCode: 'USD', Subscription_Id__c: null });
			const owner = fake.seedUser();
			const saved = await conn.sobject('Opportunity').update({ Id: opp.Id, StageName: 'Closed Won', OwnerId: owner.Id, Subscription_Id__c: 'sub_123' });
			expect(saved).toEqual({ id: opp.Id, success: true, errors: [] });
			const after: any = await conn.sobject('Opportunity').retrieve(opp.Id, { fields: ['StageName', 'IsWon', 'IsClosed', 'OwnerId', 'Subscription_Id__c', 'SystemModstamp'] } as any);
			expect(after).toMatchObject({ StageName: 'Closed Won', IsWon: true, IsClosed: true, OwnerId: owner.Id, Subscription_Id__c: 'sub_123' });
			expect(Date.parse(after.SystemModstamp.replace('+0000', 'Z'))).toBeGreaterThan(Date.parse(before.SystemModstamp.replace('+0000', 'Z')));
			expect(Object.keys(after)).not.toContain('Name');
		});

		it('answers unknown ids, unknown fields, read-only fields and bad picklist values with Salesforce errors', async () => {
			const opp = fake.seedOpportunity();
			await expect(conn.sobject('Opportunity').retrieve('006Dn000000ZZZZIAQ')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
			const account = await conn.sobject('Account').retrieve(opp.AccountId);
			expect(account).toMatchObject({ Id: opp.AccountId, Website: expect.stringContaining('acme') });
			await expect(conn.sobject('Opportunity').update({ Id: opp.Id, Colour__c: 'red' })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
			await expect(conn.sobject('Opportunity').update({ Id: opp.Id, IsWon: true })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
			await expect(conn.sobject('Opportunity').update({ Id: opp.Id, StageName: 'Signed' })).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
			await expect(conn.sobject('Opportunity').update({ Id: opp.Id, OwnerId: '005Dn000009ZZZZIAQ' })).rejects.toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
			fake.addValidationRule({ object: 'Opportunity', field: 'Amount', message: 'Amount must be positive', when: (r: any) => r.Amount <= 0 });
			await expect(conn.sobject('Opportunity').update({ Id: opp.Id, Amount: -1 })).rejects.toMatchObject({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Amount must be positive' });
		});

		it('creates a Task on an Opportunity and finds it by WhatId + Subject', async () => {
			const opp = fake.seedOpportunity();
			const created = await conn.sobject('Task').create({ WhatId: opp.Id, Subject: 'Kick-off [q2c:ab12]', ActivityDate: '2026-12-01', Status: 'Not Started' });
			expect(created).toMatchObject({ success: true, errors: [] });
			expect(created.id).toMatch(/^00T/);
			const found = await conn.query<any>(`SELECT Id, Subject, OwnerId, Status FROM Task WHERE WhatId = '${opp.Id}' AND Subject = 'Kick-off [q2c:ab12]'`);
			expect(found.records).toEqual([expect.objectContaining({ Id: created.id, OwnerId: fake.apiUser().Id, Status: 'Not Started' })]);
			await expect(conn.sobject('Task').create({ WhatId: '006Dn000000ZZZZIAQ', Subject: 'x' })).rejects.toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
		});

		it('updates many records with sObject Collections, per record or all-or-none', async () => {
			const a = fake.seedOpportunity();
			const b = fake.seedOpportunity();
			const results = await conn.sobject('Opportunity').update([
				{ Id: a.Id, StageName: 'Closed Won' },
				{ Id: b.Id, StageName: 'Nope' },
			]);
			expect(results[0]).toEqual({ id: a.Id, success: true, errors: [] });
			expect(results[1]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' })] });
			const collectionCall = fake.requests().find((r: any) => r.path === '/services/data/v62.0/composite/sobjects');
			expect(collectionCall).toMatchObject({ method: 'PATCH', body: { allOrNone: false, records: [expect.objectContaining({ attributes: { type: 'Opportunity' } }), expect.anything()] } });
			const rolled = await conn.sobject('Opportunity').update([{ Id: b.Id, Amount: 1 }, { Id: a.Id, Amount: 'lots' }], { allOrNone: true } as any);
			expect(rolled).toEqual([
				{ success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] },
				{ success: false, errors: [expect.objectContaining({ statusCode: 'JSON_PARSER_ERROR' })] },
			]);
			const stored: any = await conn.sobject('Opportunity').retrieve(b.Id);
			expect(stored.Amount).toBe(64900);
		});

		it('refuses more than 200 records in one collection call', async () => {
			const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Opportunity' }, id: `006Dn0000000${String(i).padStart(3, '0')}AAA` }));
			const response = await api('/composite/sobjects', { method: 'PATCH', body: JSON.stringify({ allOrNone: false, records }) });
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual([expect.objectContaining({ errorCode: 'EXCEEDED_ID_LIMIT' })]);
		});
	});

	it('reports Sforce-Limit-Info and refuses calls past the daily limit', async () => {
		const conn = connect();
		await conn.query('SELECT Id FROM Opportunity');
		expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 100000 } });
		fake.setApiUsage(4, 5);
		await conn.query('SELECT Id FROM Opportunity');
		expect(conn.limitInfo).toEqual({ apiUsage: { used: 5, limit: 5 } });
		await expect(conn.query('SELECT Id FROM Opportunity')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
		fake.reset();
		const small = createSalesforceFake({ dailyApiLimit: 1 });
		await small.listen();
		try {
			const c = small.credentials().salesforceCrmApi;
			const sconn = new Connection({ oauth2: { clientId: c.clientId, clientSecret: c.clientSecret, loginUrl: c.loginUrl }, instanceUrl: c.instanceUrl, refreshToken: c.refreshToken, version: '62.0' });
			await sconn.query('SELECT Id FROM Account');
			await expect(sconn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
			expect(small.state().apiUsage).toEqual({ used: 1, max: 1 });
		} finally {
			await small.close();
		}
	});

	it('expires sessions on demand: 401 INVALID_SESSION_ID, then jsforce refreshes and retries', async () => {
		const conn = connect();
		await conn.query('SELECT Id FROM Opportunity');
		const firstToken = conn.accessToken;
		fake.expireSessions();
		const raw = await fetch(`${cred.instanceUrl}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${firstToken}` } });
		expect(raw.status).toBe(401);
		expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
		const refreshed = jest.fn();
		conn.on('refresh', refreshed);
		const opp = fake.seedOpportunity();
		const again: any = await conn.sobject('Opportunity').retrieve(opp.Id);
		expect(again.Id).toBe(opp.Id);
		expect(refreshed).toHaveBeenCalledTimes(1);
		expect(conn.accessToken).not.toBe(firstToken);
	});

	it('shapes injected faults like Salesforce errors', async () => {
		fake.app.addFaults({ route: 'GET /services/data/{version}/query', times: 1, fault: { status: 503 } });
		const response = await api(`/query?q=${encodeURIComponent('SELECT Id FROM Account')}`);
		expect(response.status).toBe(503);
		expect(await response.json()).toEqual([expect.objectContaining({ errorCode: 'SERVER_UNAVAILABLE' })]);
	});

	describe('outbound messages', () => {
		let receiver: http.Server;
		let receiverUrl: string;
		let received: { url: string; headers: http.IncomingHttpHeaders; body: string }[];
		let answer: { status: number; body: string };
		const ACK =
			'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

		beforeAll(async () => {
			receiver = http.createServer((req, res) => {
				let body = '';
				req.on('data', (c) => (body += c));
				req.on('end', () => {
					received.push({ url: req.url || '', headers: req.headers, body });
					res.writeHead(answer.status, { 'Content-Type': 'text/xml' });
					res.end(answer.body);
				});
			});
			await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
			receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/om`;
		});
		afterAll(() => new Promise((resolve) => receiver.close(resolve)));
		beforeEach(() => {
			received = [];
			answer = { status: 200, body: ACK };
		});

		it('posts the notifications envelope with the token and reports the ack', async () => {
			const a = fake.seedOpportunity({ Name: 'R&D <deal>' });
			fake.winOpportunity(a.Id);
			const b = fake.seedOpportunity();
			const result = await fake.deliverOutboundMessage(receiverUrl, [a.Id, b.Id], { notificationIds: ['04l000000000001AAA', '04l000000000002AAA'] });
			expect(result).toMatchObject({ status: 200, acked: true });
			expect(received).toHaveLength(1);
			expect(received[0].url).toBe(`/om?token=${encodeURIComponent(cred.outboundMessageToken)}`);
			expect(received[0].headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(received[0].headers.soapaction).toBe('""');
			const xml = await parseStringPromise(received[0].body, { explicitArray: false, tagNameProcessors: [processors.stripPrefix] });
			const notifications = xml.Envelope.Body.notifications;
			expect(notifications.OrganizationId).toBe(fake.orgId);
			expect(notifications.EnterpriseUrl).toBe(`${fake.url}/services/Soap/c/62.0/${fake.orgId.slice(0, 15)}`);
			expect(notifications.Notification.map((n: any) => n.Id)).toEqual(['04l000000000001AAA', '04l000000000002AAA']);
			const first = notifications.Notification[0].sObject;
			expect(first.$['xsi:type']).toBe('sf:Opportunity');
			expect(first).toMatchObject({ Id: a.Id, Name: 'R&D <deal>', StageName: 'Closed Won', IsWon: 'true' });
			expect(fake.state().outboundMessages).toEqual([expect.objectContaining({ acked: true, oppIds: [a.Id, b.Id] })]);
		});

		it('sends without a token when told, with another org id, and sees a missing ack', async () => {
			const opp = fake.seedOpportunity();
			answer = { status: 500, body: '<soapenv:Envelope><soapenv:Body><soapenv:Fault><faultstring>nope</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>' };
			const result = await fake.deliverOutboundMessage(receiverUrl, [opp.Id], { token: null, orgId: '00D000000000000AAA' });
			expect(result).toMatchObject({ status: 500, acked: false });
			expect(received[0].url).toBe('/om');
			expect(received[0].body).toContain('<OrganizationId>00D000000000000AAA</OrganizationId>');
			answer = { status: 200, body: ACK.replace('<Ack>true</Ack>', '<Ack>false</Ack>') };
			expect((await fake.deliverOutboundMessage(receiverUrl, [opp.Id])).acked).toBe(false);
			answer = { status: 200, body: 'ok' };
			expect((await fake.deliverOutboundMessage(receiverUrl, [opp.Id], { token: 'custom' })).acked).toBe(false);
			expect(received[2].url).toBe('/om?token=custom');
		});

		it('builds the message without sending it', () => {
			const opp = fake.seedOpportunity();
			const message = fake.outboundMessage([opp.Id], { token: 't 1' });
			expect(message.query).toBe('token=t%201');
			expect(message.rawBody).toContain(`<sf:Id>${opp.Id}</sf:Id>`);
			expect(message.rawBody).toContain('<SessionId xsi:nil="true"/>');
			expect(() => fake.outboundMessage(['006Dn000000ZZZZIAQ'])).toThrow(/No record/);
		});
	});

	it('describes objects, creates through collections and exposes admin helpers over HTTP', async () => {
		const describe = (await (await api('/sobjects/Opportunity/describe')).json()) as any;
		expect(describe.keyPrefix).toBe('006');
		expect(describe.fields.find((f: any) => f.name === 'StageName').picklistValues.map((p: any) => p.value)).toContain('Closed Won');
		const created = await connect().sobject('Account').create([{ Name: 'Initech' }, { Website: 'no-name.example' }]);
		expect(created[0]).toMatchObject({ success: true });
		expect(created[1]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })] });
		const admin = (path: string, body: unknown) => fetch(`${fake.url}/__sandbox/salesforce/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as any);
		const opp = await admin('seed', { object: 'Opportunity', fields: { Name: 'Via HTTP' } });
		expect((await admin('win', { id: opp.Id, at: '2026-02-02T00:00:00Z' })).SystemModstamp).toBe('2026-02-02T00:00:00.000+0000');
		expect((await admin('stage', { id: opp.Id, stage: 'Closed Lost' })).IsWon).toBe(false);
		expect(await admin('expire-sessions', {})).toEqual({ expired: true });
		expect((await admin('seed', { object: 'Widget' })).error).toEqual(expect.any(String));
	});

	it('keeps credentials valid across reset but clears records', async () => {
		fake.seedOpportunity();
		const conn = connect();
		expect((await conn.query('SELECT Id FROM Opportunity')).totalSize).toBe(1);
		fake.reset();
		expect((await conn.query('SELECT Id FROM Opportunity')).totalSize).toBe(0);
		expect(fake.state().records.User).toHaveLength(1);
	});
});
