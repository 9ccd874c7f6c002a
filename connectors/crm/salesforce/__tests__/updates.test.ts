import nock from 'nock';
import { ConnectorError } from '../../../core';
import { COLLECTION_CHUNK } from '../dealUpdate';
import { API, opportunity, queryResult, record, setup, sfError, USER_ID } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const DEAL = '006000000000001AAA';
const OTHER_USER = '005000000000009AAA';

describe('updateDeal / changeOwner', () => {
	it('patches StageName, OwnerId and custom fields, then returns the re-read deal with them', async () => {
		const { crm, api, calls } = setup();
		api
			.patch(`${API}/sobjects/Opportunity/${DEAL}`)
			.reply(record(calls, 204, ''))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([opportunity(DEAL, { StageName: 'Provisioned', Subscription_Id__c: 'sub_9' })])));
		const deal = await crm.updateDeal(DEAL, { stage: 'Provisioned', ownerId: OTHER_USER, properties: { Subscription_Id__c: 'sub_9' } });
		expect(calls[0]).toMatchObject({ method: 'PATCH', body: { Subscription_Id__c: 'sub_9', StageName: 'Provisioned', OwnerId: OTHER_USER } });
		expect(calls[1].soql).toContain('Subscription_Id__c FROM Opportunity');
		expect(deal.stageId).toBe('Provisioned');
		expect(deal.properties.Subscription_Id__c).toBe('sub_9');
	});

	it('retries a lock error on the (idempotent) field update', async () => {
		const { crm, api, calls, sleeps } = setup();
		api
			.patch(`${API}/sobjects/Opportunity/${DEAL}`)
			.reply(record(calls, 400, sfError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record')))
			.patch(`${API}/sobjects/Opportunity/${DEAL}`)
			.reply(record(calls, 204, ''))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([opportunity(DEAL)])));
		await crm.updateDeal(DEAL, { stage: 'Closed Won' });
		expect(calls.map((c) => c.method)).toEqual(['PATCH', 'PATCH', 'GET']);
		expect(sleeps).toEqual([100]);
	});

	it('maps a validation rule failure to a validation error naming the field', async () => {
		const { crm, api, calls } = setup();
		api.patch(`${API}/sobjects/Opportunity/${DEAL}`).reply(record(calls, 400, sfError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Amount required when won', ['Amount'])));
		const error = (await crm.updateDeal(DEAL, { stage: 'Closed Won' }).catch((e: unknown) => e)) as ConnectorError;
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error).toMatchObject({ kind: 'validation', field: 'Amount', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', status: 400 });
		expect(calls).toHaveLength(1);
	});

	it('validates the update before any request', async () => {
		const { crm, tokens } = setup();
		await expect(crm.updateDeal(DEAL, {})).rejects.toMatchObject({ field: 'update' });
		await expect(crm.updateDeal(DEAL, { stage: ' ' })).rejects.toMatchObject({ field: 'update.stage' });
		await expect(crm.updateDeal(DEAL, { ownerId: '00G000000000001' })).rejects.toMatchObject({ field: 'update.ownerId' });
		await expect(crm.updateDeal(DEAL, { properties: { 'Bad Field': 1 } })).rejects.toMatchObject({ field: 'update.properties.Bad Field' });
		await expect(crm.updateDeal(DEAL, { properties: { Id: DEAL } })).rejects.toMatchObject({ field: 'update.properties.Id' });
		await expect(crm.updateDeal(DEAL, { properties: [] as unknown as Record<string, unknown> })).rejects.toMatchObject({ field: 'update.properties' });
		await expect(crm.updateDeal(DEAL, null as unknown as object)).rejects.toMatchObject({ field: 'update' });
		await expect(crm.changeOwner(DEAL, '001000000000001')).rejects.toMatchObject({ field: 'ownerId' });
		await expect(crm.changeOwner('nope', USER_ID)).rejects.toMatchObject({ field: 'dealId' });
		expect(tokens).toHaveLength(0);
	});

	it('changes the owner with an OwnerId update', async () => {
		const { crm, api, calls } = setup();
		api
			.patch(`${API}/sobjects/Opportunity/${DEAL}`)
			.reply(record(calls, 204, ''))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([opportunity(DEAL, { OwnerId: OTHER_USER })])));
		const deal = await crm.changeOwner(DEAL, OTHER_USER);
		expect(calls[0].body).toEqual({ OwnerId: OTHER_USER });
		expect(deal.ownerId).toBe(OTHER_USER);
	});
});

