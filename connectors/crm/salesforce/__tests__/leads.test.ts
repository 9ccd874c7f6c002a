/** Leads against the repository's Salesforce fake on loopback (real jsforce, real HTTP). */
import nock from 'nock';
import { SalesforceCrm } from '../crm';

const { createSalesforceFake } = require('../../../../sandbox/salesforce');

let fake: any;
const sleeps: number[] = [];

function makeCrm(): SalesforceCrm {
	const c = fake.credentials().salesforceCrmApi;
	return new SalesforceCrm(
		{ auth: 'refreshToken', loginUrl: c.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret, refreshToken: c.refreshToken, apiVersion: '62.0' },
		{ sleep: async (ms) => void sleeps.push(ms), retry: { retries: 2, baseDelayMs: 10, jitter: 0 } },
	);
}

const leads = (): Array<Record<string, any>> => fake.state().records.Lead;
const apiCalls = (method: string, pathPart: string) => fake.requests().filter((r: any) => r.method === method && r.path.includes(pathPart));
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	fake = createSalesforceFake();
	await fake.listen();
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => {
	fake.reset();
	sleeps.length = 0;
});

describe('Salesforce upsertLead', () => {
	it('creates the lead once per email: a repeat (any case) returns it unchanged, created: false', async () => {
		const crm = makeCrm();
		const rep = fake.seedUser();
		const first = await crm.upsertLead({ email: ' Ada@Prospect.example ', firstName: 'Ada', lastName: 'Lovelace', company: 'Prospect Ltd', country: 'GB', state: '', ownerId: rep.Id, source: 'Web' });
		expect(first).toMatchObject({ provider: 'salesforce', created: true, email: 'ada@prospect.example', firstName: 'Ada', lastName: 'Lovelace', company: 'Prospect Ltd', country: 'GB', ownerId: rep.Id, status: 'Open - Not Contacted', source: 'Web', touched: false });
		expect(first).not.toHaveProperty('state');
		expect(first.id).toMatch(/^00Q/);
		expect(first.url).toBe(`${fake.url}/lightning/r/Lead/${first.id}/view`);
		expect(Date.parse(first.createdAt)).not.toBeNaN();

		const again = await crm.upsertLead({ email: 'ADA@prospect.example', lastName: 'Other', company: 'Renamed Inc' });
		expect(again).toMatchObject({ id: first.id, created: false, company: 'Prospect Ltd', lastName: 'Lovelace' });
		expect(leads()).toHaveLength(1);
	});

	it('asks Salesforce not to run assignment rules when it sets the owner', async () => {
		const crm = makeCrm();
		const rep = fake.seedUser();
		await crm.upsertLead({ email: 'owned@prospect.example', lastName: 'Owned', company: 'P', ownerId: rep.Id });
		await crm.upsertLead({ email: 'rules@prospect.example', lastName: 'Rules', company: 'P' });
		const creates = apiCalls('POST', '/sobjects/Lead');
		expect(creates.map((r: any) => r.headers['sforce-auto-assign'])).toEqual(['FALSE', undefined]);
		expect(leads().find((l) => l.Email === 'rules@prospect.example')?.OwnerId).toBe(fake.apiUser().Id);
	});

	it('writes custom fields given as properties', async () => {
		fake.defineField('Lead', 'Segment__c');
		const lead = await makeCrm().upsertLead({ email: 'seg@prospect.example', lastName: 'S', company: 'P', properties: { Segment__c: 'smb' } });
		expect(lead.raw).toBeDefined();
		expect(leads()[0].Segment__c).toBe('smb');
		await expect(makeCrm().upsertLead({ email: 'x@prospect.example', lastName: 'S', company: 'P', properties: { 'bad name': 1 } })).rejects.toMatchObject({ kind: 'validation', field: 'lead.properties.bad name' });
	});

	it('names the missing last name or company of a new lead, before any create', async () => {
		const crm = makeCrm();
		await expect(crm.upsertLead({ email: 'new@prospect.example', company: 'P' })).rejects.toMatchObject({ kind: 'validation', field: 'lead.lastName' });
		await expect(crm.upsertLead({ email: 'new@prospect.example', lastName: 'N' })).rejects.toMatchObject({ kind: 'validation', field: 'lead.company' });
		expect(apiCalls('POST', '/sobjects/Lead')).toHaveLength(0);
		// An existing lead needs neither.
		const seeded = fake.seedLead({ Email: 'known@prospect.example' });
		expect(await crm.upsertLead({ email: 'known@prospect.example' })).toMatchObject({ id: seeded.Id, created: false });
	});

	it('refuses a bad email or owner id before any request', async () => {
		const crm = makeCrm();
		await expect(crm.upsertLead({ email: 'not-an-email', lastName: 'L', company: 'C' })).rejects.toMatchObject({ kind: 'validation', field: 'lead.email' });
		await expect(crm.upsertLead({ email: 'a@b.example', lastName: 'L', company: 'C', ownerId: '001000000000001AAA' })).rejects.toMatchObject({ kind: 'validation', field: 'lead.ownerId' });
		expect(fake.requests().filter((r: any) => r.path.startsWith('/services/data'))).toHaveLength(0);
	});

	it('finds the lead it created when the create answer was lost, instead of creating a second', async () => {
		const crm = makeCrm();
		await crm.getLead(fake.seedLead().Id); // log in first, so the fault hits the create
		fake.app.addFaults({ route: 'POST /services/data/{version}/sobjects/{type}', fault: { dropResponse: true }, times: 1 });
		const lead = await crm.upsertLead({ email: 'lost@prospect.example', lastName: 'Lost', company: 'P' });
		expect(lead.created).toBe(false);
		expect(leads().filter((l) => l.Email === 'lost@prospect.example')).toHaveLength(1);
		expect(sleeps.length).toBeGreaterThan(0);
	});
});

