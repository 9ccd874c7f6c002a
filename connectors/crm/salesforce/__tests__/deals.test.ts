import nock from 'nock';
import { ConnectorError } from '../../../core';
import { API, INSTANCE, opportunity, queryResult, record, setup, sfError, USER_ID } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const DEAL = '006000000000001AAA';

describe('getDeal', () => {
	it('selects the deal fields plus requested custom fields and normalises the record', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([opportunity(DEAL, { Subscription_Id__c: 'sub_1' })])));
		const deal = await crm.getDeal(DEAL, ['Subscription_Id__c']);
		expect(calls[0].soql).toBe(
			`SELECT Id, Name, Amount, StageName, IsClosed, IsWon, CloseDate, OwnerId, AccountId, SystemModstamp, CurrencyIsoCode, Subscription_Id__c FROM Opportunity WHERE Id = '${DEAL}' LIMIT 1`,
		);
		expect(calls[0].authorization).toMatch(/^Bearer 00D!access-/);
		expect(deal).toMatchObject({
			provider: 'salesforce',
			id: DEAL,
			name: 'Acme renewal',
			amount: 12000.5,
			amountMinor: 1200050,
			currency: 'eur',
			stageId: 'Closed Won',
			isClosed: true,
			isWon: true,
			closeDate: '2026-11-20',
			ownerId: USER_ID,
			accountId: '001000000000001AAA',
			modifiedAt: '2026-11-22T07:00:00.000Z',
			url: `${INSTANCE}/lightning/r/Opportunity/${DEAL}/view`,
		});
		expect(deal.properties.Subscription_Id__c).toBe('sub_1');
		expect(deal.properties).not.toHaveProperty('attributes');
	});

	it('retries without CurrencyIsoCode once in a single-currency org and remembers it', async () => {
		const { crm, api, calls } = setup();
		const single = opportunity(DEAL);
		delete (single as Record<string, unknown>).CurrencyIsoCode;
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 400, sfError('INVALID_FIELD', "No such column 'CurrencyIsoCode' on entity 'Opportunity'.")))
			.get(`${API}/query`)
			.times(2)
			.query(true)
			.reply(record(calls, 200, queryResult([single])));
		const first = await crm.getDeal(DEAL);
		await crm.getDeal(DEAL);
		expect(calls.map((c) => c.soql?.includes('CurrencyIsoCode'))).toEqual([true, false, false]);
		expect(first.currency).toBeUndefined();
		expect(first.amountMinor).toBe(1200050);
	});

	it('treats an INVALID_FIELD on a requested property as a validation error naming it', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 400, sfError('INVALID_FIELD', "No such column 'Nope__c' on entity 'Opportunity'.")));
		const error = (await crm.getDeal(DEAL, ['Nope__c']).catch((e: unknown) => e)) as ConnectorError;
		expect(error.kind).toBe('validation');
		expect(error.code).toBe('INVALID_FIELD');
		expect(calls).toHaveLength(1);
	});

	it('rejects bad ids and field names before any request', async () => {
		const { crm, tokens } = setup();
		for (const bad of ['', '006', "006000000000001' OR Id != '", '006000000000001AA']) {
			await expect(crm.getDeal(bad)).rejects.toMatchObject({ kind: 'validation', field: 'dealId' });
		}
		await expect(crm.getDeal(DEAL, ['Name, (SELECT Id FROM X)'])).rejects.toMatchObject({ kind: 'validation', field: 'properties.0' });
		await expect(crm.getDeal(DEAL, 'Name' as unknown as string[])).rejects.toMatchObject({ kind: 'validation', field: 'properties' });
		expect(tokens).toHaveLength(0);
	});

	it('reports a missing deal as not_found', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([])));
		await expect(crm.getDeal(DEAL)).rejects.toMatchObject({ kind: 'not_found' });
	});

	it('maps zero-decimal currencies without multiplying', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([opportunity(DEAL, { Amount: 150000, CurrencyIsoCode: 'JPY', Amount__c: null })])));
		const deal = await crm.getDeal(DEAL);
		expect(deal).toMatchObject({ currency: 'jpy', amount: 150000, amountMinor: 150000 });
	});
});