describe('updateDeals (sObject Collections)', () => {
	const id = (n: number) => `006${String(n).padStart(12, '0')}`;

	it('chunks into requests of at most 200 with allOrNone false and returns one result per record', async () => {
		const { crm, api, calls } = setup();
		api
			.patch(`${API}/composite/sobjects`)
			.times(3)
			.reply(function (uri, body) {
				const records = (body as { records: Array<{ id: string }> }).records;
				record(calls, 200, null).call(this, uri, JSON.stringify(body));
				return [
					200,
					records.map((r) =>
						r.id === id(201) ? { id: null, success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no', fields: ['StageName'] }] } : { id: r.id, success: true, errors: [] },
					),
				];
			});
		const updates = Array.from({ length: 450 }, (_, i) => ({ id: id(i + 1), stage: 'Closed Won' }));
		const results = await crm.updateDeals(updates);
		const sent = calls.map((c) => (c.body as { allOrNone: boolean; records: Array<Record<string, unknown>> }));
		expect(sent.map((b) => b.records.length)).toEqual([COLLECTION_CHUNK, COLLECTION_CHUNK, 50]);
		expect(sent.every((b) => b.allOrNone === false)).toBe(true);
		expect(sent[0].records[0]).toEqual({ attributes: { type: 'Opportunity' }, id: id(1), StageName: 'Closed Won' });
		expect(results).toHaveLength(450);
		expect(results[200]).toEqual({ id: id(201), ok: false, error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: no (StageName)' });
		expect(results.filter((r) => r.ok)).toHaveLength(449);
	});

	it('reports a failed chunk per record and keeps the other chunks results; auth failures throw', async () => {
		const { crm, api } = setup({ dailyLimitReserve: 0 });
		api.patch(`${API}/composite/sobjects`).reply(200, [{ id: id(1), success: true }]);
		api.patch(`${API}/composite/sobjects`).times(4).reply(500, sfError('SERVER_ERROR', 'boom'));
		const updates = Array.from({ length: 201 }, (_, i) => ({ id: id(i + 1), ownerId: USER_ID }));
		const results = await crm.updateDeals(updates);
		expect(results[0]).toEqual({ id: id(1), ok: true });
		expect(results[1]).toMatchObject({ ok: false });
		expect(results[200]).toMatchObject({ id: id(201), ok: false, error: expect.stringContaining('SERVER_ERROR') });

		api.patch(`${API}/composite/sobjects`).reply(403, sfError('API_DISABLED_FOR_ORG', 'API is not enabled'));
		await expect(crm.updateDeals([{ id: id(1), stage: 'x' }])).rejects.toMatchObject({ kind: 'auth' });
	});

	it('validates every update (and duplicates) before any request; an empty list sends nothing', async () => {
		const { crm, tokens } = setup();
		expect(await crm.updateDeals([])).toEqual([]);
		await expect(crm.updateDeals([{ id: id(1), stage: 'a' }, { id: 'bad', stage: 'b' }])).rejects.toMatchObject({ field: 'updates.1.id' });
		await expect(crm.updateDeals([{ id: id(1), stage: 'a' }, { id: id(1), stage: 'b' }])).rejects.toMatchObject({ field: 'updates.1.id' });
		await expect(crm.updateDeals([{ id: id(1) }])).rejects.toMatchObject({ field: 'updates.0' });
		await expect(crm.updateDeals({} as never)).rejects.toMatchObject({ field: 'updates' });
		expect(tokens).toHaveLength(0);
	});
});
