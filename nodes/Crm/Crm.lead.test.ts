/**
 * CRM node → Lead, through the real connectors against the repository's Salesforce and HubSpot fakes on loopback:
 * what the lead-routing template does (upsert, assign the routed owner, check the SLA) and what it records.
 */
import nock from 'nock';
import { NodeOperationError, type INode } from 'n8n-workflow';
import { executeContext, receiptsIn, recordReceipt, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Crm } from './Crm.node';
import { clearCrmProviderCache } from './transport';

const { createSalesforceFake } = require('../../sandbox/salesforce');
const { createHubspotFake } = require('../../sandbox/hubspot');

const node: INode = { id: '1', name: 'Route Lead', type: 'n8n-nodes-quote-to-cash.crm', typeVersion: 1, position: [0, 0], parameters: {} };
const fakes: Record<'salesforce' | 'hubspot', any> = { salesforce: undefined, hubspot: undefined };
const store = useTempStore();

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	fakes.salesforce = createSalesforceFake();
	fakes.hubspot = createHubspotFake();
	await Promise.all([fakes.salesforce.listen(), fakes.hubspot.listen()]);
});
afterAll(async () => {
	await Promise.all([fakes.salesforce.close(), fakes.hubspot.close()]);
});
beforeEach(() => {
	clearCrmProviderCache();
	fakes.salesforce.reset();
	fakes.hubspot.reset();
});

const locator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

describe.each(['salesforce', 'hubspot'] as const)('CRM node → Lead (%s)', (provider) => {
	const fake = () => fakes[provider];
	const credentials = () => (provider === 'salesforce' ? fake().credentials().salesforceCrmApi : fake().credentials().hubspotCrmApi);
	const run = (items: Params[], continueOnFail = false) =>
		new Crm().execute.call(executeContext(items.map((item) => ({ provider, resource: 'lead', ...item })), { node, credentials: credentials(), continueOnFail, executionId: '77' }));
	const newOwner = () => (provider === 'salesforce' ? fake().seedUser().Id : fake().seedOwner().id);
	const touch = (id: string) => (provider === 'salesforce' ? fake().markLeadTouched(id, { status: 'Working - Contacted' }) : fake().markLeadTouched(id, { status: 'CONNECTED' }));
	const leadCount = () => (provider === 'salesforce' ? fake().state().records.Lead.length : fake().state().contacts.length);

	it('upserts once per email, assigns the routed owner once, and sees the lead touched after work', async () => {
		const owner = newOwner();
		const fields = { firstName: 'Ada', lastName: 'Lovelace', company: 'Prospect Ltd', country: 'US', state: 'CA', properties: '{}' };
		const [[created, repeated]] = await run([
			{ operation: 'upsert', email: 'Ada@Prospect.example', additionalFields: fields },
			{ operation: 'upsert', email: 'ada@prospect.example', additionalFields: { company: 'Other' } },
		]);
		expect(created.json).toMatchObject({ provider, created: true, email: 'ada@prospect.example', company: 'Prospect Ltd', state: 'CA', touched: false });
		expect(repeated.json).toMatchObject({ id: created.json.id, created: false, company: 'Prospect Ltd' });
		expect([created.pairedItem, repeated.pairedItem]).toEqual([{ item: 0 }, { item: 1 }]);
		expect(leadCount()).toBe(1);

		const id = String(created.json.id);
		const change = { operation: 'changeOwner', leadId: locator(id), ownerId: locator(owner) };
		const [[first, second]] = await run([change, change]);
		expect([first.json.changed, second.json.changed, second.json.ownerId]).toEqual([true, false, owner]);

		const get = { operation: 'get', leadId: locator(id), options: {} };
		expect((await run([get]))[0][0].json).toMatchObject({ id, ownerId: owner, touched: false });
		touch(id);
		expect((await run([get]))[0][0].json.touched).toBe(true);
		const [[stillInitial]] = await run([{ ...get, options: { initialStatuses: provider === 'salesforce' ? 'Open - Not Contacted, Working - Contacted' : 'NEW, CONNECTED' } }]);
		expect(stillInitial.json.touched).toBe(false);
	});

	it('counts an activity only from Assigned At on (a time without offset is UTC)', async () => {
		const lead = fake().seedLead();
		const id = String(lead.Id ?? lead.id);
		if (provider === 'salesforce') fake().markLeadTouched(id, { activityOn: '2026-03-10' });
		else fake().markLeadTouched(id, { activityAt: '2026-03-10T10:00:00Z' });
		const get = (assignedAt: string) => run([{ operation: 'get', leadId: locator(id), options: { assignedAt } }]).then(([[item]]) => item.json.touched);
		expect(await get('2026-03-10T08:00:00')).toBe(true);
		expect(await get('2026-03-11T08:00:00+02:00')).toBe(false);
	});

	it('records receipts of the writes with ids only (no email)', async () => {
		const [[created]] = await run([{ operation: 'upsert', email: 'receipt@prospect.example', additionalFields: { lastName: 'R', company: 'P' }, ...recordReceipt(store.dir) }]);
		const owner = newOwner();
		await run([{ operation: 'changeOwner', leadId: locator(String(created.json.id)), ownerId: locator(owner), ...recordReceipt(store.dir) }]);
		const receipts = await receiptsIn(store.dir);
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref])).toEqual([
			['crm.lead.upsert', created.json.id],
			['crm.lead.changeOwner', created.json.id],
		]);
		expect(receipts[1].effect).toMatchObject({ type: 'crm.lead', provider, ownerId: owner, changed: true });
		expect(JSON.stringify(receipts)).not.toContain('receipt@prospect.example');
	});

	it('fails bad input before any call; with Continue On Fail an error item per bad item, the rest go on', async () => {
		const [[bad, good, unknown]] = await run(
			[
				{ operation: 'upsert', email: 'x@y.example', additionalFields: { lastName: 'L', company: 'C', properties: '[1]' } },
				{ operation: 'upsert', email: 'ok@y.example', additionalFields: { lastName: 'L', company: 'C' } },
				{ operation: 'get', leadId: locator(provider === 'salesforce' ? '00QDn000009zzzzIAA' : '99999999999') },
			],
			true,
		);
		expect(bad.json).toMatchObject({ error: expect.stringContaining('additionalFields.properties') });
		expect(good.json).toMatchObject({ created: true });
		expect(unknown.json).toMatchObject({ error: expect.any(String) });
		expect(unknown.pairedItem).toEqual({ item: 2 });
		await expect(run([{ operation: 'changeOwner', leadId: locator(''), ownerId: locator('1') }])).rejects.toBeInstanceOf(NodeOperationError);
	});
});

