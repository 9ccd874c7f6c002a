/** End-to-end against the repository's Salesforce fake on loopback (real jsforce, real HTTP, no nock interceptors). */
import nock from 'nock';
import type { SalesforceConfig } from '../config';
import { SalesforceCrm } from '../crm';
import { parseOutboundMessage, verifyOutboundMessage } from '../outboundMessage';

const { createSalesforceFake } = require('../../../../sandbox/salesforce');

interface Fake {
	url: string;
	orgId: string;
	listen(): Promise<void>;
	close(): Promise<void>;
	reset(): void;
	credentials(): { salesforceCrmApi: Record<string, string> };
	jwtCredentials(): { salesforceCrmApi: Record<string, string> };
	seedAccount(fields?: Record<string, unknown>): Record<string, string>;
	seedUser(fields?: Record<string, unknown>): Record<string, string>;
	seedOpportunity(fields?: Record<string, unknown>): Record<string, string>;
	winOpportunity(id: string, options?: { at?: string }): void;
	expireSessions(): void;
	setApiUsage(used: number, max?: number): void;
	outboundMessage(ids: string[], options?: Record<string, unknown>): { query: string; rawBody: string };
	apiUser(): Record<string, string>;
}

function config(credentials: Record<string, string>): SalesforceConfig {
	return {
		auth: credentials.authentication as SalesforceConfig['auth'],
		loginUrl: credentials.loginUrl,
		clientId: credentials.clientId,
		clientSecret: credentials.clientSecret,
		refreshToken: credentials.refreshToken,
		username: credentials.username,
		privateKey: credentials.privateKey,
		apiVersion: '62.0',
	};
}

describe('SalesforceCrm against the sandbox fake', () => {
	let fake: Fake;
	const sleeps: number[] = [];
	const make = (jwt = false) =>
		new SalesforceCrm(config((jwt ? fake.jwtCredentials() : fake.credentials()).salesforceCrmApi), {
			sleep: async (ms) => {
				sleeps.push(ms);
			},
		});

	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		fake = createSalesforceFake();
		await fake.listen();
	});
	afterAll(async () => {
		await fake.close();
	});
	beforeEach(() => fake.reset());

	it('reads, searches, updates and polls deals with both auth flows', async () => {
		const account = fake.seedAccount({ Name: "O'Hara 50% Ltd", Website: 'https://www.ohara.example' });
		const opp = fake.seedOpportunity({ Name: "O'Hara 50%_renewal", AccountId: account.Id, Amount: 1234.56 });
		fake.seedOpportunity({ Name: 'O Hara 500 renewal' });
		for (const crm of [make(), make(true)]) {
			expect((await crm.whoAmI()).id).toBe(fake.apiUser().Id);
			const found = await crm.searchDeals({ query: "O'Hara 50%_" });
			expect(found.items.map((d) => d.id)).toEqual([opp.Id]);
			const deal = await crm.getDeal(opp.Id, ['Subscription_Id__c']);
			expect(deal).toMatchObject({ name: "O'Hara 50%_renewal", amountMinor: 123456, accountId: account.Id, isWon: false });
			expect(deal.currency).toMatch(/^[a-z]{3}$/);
			expect((await crm.findAccountByDomain('ap@ohara.example'))?.id).toBe(account.Id);
		}
		const crm = make();
		const updated = await crm.updateDeal(opp.Id, { stage: 'Closed Won', properties: { Subscription_Id__c: 'sub_123' } });
		expect(updated).toMatchObject({ isWon: true, isClosed: true, properties: { Subscription_Id__c: 'sub_123' } });
		const won = await crm.listWonDealsModifiedSince(new Date(Date.parse(updated.modifiedAt) - 1000).toISOString(), 10);
		expect(won.map((d) => d.id)).toEqual([opp.Id]);
	});

	it('batch-updates, changes owners, lists owners and creates tasks idempotently', async () => {
		const owner = fake.seedUser({ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com' });
		const ids = Array.from({ length: 3 }, (_, i) => fake.seedOpportunity({ Name: `Deal ${i}` }).Id);
		const crm = make();
		const results = await crm.updateDeals([...ids.map((id) => ({ id, properties: { Billing_Status__c: 'active' } })), { id: '006000000000000', stage: 'Nope' }]);
		expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
		expect(results[3].ok).toBe(false);
		expect((await crm.changeOwner(ids[1], owner.Id)).ownerId).toBe(owner.Id);
		expect((await crm.listOwners({ query: 'Ada' })).items.map((o) => o.id)).toEqual([owner.Id]);
		const input = { dealId: ids[0], subject: 'Provision tenant', businessKey: 'C-1:provision', dueDate: '2026-12-01', ownerId: owner.Id };
		const first = await crm.createTask(input);
		const second = await crm.createTask(input);
		expect(first.created).toBe(true);
		expect(second).toMatchObject({ id: first.id, created: false });
	});

	it('refreshes an expired session, throttles near the daily limit and refuses inside the reserve', async () => {
		const opp = fake.seedOpportunity();
		const crm = make();
		await crm.getDeal(opp.Id);
		fake.expireSessions();
		await crm.getDeal(opp.Id);
		fake.setApiUsage(85_000, 100_000);
		await crm.getDeal(opp.Id);
		expect(sleeps).toEqual([]);
		await crm.getDeal(opp.Id);
		expect(sleeps.length).toBe(1);
		fake.setApiUsage(95_000, 100_000);
		await crm.getDeal(opp.Id);
		await expect(crm.getDeal(opp.Id)).rejects.toMatchObject({ kind: 'rate_limited', code: 'daily_limit_reserve' });
	});

	it('parses and verifies the outbound messages the fake sends', async () => {
		const opp = fake.seedOpportunity();
		fake.winOpportunity(opp.Id);
		const credentials = fake.credentials().salesforceCrmApi;
		const delivery = fake.outboundMessage([opp.Id]);
		const message = await parseOutboundMessage(delivery.rawBody);
		expect(message.notifications[0]).toMatchObject({ sObjectType: 'Opportunity', recordId: opp.Id, fields: { StageName: 'Closed Won', IsWon: 'true' } });
		const check = { message, tokens: [credentials.outboundMessageToken], organizationId: credentials.organizationId };
		expect(verifyOutboundMessage({ ...check, presentedToken: new URLSearchParams(delivery.query).get('token') ?? undefined }).ok).toBe(true);
		expect(verifyOutboundMessage({ ...check, presentedToken: 'wrong' }).ok).toBe(false);
	});
});
