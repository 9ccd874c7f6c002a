/** Leads (contacts) against the repository's HubSpot fake on loopback (real @hubspot/api-client, real HTTP). */
import nock from 'nock';
import { HubspotCrm } from '../provider';

const { createHubspotFake } = require('../../../../sandbox/hubspot');

let fake: any;
const sleeps: number[] = [];

function makeCrm(): HubspotCrm {
	const c = fake.credentials().hubspotCrmApi;
	return new HubspotCrm(
		{ auth: 'privateApp', accessToken: c.accessToken, basePath: c.basePath, portalId: c.portalId },
		{ sleep: async (ms) => void sleeps.push(ms), retry: { retries: 2, baseDelayMs: 10, jitter: 0 }, rateLimit: { perSecond: 10_000, burst: 10_000 } },
	);
}

const contacts = (): Array<{ id: string; properties: Record<string, string | null> }> => fake.state().contacts;
const calls = (method: string, pathPart: string) => fake.requests().filter((r: any) => r.method === method && r.path.includes(pathPart));

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	fake = createHubspotFake();
	await fake.listen();
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => {
	fake.reset();
	sleeps.length = 0;
});

describe('HubSpot upsertLead', () => {
	it('creates a contact with lifecycle stage lead once per email; a repeat returns it unchanged', async () => {
		const crm = makeCrm();
		const rep = fake.seedOwner();
		const first = await crm.upsertLead({ email: 'Ada@Prospect.example', firstName: 'Ada', lastName: 'Lovelace', company: 'Prospect Ltd', country: 'United Kingdom', status: 'NEW', ownerId: rep.id, properties: { jobtitle: 'CTO' } });
		expect(first).toMatchObject({ provider: 'hubspot', created: true, email: 'ada@prospect.example', firstName: 'Ada', lastName: 'Lovelace', company: 'Prospect Ltd', ownerId: rep.id, status: 'NEW', touched: false });
		expect(first.url).toBe(`https://app.hubspot.com/contacts/${fake.portalId}/record/0-1/${first.id}`);
		expect(Date.parse(first.ownerAssignedAt!)).not.toBeNaN();
		expect(first.raw).toMatchObject({ lifecyclestage: 'lead' });
		expect(contacts()[0].properties).toMatchObject({ jobtitle: 'CTO', lifecyclestage: 'lead' });

		const again = await crm.upsertLead({ email: 'ada@prospect.example', company: 'Renamed', ownerId: '41000001' });
		expect(again).toMatchObject({ id: first.id, created: false, company: 'Prospect Ltd', ownerId: rep.id });
		expect(contacts()).toHaveLength(1);
		// The lookup is by email (immediately consistent), not by search.
		expect(calls('POST', '/crm/v3/objects/contacts/search')).toHaveLength(0);
	});

	it('returns the contact a racing create made (HubSpot answers 409 with its id)', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead({ email: 'race@prospect.example' });
		// The lookup misses it, as if the other create landed just after.
		fake.app.addFaults({ route: 'GET /crm/v3/objects/{type}/{id}', fault: { status: 404, body: { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' } }, times: 1 });
		const lead = await crm.upsertLead({ email: 'race@prospect.example', lastName: 'Race' });
		expect(lead).toMatchObject({ id: seeded.id, created: false });
		expect(calls('POST', '/crm/v3/objects/contacts').map((r: any) => r.status)).toEqual([409]);
		expect(contacts()).toHaveLength(1);
	});

	it('finds the contact it created when the create answer was lost', async () => {
		const crm = makeCrm();
		fake.app.addFaults({ route: 'POST /crm/v3/objects/{type}', fault: { dropResponse: true }, times: 1 });
		const lead = await crm.upsertLead({ email: 'lost@prospect.example', lastName: 'Lost' });
		expect(lead.created).toBe(false);
		expect(contacts().map((c) => c.properties.email)).toEqual(['lost@prospect.example']);
		expect(calls('POST', '/crm/v3/objects/contacts')).toHaveLength(1);
		expect(sleeps.length).toBeGreaterThan(0);
	});

	it('refuses a source (HubSpot sets it), bad property names and owner ids before any request', async () => {
		const crm = makeCrm();
		await expect(crm.upsertLead({ email: 'a@b.example', source: 'Web' })).rejects.toMatchObject({ kind: 'validation', field: 'lead.source' });
		await expect(crm.upsertLead({ email: 'a@b.example', properties: { 'bad-name': 'x' } })).rejects.toMatchObject({ kind: 'validation', field: 'lead.properties' });
		await expect(crm.upsertLead({ email: 'a@b.example', ownerId: 'ann' })).rejects.toMatchObject({ kind: 'validation', field: 'lead.ownerId' });
		await expect(crm.upsertLead({ email: 'a@b.example', properties: { nested: { x: 1 } } })).rejects.toMatchObject({ kind: 'validation', field: 'lead.properties.nested' });
		expect(calls('GET', '/crm/')).toHaveLength(0);
	});

	it('passes HubSpot refusals on (an unknown owner)', async () => {
		await expect(makeCrm().upsertLead({ email: 'a@b.example', ownerId: '999' })).rejects.toMatchObject({ kind: 'validation', field: 'hubspot_owner_id' });
	});
});

describe('HubSpot getLead and touched', () => {
	it('is untouched while NEW, touched once the lead status moves', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		expect(await crm.getLead(seeded.id)).toMatchObject({ id: seeded.id, status: 'NEW', touched: false });
		fake.markLeadTouched(seeded.id, { status: 'ATTEMPTED_TO_CONTACT' });
		expect((await crm.getLead(seeded.id)).touched).toBe(true);
		expect((await crm.getLead(seeded.id, { initialStatuses: ['NEW', 'ATTEMPTED_TO_CONTACT'] })).touched).toBe(false);
	});

	it('counts an activity only after the assignment (hubspot_owner_assigneddate unless assignedAt is given)', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		const owner = fake.seedOwner();
		fake.markLeadTouched(seeded.id, { activityAt: '2026-01-05T10:00:00Z' });
		await crm.changeLeadOwner(seeded.id, owner.id); // assigned now: the January call was for the previous owner
		const lead = await crm.getLead(seeded.id);
		expect(lead).toMatchObject({ lastActivityAt: '2026-01-05T10:00:00.000Z', touched: false });
		expect((await crm.getLead(seeded.id, { assignedAt: '2026-01-05T09:00:00Z' })).touched).toBe(true);
		fake.markLeadTouched(seeded.id);
		expect((await crm.getLead(seeded.id)).touched).toBe(true);
	});

	it('answers not_found for an unknown contact and refuses a non-numeric id before any request', async () => {
		const crm = makeCrm();
		await expect(crm.getLead('99999999999')).rejects.toMatchObject({ kind: 'not_found' });
		await expect(crm.getLead('00Q000000000001AAA')).rejects.toMatchObject({ kind: 'validation', field: 'leadId' });
	});
});

describe('HubSpot changeLeadOwner', () => {
	it('re-owns the contact once; the same owner again writes nothing and still answers', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		const rep = fake.seedOwner();
		expect(await crm.changeLeadOwner(seeded.id, rep.id)).toMatchObject({ id: seeded.id, ownerId: rep.id, changed: true, previousOwnerId: '41000001' });
		expect(await crm.changeLeadOwner(seeded.id, rep.id)).toMatchObject({ ownerId: rep.id, changed: false, previousOwnerId: rep.id });
		expect(calls('PATCH', `/crm/v3/objects/contacts/${seeded.id}`)).toHaveLength(1);
		await expect(crm.changeLeadOwner(seeded.id, 'rep')).rejects.toMatchObject({ kind: 'validation', field: 'ownerId' });
	});
});

describe('HubSpot findLeads', () => {
	it('finds by email and by change time, oldest change first', async () => {
		const crm = makeCrm();
		const before = new Date(Date.now() - 1000).toISOString();
		const a = fake.seedLead({ email: 'a@find.example' });
		const b = fake.seedLead({ email: 'b@find.example' });
		fake.markLeadTouched(a.id, { status: 'CONNECTED' });
		expect((await crm.findLeads({ email: 'A@find.example' })).map((l) => l.id)).toEqual([a.id]);
		const since = await crm.findLeads({ updatedSince: before, limit: 10 });
		expect(since.map((l) => [l.id, l.touched])).toEqual([
			[b.id, false],
			[a.id, true],
		]);
		expect(await crm.findLeads({ updatedSince: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
		await expect(crm.findLeads({ limit: 5 })).rejects.toMatchObject({ kind: 'validation', field: 'filter' });
	});
});
