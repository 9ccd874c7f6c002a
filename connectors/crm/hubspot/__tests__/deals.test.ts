import nock from 'nock';
import { ConnectorError } from '../../../core';
import { PIPELINE_CACHE_MS, wonStageIds } from '../pipelines';
import { api, associations, BASE, capture, deal, hsError, makeCrm, PIPELINES, resetHubspot } from './helpers';

afterEach(resetHubspot);

const pipelines = () => api().get('/crm/v3/pipelines/deals').reply(200, PIPELINES);

describe('wonStageIds', () => {
	it('takes closed stages with probability 1 from every pipeline, never a hard-coded id', () => {
		expect([...wonStageIds(PIPELINES)].sort()).toEqual(['1002', 'closedwon']);
		expect(wonStageIds({ results: [{ id: 'p', stages: [{ id: '9', metadata: { isClosed: 'false', probability: '1.0' } }] }] }).size).toBe(0);
		expect(wonStageIds(null).size).toBe(0);
		expect([...wonStageIds(PIPELINES.results)]).toContain('1002');
	});
});

describe('getDeal', () => {
	it('reads the deal with its properties, primary company and stage meaning (default pipeline)', async () => {
		let query: Record<string, unknown> = {};
		api()
			.get('/crm/v3/objects/deals/5')
			.query((q) => {
				query = q;
				return true;
			})
			.reply(200, deal('5', { subscription_id: 'sub_1' }));
		pipelines();
		api().get('/crm/v4/objects/deals/5/associations/companies').query(true).reply(200, associations(['9', '10'], '10'));
		const { crm } = makeCrm();
		const result = await crm.getDeal('5', ['subscription_id']);
		expect(String(query.properties).split(',')).toEqual(expect.arrayContaining(['dealname', 'amount', 'deal_currency_code', 'dealstage', 'pipeline', 'hs_lastmodifieddate', 'subscription_id']));
		expect(result).toMatchObject({
			provider: 'hubspot',
			id: '5',
			name: 'Deal 5',
			amount: 12000.5,
			amountMinor: 1200050,
			currency: 'eur',
			stageId: 'closedwon',
			stageLabel: 'Closed Won',
			pipelineId: 'default',
			isClosed: true,
			isWon: true,
			closeDate: '2026-11-19',
			ownerId: '77',
			accountId: '10',
			modifiedAt: '2026-11-20T09:00:00.000Z',
			url: 'https://app.hubspot.com/contacts/4242/record/0-3/5',
		});
		expect(result.properties.subscription_id).toBe('sub_1');
		expect(nock.isDone()).toBe(true);
	});

	it('detects won in a custom pipeline with numeric stage ids, and not-won for closed-lost or certain-but-open stages', async () => {
		const cases: Array<[string, boolean, boolean]> = [
			['1002', true, true],
			['1003', true, false],
			['1004', false, false],
			['1001', false, false],
		];
		pipelines();
		const { crm } = makeCrm();
		for (const [stageId, closed, won] of cases) {
			api()
				.get('/crm/v3/objects/deals/8')
				.query(true)
				.reply(200, deal('8', { dealstage: stageId, pipeline: '7777', hs_is_closed_won: 'false' }));
			api().get('/crm/v4/objects/deals/8/associations/companies').query(true).reply(200, { results: [] });
			const result = await crm.getDeal('8');
			expect([stageId, result.isClosed, result.isWon]).toEqual([stageId, closed, won]);
			expect(result.accountId).toBeUndefined();
		}
	});

	it('re-reads pipelines once for an unknown stage, then falls back to hs_is_closed_won', async () => {
		const reads: unknown[] = [];
		api()
			.get('/crm/v3/pipelines/deals')
			.twice()
			.reply(() => {
				reads.push(1);
				return [200, PIPELINES];
			});
		api().get('/crm/v3/objects/deals/1').query(true).reply(200, deal('1'));
		api().get('/crm/v4/objects/deals/1/associations/companies').query(true).reply(200, { results: [] });
		api()
			.get('/crm/v3/objects/deals/3')
			.query(true)
			.reply(200, deal('3', { dealstage: '5555', pipeline: '8888', hs_is_closed_won: 'true', amount: '', deal_currency_code: null, closedate: null, hubspot_owner_id: null }));
		api().get('/crm/v4/objects/deals/3/associations/companies').query(true).reply(200, associations(['11']));
		const { crm } = makeCrm({ portalId: undefined });
		await crm.getDeal('1');
		expect(reads).toHaveLength(1);
		const result = await crm.getDeal('3');
		expect(reads).toHaveLength(2);
		expect(result).toMatchObject({ stageId: '5555', isWon: true, isClosed: true, accountId: '11' });
		expect(result.stageLabel).toBeUndefined();
		expect(result.amount).toBeUndefined();
		expect(result.url).toBeUndefined();
		expect(result.currency).toBeUndefined();
		expect(nock.isDone()).toBe(true);
	});

	it('caches pipelines for about five minutes per account', async () => {
		const reads: unknown[] = [];
		api()
			.get('/crm/v3/pipelines/deals')
			.times(2)
			.reply(() => {
				reads.push(1);
				return [200, PIPELINES];
			});
		api().get('/crm/v3/objects/deals/5').query(true).times(3).reply(200, deal('5'));
		api().get('/crm/v4/objects/deals/5/associations/companies').query(true).times(3).reply(200, { results: [] });
		const { crm, clock } = makeCrm();
		await crm.getDeal('5');
		await crm.getDeal('5');
		expect(reads).toHaveLength(1);
		clock.now += PIPELINE_CACHE_MS + 1;
		await crm.getDeal('5');
		expect(reads).toHaveLength(2);
	});

	it('validates the id and property names before any request', async () => {
		const { crm } = makeCrm();
		await expect(crm.getDeal('abc')).rejects.toMatchObject({ kind: 'validation', field: 'dealId' });
		await expect(crm.getDeal('5', ['bad name'])).rejects.toMatchObject({ kind: 'validation', field: 'properties.0' });
	});

	it('maps a missing deal to not_found', async () => {
		api().get('/crm/v3/objects/deals/404').query(true).reply(404, hsError('OBJECT_NOT_FOUND', 'resource not found'));
		const { crm } = makeCrm();
		const error = (await crm.getDeal('404').catch((e: unknown) => e)) as ConnectorError;
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error).toMatchObject({ kind: 'not_found', status: 404, code: 'OBJECT_NOT_FOUND' });
	});
});

