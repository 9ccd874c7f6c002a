import { Client } from '@hubspot/api-client';

const { createHubspotFake } = require('../../sandbox/hubspot');

/** The HubSpot fake's contacts (leads) answer the real @hubspot/api-client as HubSpot would. */
describe('HubSpot sandbox fake: contacts', () => {
	let fake: any;
	let cred: any;
	const client = () => new Client({ accessToken: cred.accessToken, basePath: cred.basePath, numberOfApiCallRetries: 0 });
	const admin = (path: string, body: unknown) =>
		fetch(`${fake.url}/__sandbox/hubspot/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
	const PROPS = ['email', 'hs_lead_status', 'lifecyclestage', 'hubspot_owner_id', 'hubspot_owner_assigneddate', 'notes_last_contacted', 'hs_last_sales_activity_timestamp'];

	beforeAll(async () => {
		fake = createHubspotFake();
		await fake.listen();
	});
	afterAll(async () => {
		await fake.close();
	});
	beforeEach(() => {
		fake.reset();
		cred = fake.credentials().hubspotCrmApi;
	});

	it('creates, reads (by id or by email), patches and searches contacts', async () => {
		const hs = client();
		const created = await hs.crm.contacts.basicApi.create({ properties: { email: 'Ada@Prospect.example', firstname: 'Ada', lifecyclestage: 'lead', hs_lead_status: 'NEW' }, associations: [] });
		expect(created.properties).toMatchObject({ email: 'Ada@Prospect.example', lifecyclestage: 'lead', createdate: expect.any(String), lastmodifieddate: expect.any(String) });
		const byDefault = await hs.crm.contacts.basicApi.getById(created.id);
		expect(Object.keys(byDefault.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
		const byEmail = await hs.crm.contacts.basicApi.getById('ada@prospect.example', PROPS, undefined, undefined, false, 'email');
		expect(byEmail).toMatchObject({ id: created.id, properties: { hs_lead_status: 'NEW', hubspot_owner_id: null, notes_last_contacted: null } });
		await expect(hs.crm.contacts.basicApi.getById('nobody@prospect.example', PROPS, undefined, undefined, false, 'email')).rejects.toMatchObject({ code: 404 });
		await expect(hs.crm.contacts.basicApi.getById('x', PROPS, undefined, undefined, false, 'firstname')).rejects.toMatchObject({ code: 400 });

		const owner = fake.seedOwner();
		const before = Date.parse(String(byEmail.properties.lastmodifieddate));
		await hs.crm.contacts.basicApi.update(created.id, { properties: { hubspot_owner_id: owner.id, hs_lead_status: 'IN_PROGRESS' } });
		const patched = await hs.crm.contacts.basicApi.getById(created.id, [...PROPS, 'lastmodifieddate']);
		expect(patched.properties).toMatchObject({ hubspot_owner_id: owner.id, hs_lead_status: 'IN_PROGRESS' });
		expect(Date.parse(String(patched.properties.hubspot_owner_assigneddate))).toBeGreaterThan(before);
		expect(Date.parse(String(patched.properties.lastmodifieddate))).toBe(Date.parse(String(patched.properties.hubspot_owner_assigneddate)));

		const search = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as any, value: 'ADA@prospect.example' }] }], properties: PROPS, limit: 10 } as any);
		expect(search.results.map((r) => r.id)).toEqual([created.id]);
		const since = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE' as any, value: String(before + 1) }] }], sorts: ['lastmodifieddate'], limit: 10 } as any);
		expect(since.results.map((r) => r.id)).toEqual([created.id]);
		expect((await hs.crm.contacts.searchApi.doSearch({ query: 'ada', limit: 10 } as any)).total).toBe(1);
	});

	it('keeps emails unique: a second create or an update to a taken email is a 409 naming the existing contact', async () => {
		const hs = client();
		const first = fake.seedLead({ email: 'taken@prospect.example' });
		await expect(hs.crm.contacts.basicApi.create({ properties: { email: 'TAKEN@prospect.example' }, associations: [] })).rejects.toMatchObject({
			code: 409,
			body: expect.objectContaining({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first.id}` }),
		});
		const other = fake.seedLead();
		await expect(hs.crm.contacts.basicApi.update(other.id, { properties: { email: 'taken@prospect.example' } })).rejects.toMatchObject({ code: 409 });
		await hs.crm.contacts.basicApi.update(first.id, { properties: { email: 'taken@prospect.example', firstname: 'Same' } });
	});

	it('refuses read-only activity dates, unknown lead statuses and owners', async () => {
		const hs = client();
		const lead = fake.seedLead();
		const refused = (properties: Record<string, string>) => hs.crm.contacts.basicApi.update(lead.id, { properties }).then(() => undefined, (e: any) => e.body.errors[0].code);
		expect(await refused({ notes_last_contacted: '2026-01-01T00:00:00Z' })).toBe('READ_ONLY_VALUE');
		expect(await refused({ hubspot_owner_assigneddate: '2026-01-01T00:00:00Z' })).toBe('READ_ONLY_VALUE');
		expect(await refused({ hs_lead_status: 'WORKING' })).toBe('INVALID_OPTION');
		expect(await refused({ hubspot_owner_id: '999' })).toBe('INVALID_OWNER_ID');
		// Contact-only properties do not leak onto deals.
		await expect(hs.crm.deals.basicApi.update(fake.seedDeal().id, { properties: { lastmodifieddate: '1' } })).rejects.toMatchObject({ code: 400 });
	});

	it('marks a lead touched for SLA tests: status, activity time, or an activity now by default (also over HTTP)', async () => {
		const lead = fake.seedLead({ email: 'sla@prospect.example', segment: 'smb' });
		expect(lead.properties).toMatchObject({ email: 'sla@prospect.example', segment: 'smb', lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: '41000001' });
		expect(lead.properties.hubspot_owner_assigneddate).toBe(lead.properties.createdate);
		const statusOnly = fake.markLeadTouched(lead.id, { status: 'CONNECTED' }).properties;
		expect(statusOnly.hs_lead_status).toBe('CONNECTED');
		expect(statusOnly).not.toHaveProperty('notes_last_contacted');
		expect(fake.markLeadTouched(lead.id, { activityAt: '2026-02-03T10:00:00Z' }).properties).toMatchObject({ notes_last_contacted: '2026-02-03T10:00:00.000Z', hs_last_sales_activity_timestamp: '2026-02-03T10:00:00.000Z' });
		const now = Date.now();
		expect(Date.parse(fake.markLeadTouched(lead.id).properties.notes_last_contacted)).toBeGreaterThanOrEqual(now - 5);
		expect(() => fake.markLeadTouched('1')).toThrow(/No contact/);

		const seeded = await admin('seed-lead', { email: 'http@prospect.example' });
		expect(seeded.body).toMatchObject({ properties: { email: 'http@prospect.example' } });
		expect((await admin('touch-lead', { id: seeded.body.id, status: 'BAD_TIMING' })).body.properties.hs_lead_status).toBe('BAD_TIMING');
		expect((await admin('touch-lead', { id: '1' })).status).toBe(400);
		expect(fake.state().contacts).toHaveLength(2);
	});
});
