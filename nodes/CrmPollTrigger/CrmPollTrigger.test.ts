import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApiError, NodeOperationError, type IPollFunctions } from 'n8n-workflow';
import { ConnectorError } from '../../connectors/core';
import type { CrmDeal, CrmProvider } from '../../connectors/crm/types';
import { crmProviderFor } from '../Crm/transport';
import { CrmPollTrigger } from './CrmPollTrigger.node';

jest.mock('../Crm/transport', () => ({ ...jest.requireActual('../Crm/transport'), crmProviderFor: jest.fn() }));

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

function deal(id: string, at: number, provider: 'salesforce' | 'hubspot' = 'hubspot', isWon = true): CrmDeal {
	return { provider, id, name: `Deal ${id}`, stageId: '123', isClosed: isWon, isWon, modifiedAt: new Date(at).toISOString(), properties: {} };
}

/** A CRM holding deals; listWonDealsModifiedSince answers inclusively, oldest first, ties by id. */
let stored: CrmDeal[];
let listCalls: Array<[string, number]>;
let failNext: Error | undefined;
const provider = () =>
	({
		name: 'hubspot',
		listWonDealsModifiedSince: jest.fn(async (since: string, limit: number) => {
			listCalls.push([since, limit]);
			if (failNext) throw failNext;
			return stored
				.filter((d) => d.isWon && Date.parse(d.modifiedAt) >= Date.parse(since))
				.sort((a, b) => a.modifiedAt.localeCompare(b.modifiedAt) || a.id.localeCompare(b.id))
				.slice(0, limit);
		}),
		searchDeals: jest.fn(async () => ({ items: [...stored].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt)) })),
	}) as unknown as CrmProvider;

let dir: string;
let now: number;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'crm-poll-'));
	stored = [];
	listCalls = [];
	failNext = undefined;
	now = T0;
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	(crmProviderFor as jest.Mock).mockReset().mockImplementation(async () => provider());
});
afterEach(() => {
	jest.restoreAllMocks();
	rmSync(dir, { recursive: true, force: true });
});

function context(staticData: Record<string, unknown>, call: { mode?: string; provider?: string; options?: Record<string, unknown>; budgetMs?: number } = {}) {
	const params: Record<string, unknown> = { provider: call.provider ?? 'hubspot', event: 'dealWon', options: { dedupeDir: dir, ...call.options } };
	return {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		getMode: () => call.mode ?? 'trigger',
		getPollBudgetMs: () => call.budgetMs ?? 300_000,
		getNode: () => ({ name: 'CRM Poll Trigger', type: 'n8n-nodes-quote-to-cash.crmPollTrigger', typeVersion: 1, parameters: {} }),
	} as unknown as IPollFunctions;
}

const trigger = new CrmPollTrigger();
const poll = (staticData: Record<string, unknown>, call?: Parameters<typeof context>[1]) => trigger.poll.call(context(staticData, call));