describe('searchDeals', () => {
	it('sends text, limit, cursor and recent-first sort; maps results with one batch association read', async () => {
		const bodies: unknown[] = [];
		const assoc: unknown[] = [];
		api()
			.post('/crm/v3/objects/deals/search', capture(bodies))
			.reply(200, { total: 3, results: [deal('1'), deal('2', { dealstage: '1001', pipeline: '7777' })], paging: { next: { after: '2' } } });
		pipelines();
		api()
			.post('/crm/v4/associations/deals/companies/batch/read', capture(assoc))
			.reply(200, { status: 'COMPLETE', results: [{ from: { id: '1' }, to: associations(['20', '21'], '21').results }] });
		const { crm } = makeCrm();
		const page = await crm.searchDeals({ query: 'acme renewal', limit: 2, cursor: '0' });
		expect(bodies[0]).toMatchObject({ query: 'acme renewal', limit: 2, sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }] });
		expect((bodies[0] as { after?: string }).after).toBe('0');
		expect(assoc[0]).toEqual({ inputs: [{ id: '1' }, { id: '2' }] });
		expect(page.nextCursor).toBe('2');
		expect(page.items.map((d) => [d.id, d.isWon, d.accountId])).toEqual([
			['1', true, '21'],
			['2', false, undefined],
		]);
	});

	it('matches a numeric query on the record id or the name, and passes the cursor', async () => {
		const bodies: unknown[] = [];
		api().post('/crm/v3/objects/deals/search', capture(bodies)).reply(200, { total: 0, results: [] });
		const { crm } = makeCrm();
		const page = await crm.searchDeals({ query: '12345', cursor: '40' });
		expect(bodies[0]).toMatchObject({
			after: '40',
			limit: 20,
			filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: '12345' }] }, { filters: [{ propertyName: 'dealname', operator: 'CONTAINS_TOKEN' }] }],
		});
		expect((bodies[0] as { query?: string }).query).toBeUndefined();
		expect(page).toEqual({ items: [] });
	});

	it('rejects a bad limit or cursor before any request', async () => {
		const { crm } = makeCrm();
		await expect(crm.searchDeals({ limit: 500 })).rejects.toMatchObject({ kind: 'validation', field: 'search.limit' });
		await expect(crm.searchDeals({ cursor: 'abc' })).rejects.toMatchObject({ kind: 'validation', field: 'search.cursor' });
	});
});

