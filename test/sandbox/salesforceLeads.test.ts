import { Connection } from 'jsforce';

const { createSalesforceFake } = require('../../sandbox/salesforce');

/** The Salesforce fake's Lead sObject answers the real jsforce client as Salesforce would. */
describe('Salesforce sandbox fake: leads', () => {
	let fake: any;
	let cred: any;
	const connect = () =>
		new Connection({
			oauth2: { clientId: cred.clientId, clientSecret: cred.clientSecret, loginUrl: cred.loginUrl },
			instanceUrl: cred.instanceUrl,
			refreshToken: cred.refreshToken,
			version: cred.apiVersion,
		});
	const admin = (path: string, body: unknown) =>
		fetch(`${fake.url}/__sandbox/salesforce/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

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

	it('creates, reads, patches and queries leads by Email (case-insensitive), with Name and Status derived', async () => {
		const conn = connect();
		const created: any = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'Prospect Ltd', Email: 'Ada@Prospect.example', LeadSource: 'Web' });
		expect(created).toMatchObject({ success: true, id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/) });
		const read: any = await conn.sobject('Lead').retrieve(created.id);
		expect(read).toMatchObject({ Name: 'Ada Lovelace', Status: 'Open - Not Contacted', IsConverted: false, OwnerId: fake.apiUser().Id, LastActivityDate: null });

		const rep = fake.seedUser();
		await conn.sobject('Lead').update({ Id: created.id, OwnerId: rep.Id, Status: 'Working - Contacted' });
		const found = await conn.query<any>(`SELECT Id, OwnerId, Status, LastActivityDate FROM Lead WHERE Email = 'ada@prospect.example' ORDER BY CreatedDate ASC LIMIT 1`);
		expect(found.records).toEqual([expect.objectContaining({ Id: created.id, OwnerId: rep.Id, Status: 'Working - Contacted' })]);
		expect((await conn.query(`SELECT Id FROM Lead WHERE Email = 'nobody@prospect.example'`)).totalSize).toBe(0);
		const described: any = await conn.sobject('Lead').describe();
		expect(described.fields.find((f: any) => f.name === 'Status').picklistValues.map((p: any) => p.value)).toContain('Closed - Converted');
	});

	it('applies the write rules: LastName and Company required, read-only fields refused, owner must be a user', async () => {
		const conn = connect();
		await expect(conn.sobject('Lead').create({ Email: 'x@y.example', LastName: 'X' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
		const lead = fake.seedLead();
		await expect(conn.sobject('Lead').update({ Id: lead.Id, LastActivityDate: '2026-01-01' } as any)).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
		await expect(conn.sobject('Lead').update({ Id: lead.Id, OwnerId: fake.seedAccount().Id })).rejects.toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
	});

	it('moves a lead\'s LastActivityDate when a task on it is completed (never backwards, not for open tasks)', async () => {
		const conn = connect();
		const lead = fake.seedLead();
		const open: any = await conn.sobject('Task').create({ WhoId: lead.Id, Subject: 'Call', ActivityDate: '2026-05-02' });
		expect(fake.state().records.Lead[0].LastActivityDate).toBeUndefined();
		await conn.sobject('Task').update({ Id: open.id, Status: 'Completed' });
		expect(fake.state().records.Lead[0].LastActivityDate).toBe('2026-05-02');
		await conn.sobject('Task').create({ WhoId: lead.Id, Subject: 'Older call', ActivityDate: '2026-04-01', Status: 'Completed' });
		expect(fake.state().records.Lead[0].LastActivityDate).toBe('2026-05-02');
		await expect(conn.sobject('Task').create({ WhoId: fake.seedOpportunity().Id, Subject: 'x' })).rejects.toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
	});

	it('marks a lead touched for SLA tests: status, activity day, or an activity today by default (also over HTTP)', async () => {
		const lead = fake.seedLead({ Email: 'sla@prospect.example', Segment__c: 'smb' });
		expect(lead).toMatchObject({ Email: 'sla@prospect.example', Segment__c: 'smb', Status: 'Open - Not Contacted' });
		expect(fake.markLeadTouched(lead.Id, { status: 'Working - Contacted' })).toMatchObject({ Status: 'Working - Contacted' });
		expect(fake.state().records.Lead[0].LastActivityDate).toBeUndefined();
		expect(fake.markLeadTouched(lead.Id, { activityOn: '2026-02-03T23:00:00Z' }).LastActivityDate).toBe('2026-02-03');
		expect(fake.markLeadTouched(lead.Id).LastActivityDate).toBe(new Date().toISOString().slice(0, 10));
		expect(() => fake.markLeadTouched(fake.seedAccount().Id)).toThrow(/No lead/);

		const seeded = await admin('seed', { object: 'Lead', fields: { Email: 'http@prospect.example' } });
		expect(seeded.body).toMatchObject({ Email: 'http@prospect.example', Id: expect.stringMatching(/^00Q/) });
		expect((await admin('touch-lead', { id: seeded.body.Id, status: 'Closed - Not Converted' })).body).toMatchObject({ Status: 'Closed - Not Converted' });
		expect((await admin('touch-lead', { id: '00QDn000009zzzzIAA' })).status).toBe(404);
	});
});
