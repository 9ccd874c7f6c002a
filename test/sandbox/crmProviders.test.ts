/**
 * Every CrmProvider operation of both connectors (the real jsforce / @hubspot/api-client code paths) against the
 * sandboxed CRMs the workflow and end-to-end tests use, so the fakes and the connectors cannot drift apart.
 */
import nock from 'nock';
import { createCrmProvider, type CrmProvider, type CrmProviderName } from '../../connectors/crm';
import { crmConfigFromCredentials } from '../../nodes/Crm/transport';

const { startQuoteToCashFakes } = require('../../sandbox/quoteToCash');

let fakes: any;

beforeAll(async () => {
	nock.disableNetConnect();
	nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
	fakes = await startQuoteToCashFakes();
});
afterAll(async () => {
	await fakes?.close();
});
beforeEach(() => fakes.reset());

function providerFor(name: CrmProviderName): CrmProvider {
	const credentials = name === 'salesforce' ? fakes.credentials.salesforceCrmApi : fakes.credentials.hubspotCrmApi;
	return createCrmProvider(crmConfigFromCredentials(name, credentials));
}

describe.each(['salesforce', 'hubspot'] as const)('%s connector ↔ sandbox', (name) => {
	it('reads, searches, updates (one and many), re-owns, finds accounts, lists owners and creates tasks once', async () => {
		const crm = providerFor(name);
		const deal = fakes.seedWonDeal(name, { name: `Sandbox check ${name}` });

		expect((await crm.whoAmI()).id).toEqual(expect.any(String));

		const read = await crm.getDeal(deal.dealId);
		expect(read).toMatchObject({ provider: name, id: deal.dealId, isWon: true, isClosed: true, amountMinor: deal.amountMinor });
		expect(read.accountId).toEqual(expect.any(String));

		const found = await crm.searchDeals({ query: `Sandbox check ${name}`, limit: 10 });
		expect(found.items.map((d) => d.id)).toContain(deal.dealId);

		const field = name === 'salesforce' ? 'Subscription_Id__c' : 'subscription_id';
		const updated = await crm.updateDeal(deal.dealId, { properties: { [field]: 'sub_123' } });
		expect(updated.id).toBe(deal.dealId);
		expect(fakes.dealRecord(name, deal.dealId)[field]).toBe('sub_123');

		const other = fakes.seedWonDeal(name);
		const batch = await crm.updateDeals([
			{ id: deal.dealId, properties: { [field]: 'sub_batch_1' } },
			{ id: other.dealId, properties: { [field]: 'sub_batch_2' } },
		]);
		expect(batch).toEqual([
			{ id: deal.dealId, ok: true },
			{ id: other.dealId, ok: true },
		]);
		expect(fakes.dealRecord(name, other.dealId)[field]).toBe('sub_batch_2');

		const owners = await crm.listOwners({ limit: 50 });
		expect(owners.items.length).toBeGreaterThan(0);
		const owner = owners.items[owners.items.length - 1];
		expect((await crm.changeOwner(deal.dealId, owner.id)).ownerId).toBe(owner.id);

		const account = await crm.getDeal(deal.dealId).then((d) => d.accountId!);
		const accounts = await crm.searchAccounts({ limit: 50 });
		const listed = accounts.items.find((a) => a.id === account);
		expect(listed).toBeDefined();
		const domain = listed!.domain ?? new URL(listed!.website!).hostname.replace(/^www\./, '');
		expect((await crm.findAccountByDomain(`billing@${domain}`))?.id).toBe(account);
		expect(await crm.findAccountByDomain('nobody-here.example')).toBeUndefined();
		expect(await crm.getAccount(account)).toMatchObject({ provider: name, id: account, name: listed!.name });
		const unknownAccount = name === 'salesforce' ? '001Dn000009zzzzIAA' : '99999999999';
		await expect(crm.getAccount(unknownAccount)).rejects.toMatchObject({ kind: 'not_found' });

		const input = { dealId: deal.dealId, subject: 'Kick-off call', businessKey: `${deal.dealId}:kickoff`, dueDate: '2026-12-01' };
		const task = await crm.createTask(input);
		expect(task).toMatchObject({ created: true, dealId: deal.dealId });
		expect(await crm.createTask(input)).toMatchObject({ created: false, id: task.id });
		expect(fakes.tasksOf(name, deal.dealId)).toHaveLength(1);

		const won = await crm.listWonDealsModifiedSince(new Date(Date.now() - 3_600_000).toISOString(), 50);
		expect(won.map((d) => d.id)).toEqual(expect.arrayContaining([deal.dealId, other.dealId]));
		expect(won.every((d) => d.isWon)).toBe(true);
	});

	it('maps an unknown deal to not_found', async () => {
		const crm = providerFor(name);
		const missing = name === 'salesforce' ? '006Dn000009zzzzIAA' : '99999999999';
		await expect(crm.getDeal(missing)).rejects.toMatchObject({ kind: 'not_found' });
	});
});