describe('CRM Poll Trigger', () => {
	it('stores a cursor on the first poll, then emits each newly won deal once with the shared item shape', async () => {
		const data: Record<string, unknown> = {};
		stored.push(deal('old', T0 - 5_000));
		expect(await poll(data)).toBeNull();
		expect(data).toEqual({ provider: 'hubspot', cursor: { since: new Date(T0).toISOString(), boundaryIds: [] } });

		stored.push(deal('901', T0 + 10_000));
		now = T0 + 60_000;
		const result = await poll(data);
		expect(result?.[0]).toHaveLength(1);
		expect(result?.[0][0].json).toEqual({
			provider: 'hubspot',
			event: 'deal.won',
			deal: stored[1],
			dealId: '901',
			businessKey: '901',
			deliveryId: 'hubspot:901:won',
			receivedAt: new Date(now).toISOString(),
		});
		expect(data.cursor).toEqual({ since: new Date(T0 + 10_000).toISOString(), boundaryIds: ['901'] });

		now += 60_000;
		expect(await poll(data)).toBeNull();
	});

	it('does not fire again for a won deal edited later, even after a restart with a fresh static data copy', async () => {
		const data: Record<string, unknown> = {};
		await poll(data);
		stored.push(deal('901', T0 + 1_000));
		now = T0 + 10_000;
		expect(await poll(data)).toHaveLength(1);
		stored[0] = deal('901', T0 + 20_000);
		now = T0 + 30_000;
		expect(await poll({ ...data })).toBeNull();
	});

	it('honours the first-poll lookback, page size and max pages options', async () => {
		for (let i = 0; i < 5; i++) stored.push(deal(`d${i}`, T0 - 3_600_000 + i * 1000));
		const data: Record<string, unknown> = {};
		const first = await poll(data, { options: { initialLookbackHours: 2, pageSize: 2, maxPages: 1, overlapSeconds: 0 } });
		expect(first?.[0].map((i) => i.json.dealId)).toEqual(['d0', 'd1']);
		expect(listCalls).toEqual([[new Date(T0 - 7_200_000).toISOString(), 2]]);
		const rest = await poll(data, { options: { pageSize: 10, overlapSeconds: 0 } });
		expect(rest?.[0].map((i) => i.json.dealId)).toEqual(['d2', 'd3', 'd4']);
	});

	it('stops paging when half of the engine\'s poll budget is spent and drains the rest next time', async () => {
		const data: Record<string, unknown> = { provider: 'hubspot', cursor: { since: new Date(T0).toISOString(), boundaryIds: [] } };
		for (let i = 0; i < 6; i++) stored.push(deal(`d${i}`, T0 + 1000 * (i + 1)));
		(Date.now as jest.Mock).mockImplementation(() => (now += 600));
		const first = await poll(data, { budgetMs: 1000, options: { pageSize: 2, overlapSeconds: 0 } });
		expect(first?.[0].map((i) => i.json.dealId)).toEqual(['d0', 'd1']);
		const rest = await poll(data, { options: { pageSize: 2, overlapSeconds: 0 } });
		expect(rest?.[0].map((i) => i.json.dealId)).toEqual(['d2', 'd3', 'd4', 'd5']);
	});

	it('starts over when the provider is switched', async () => {
		const data: Record<string, unknown> = { provider: 'salesforce', cursor: { since: new Date(T0 - 86_400_000).toISOString(), boundaryIds: [] } };
		await poll(data);
		expect(data).toMatchObject({ provider: 'hubspot', cursor: { since: new Date(T0).toISOString() } });
		expect(crmProviderFor).toHaveBeenCalledWith(expect.anything(), 'hubspot');
	});

	it('returns the latest won deal as a sample in manual mode without moving the cursor or claiming it', async () => {
		stored.push(deal('a', T0 - 9_000), deal('b', T0 - 1_000), deal('open', T0, 'hubspot', false));
		const data: Record<string, unknown> = { provider: 'hubspot', cursor: { since: new Date(T0 - 500).toISOString(), boundaryIds: [] } };
		const before = JSON.stringify(data);
		const sample = await poll(data, { mode: 'manual' });
		expect(sample?.[0].map((i) => i.json.dealId)).toEqual(['b']);
		expect(JSON.stringify(data)).toBe(before);
		// Not claimed: the active poll still reports it once.
		const active = await poll({ provider: 'hubspot', cursor: { since: new Date(T0 - 2_000).toISOString(), boundaryIds: [] } }, { options: { overlapSeconds: 0 } });
		expect(active?.[0].map((i) => i.json.dealId)).toEqual(['b']);
	});

	it('explains an empty CRM in manual mode', async () => {
		await expect(poll({}, { mode: 'manual' })).rejects.toThrow(NodeOperationError);
		await expect(poll({}, { mode: 'manual' })).rejects.toThrow('No won deal found');
	});

	it('keeps the cursor and turns vendor errors into node errors when the CRM fails', async () => {
		const data: Record<string, unknown> = { provider: 'hubspot', cursor: { since: new Date(T0).toISOString(), boundaryIds: ['x'] } };
		failNext = new ConnectorError('rate_limited', 'HubSpot 429', { status: 429, vendor: 'hubspot' });
		await expect(poll(data)).rejects.toThrow(NodeApiError);
		expect(data.cursor).toEqual({ since: new Date(T0).toISOString(), boundaryIds: ['x'] });
	});
});