describe('CRM node → Lead description', () => {
	const properties = new Crm().description.properties;

	it('offers the lead by ID or record URL with each provider pattern, and the owner from the owners list', () => {
		const leadIds = properties.filter((p) => p.name === 'leadId' && p.displayOptions?.show?.operation?.[0] === 'get');
		const modes = (provider: string) => leadIds.find((p) => p.displayOptions?.show?.provider?.[0] === provider)?.modes ?? [];
		expect(modes('salesforce').map((m) => m.name)).toEqual(['id', 'url']);
		const regex = (provider: string) => new RegExp((modes(provider)[0].validation?.[0] as unknown as { properties: { regex: string } }).properties.regex);
		expect(regex('salesforce').test('00QDn000000k9bNMAQ')).toBe(true);
		expect(regex('salesforce').test('006Dn000000k9bNMAQ')).toBe(false);
		expect(regex('hubspot').test('51000000001')).toBe(true);
		const extract = (provider: string, url: string) => new RegExp((modes(provider)[1] as unknown as { extractValue: { regex: string } }).extractValue.regex).exec(url)?.[1];
		expect(extract('salesforce', 'https://acme.lightning.force.com/lightning/r/Lead/00QDn000000k9bNMAQ/view')).toBe('00QDn000000k9bNMAQ');
		expect(extract('hubspot', 'https://app.hubspot.com/contacts/42/record/0-1/51000000001')).toBe('51000000001');
		const owner = properties.find((p) => p.name === 'ownerId' && p.displayOptions?.show?.resource?.[0] === 'lead' && p.displayOptions?.show?.operation?.[0] === 'changeOwner');
		expect(owner?.required).toBe(true);
		expect(owner?.modes?.[0].typeOptions?.searchListMethod).toBe('searchOwners');
	});
});