describe('listWonDealsModifiedSince', () => {
	it('filters on the won stages of all pipelines and the modification time, ascending, ties by id', async () => {
		const bodies: Array<Record<string, unknown>> = [];
		pipelines();
		api()
			.post('/crm/v3/objects/deals/search', capture(bodies))
			.reply(200, {
				total: 3,
				results: [
					deal('30', { hs_lastmodifieddate: '2026-11-20T09:00:00.000Z' }),
					deal('4', { hs_lastmodifieddate: '2026-11-20T09:00:00.000Z', dealstage: '1002', pipeline: '7777' }),
					deal('2', { hs_lastmodifieddate: '2026-11-20T08:00:00.000Z' }),
				],
			});
		api().post('/crm/v4/associations/deals/companies/batch/read').reply(200, { results: [] });
		const { crm } = makeCrm();
		const deals = await crm.listWonDealsModifiedSince('2026-11-20T08:00:00.000Z', 50);
		expect(bodies[0]).toEqual({
			filterGroups: [
				{
					filters: [
						{ propertyName: 'dealstage', operator: 'IN', values: ['1002', 'closedwon'] },
						{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse('2026-11-20T08:00:00.000Z')) },
					],
				},
			],
			sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
			properties: expect.arrayContaining(['dealstage', 'hs_lastmodifieddate']),
			limit: 50,
		});
		expect(deals.map((d) => d.id)).toEqual(['2', '4', '30']);
		expect(deals.every((d) => d.isWon)).toBe(true);
	});

	it('pages with the search cursor until the limit', async () => {
		const bodies: Array<Record<string, unknown>> = [];
		pipelines();
		const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => deal(String(from + i)));
		api().post('/crm/v3/objects/deals/search', capture(bodies)).reply(200, { total: 260, results: many(1, 200), paging: { next: { after: '200' } } });
		api().post('/crm/v3/objects/deals/search', capture(bodies)).reply(200, { total: 260, results: many(201, 50), paging: { next: { after: '250' } } });
		api().post('/crm/v4/associations/deals/companies/batch/read').twice().reply(200, { results: [] });
		const { crm } = makeCrm();
		const deals = await crm.listWonDealsModifiedSince('2026-11-01T00:00:00Z', 250);
		expect(bodies.map((b) => [b.limit, b.after])).toEqual([
			[200, undefined],
			[50, '200'],
		]);
		expect(deals).toHaveLength(250);
		expect(nock.isDone()).toBe(true);
	});

	it('returns nothing without a request when no stage is won, and validates input first', async () => {
		api()
			.get('/crm/v3/pipelines/deals')
			.reply(200, { results: [{ id: 'p', stages: [{ id: 'open', label: 'Open', metadata: { isClosed: 'false', probability: '0.5' } }] }] });
		const { crm } = makeCrm();
		expect(await crm.listWonDealsModifiedSince('2026-11-01T00:00:00Z', 10)).toEqual([]);
		await expect(crm.listWonDealsModifiedSince('yesterday', 10)).rejects.toMatchObject({ kind: 'validation', field: 'sinceIso' });
		await expect(crm.listWonDealsModifiedSince('2026-11-01T00:00:00Z', 0)).rejects.toMatchObject({ kind: 'validation', field: 'limit' });
		expect(BASE).toMatch(/^http:\/\/127\.0\.0\.1/);
	});
});