describe('Salesforce getLead and touched', () => {
	it('is untouched while new, touched once the status moves or an activity is logged', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		const fresh = await crm.getLead(seeded.Id);
		expect(fresh).toMatchObject({ id: seeded.Id, email: seeded.Email, status: 'Open - Not Contacted', touched: false });
		expect(fresh).not.toHaveProperty('lastActivityAt');

		fake.markLeadTouched(seeded.Id, { status: 'Working - Contacted' });
		expect((await crm.getLead(seeded.Id)).touched).toBe(true);
		// A configured initial list can include the working status.
		expect((await crm.getLead(seeded.Id, { initialStatuses: ['open - not contacted', 'Working - Contacted'] })).touched).toBe(false);
	});

	it('counts an activity from the day of the assignment on (Salesforce keeps only the day)', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		fake.markLeadTouched(seeded.Id, { activityOn: '2026-03-10' });
		expect(await crm.getLead(seeded.Id)).toMatchObject({ lastActivityAt: '2026-03-10', touched: true });
		expect((await crm.getLead(seeded.Id, { assignedAt: '2026-03-10T16:00:00Z' })).touched).toBe(true);
		expect((await crm.getLead(seeded.Id, { assignedAt: '2026-03-11T08:00:00Z' })).touched).toBe(false);
	});

	it('sees a completed task on the lead as its last activity', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		fake.markLeadTouched(seeded.Id, { status: 'Open - Not Contacted' });
		expect((await crm.getLead(seeded.Id)).touched).toBe(false);
		const client = (crm as unknown as { client: { request: (r: unknown, o: unknown) => Promise<unknown> } }).client;
		await client.request({ method: 'POST', path: '/sobjects/Task', body: { WhoId: seeded.Id, Subject: 'Call', Status: 'Completed' } }, { idempotent: false });
		expect(await crm.getLead(seeded.Id, { assignedAt: new Date().toISOString() })).toMatchObject({ lastActivityAt: today(), touched: true });
	});

	it('answers not_found for an unknown lead and refuses a non-lead id before any request', async () => {
		const crm = makeCrm();
		await expect(crm.getLead('00QDn000009zzzzIAA')).rejects.toMatchObject({ kind: 'not_found' });
		await expect(crm.getLead('006000000000001AAA')).rejects.toMatchObject({ kind: 'validation', field: 'leadId' });
		await expect(crm.getLead(fake.seedLead().Id, { assignedAt: 'yesterday' })).rejects.toMatchObject({ kind: 'validation', field: 'options.assignedAt' });
	});
});

describe('Salesforce changeLeadOwner', () => {
	it('re-owns the lead once; the same owner again (15- or 18-char id) writes nothing and still answers', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		const rep = fake.seedUser();
		const changed = await crm.changeLeadOwner(seeded.Id, rep.Id);
		expect(changed).toMatchObject({ id: seeded.Id, ownerId: rep.Id, changed: true, previousOwnerId: fake.apiUser().Id });
		const patches = apiCalls('PATCH', `/sobjects/Lead/${seeded.Id}`);
		expect(patches).toHaveLength(1);
		expect(patches[0].headers['sforce-auto-assign']).toBe('FALSE');

		expect(await crm.changeLeadOwner(seeded.Id, rep.Id.slice(0, 15))).toMatchObject({ ownerId: rep.Id, changed: false, previousOwnerId: rep.Id });
		expect(apiCalls('PATCH', '/sobjects/Lead/')).toHaveLength(1);
		expect(leads()[0].OwnerId).toBe(rep.Id);
	});

	it('refuses an owner that is not a user or queue, and an inactive user through Salesforce', async () => {
		const crm = makeCrm();
		const seeded = fake.seedLead();
		await expect(crm.changeLeadOwner(seeded.Id, '001000000000001AAA')).rejects.toMatchObject({ kind: 'validation', field: 'ownerId' });
		const inactive = fake.seedUser({ IsActive: false });
		await expect(crm.changeLeadOwner(seeded.Id, inactive.Id)).rejects.toMatchObject({ code: 'INACTIVE_OWNER_OR_USER' });
	});
});

describe('Salesforce findLeads', () => {
	it('finds by email and by change time, oldest change first', async () => {
		const crm = makeCrm();
		const a = fake.seedLead({ Email: 'a@find.example' });
		const before = new Date(Date.now() - 1000).toISOString();
		const b = fake.seedLead({ Email: 'b@find.example' });
		fake.markLeadTouched(a.Id, { status: 'Working - Contacted' });
		expect((await crm.findLeads({ email: 'A@find.example' })).map((l) => l.id)).toEqual([a.Id]);
		const since = await crm.findLeads({ updatedSince: before, limit: 10 });
		expect(since.map((l) => l.id)).toEqual([b.Id, a.Id]);
		expect(since.map((l) => l.touched)).toEqual([false, true]);
		expect(await crm.findLeads({ email: 'a@find.example', updatedSince: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
	});

	it('needs an email or a time, and a limit within 1–200', async () => {
		const crm = makeCrm();
		await expect(crm.findLeads({})).rejects.toMatchObject({ kind: 'validation', field: 'filter' });
		await expect(crm.findLeads({ email: 'a@b.example', limit: 500 })).rejects.toMatchObject({ kind: 'validation', field: 'filter.limit' });
	});
});