describe('searchDeals', () => {
	it('escapes quotes, backslashes and LIKE wildcards and pages with LIMIT/OFFSET', async () => {
		const { crm, api, calls } = setup();
		const rows = [opportunity('006000000000001AAA'), opportunity('006000000000002AAA'), opportunity('006000000000003AAA')];
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult(rows)));
		const page = await crm.searchDeals({ query: `O'Brien\\50%_x`, limit: 2, cursor: '4' });
		expect(calls[0].soql).toContain(`WHERE Name LIKE '%O\\'Brien\\\\50\\%\\_x%' ORDER BY LastModifiedDate DESC, Id DESC LIMIT 3 OFFSET 4`);
		expect(page.items.map((d) => d.id)).toEqual(['006000000000001AAA', '006000000000002AAA']);
		expect(page.nextCursor).toBe('6');
	});

	it('lists recent deals without a filter, matches an opportunity id, and ends paging', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).times(2).reply(record(calls, 200, queryResult([opportunity(DEAL)])));
		const recent = await crm.searchDeals({});
		const byId = await crm.searchDeals({ query: DEAL });
		expect(calls[0].soql).toMatch(/FROM Opportunity ORDER BY LastModifiedDate DESC, Id DESC LIMIT 26$/);
		expect(calls[1].soql).toContain(`WHERE Name LIKE '%${DEAL}%' OR Id = '${DEAL}'`);
		expect(recent.nextCursor).toBeUndefined();
		expect(byId.items).toHaveLength(1);
	});

	it('validates limit and cursor', async () => {
		const { crm } = setup();
		await expect(crm.searchDeals({ limit: 0 })).rejects.toMatchObject({ field: 'search.limit' });
		await expect(crm.searchDeals({ limit: 201 })).rejects.toMatchObject({ field: 'search.limit' });
		await expect(crm.searchDeals({ cursor: 'abc' })).rejects.toMatchObject({ field: 'search.cursor' });
		await expect(crm.searchDeals({ cursor: '2001' })).rejects.toMatchObject({ field: 'search.cursor' });
		await expect(crm.searchDeals({ query: 'x'.repeat(256) })).rejects.toMatchObject({ field: 'search.query' });
	});
});

describe('listWonDealsModifiedSince', () => {
	it('queries won deals at or after the second-floored cursor, oldest first with the id tiebreak', async () => {
		const { crm, api, calls } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([opportunity('006000000000001AAA'), opportunity('006000000000002AAA', { SystemModstamp: '2026-11-22T07:00:01.000+0000' })])));
		const deals = await crm.listWonDealsModifiedSince('2026-11-22T07:00:00.750Z', 50);
		expect(calls[0].soql).toMatch(/ FROM Opportunity WHERE IsWon = true AND SystemModstamp >= 2026-11-22T07:00:00Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 50$/);
		expect(deals.map((d) => d.modifiedAt)).toEqual(['2026-11-22T07:00:00.000Z', '2026-11-22T07:00:01.000Z']);
	});

	it('accepts offsets in the cursor and rejects bad input before any request', async () => {
		const { crm, api, calls, tokens } = setup();
		await expect(crm.listWonDealsModifiedSince('yesterday', 10)).rejects.toMatchObject({ kind: 'validation', field: 'since' });
		await expect(crm.listWonDealsModifiedSince('2026-11-22T07:00:00Z', 0)).rejects.toMatchObject({ kind: 'validation', field: 'limit' });
		await expect(crm.listWonDealsModifiedSince('2026-11-22T07:00:00Z', 2001)).rejects.toMatchObject({ kind: 'validation', field: 'limit' });
		expect(tokens).toHaveLength(0);
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([])));
		await crm.listWonDealsModifiedSince('2026-11-22T09:00:00+02:00', 1);
		expect(calls[0].soql).toContain('SystemModstamp >= 2026-11-22T07:00:00Z');
	});
});
