import { NodeOperationError, type INode } from 'n8n-workflow';
import { createCrmProvider, type CrmProvider } from '../../connectors/crm';
import { brokenStore, executeContext, receiptsIn, recordReceipt, storeIsEmpty, tempStore, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Crm } from './Crm.node';
import { clearCrmProviderCache } from './transport';

// The vendor connectors are replaced by a fake CrmProvider: these tests cover what the node records.
jest.mock('../../connectors/crm', () => ({ createCrmProvider: jest.fn() }));

const HUBSPOT_TEST_CREDENTIAL_VALUE = 'pat-na1-receipt-test-value-123456';
const credentials = { authentication: 'privateApp', accessToken: HUBSPOT_TEST_CREDENTIAL_VALUE, basePath: 'http://127.0.0.1:9/' };
const node: INode = { id: '1', name: 'Update Deal', type: 'n8n-nodes-quote-to-cash.crm', typeVersion: 1, position: [0, 0], parameters: {} };
const deal = (id: string) => ({ provider: 'hubspot', id, name: `Deal ${id}`, stageId: 'closedwon', ownerId: '777', isClosed: true, isWon: true, modifiedAt: '2026-01-01T00:00:00Z', properties: {} });

let provider: Record<string, jest.Mock>;
const store = useTempStore();
beforeEach(() => {
	clearCrmProviderCache();
	provider = {
		updateDeal: jest.fn(async (id: string) => deal(id)),
		changeOwner: jest.fn(async (id: string) => deal(id)),
		updateDeals: jest.fn(async () => [
			{ id: 'd1', ok: true },
			{ id: 'd2', ok: false, error: 'locked' },
			{ id: 'd3', ok: true },
		]),
		createTask: jest.fn(async (input: { dealId: string; subject: string }) => ({ provider: 'hubspot', id: 't1', subject: input.subject, dealId: input.dealId, created: true })),
	};
	(createCrmProvider as jest.Mock).mockReturnValue({ name: 'hubspot', ...provider } as unknown as CrmProvider);
});

const locator = (value: string) => ({ __rl: true, mode: 'id', value });
const params = {
	update: { resource: 'deal', operation: 'update', dealId: locator('d1'), stage: 'closedwon' },
	updateMany: { resource: 'deal', operation: 'updateMany', updates: '[{"id":"d1","stage":"s"},{"id":"d2","stage":"s"},{"id":"d3","stage":"s"}]' },
	changeOwner: { resource: 'deal', operation: 'changeOwner', dealId: locator('d1'), ownerId: locator('777') },
	task: { resource: 'task', operation: 'create', businessKey: 'ORD-7:handoff', dealId: locator('d1'), subject: 'Hand-off' },
};
const run = (items: Params[], continueOnFail = false, executionId = '31') =>
	new Crm().execute.call(executeContext(items.map((item) => ({ provider: 'hubspot', ...item })), { node, credentials, continueOnFail, executionId }));

describe('CRM: Record Receipt', () => {
	it('records each write with its step, business key and the record ids, and puts the receipt on every output item', async () => {
		const [output] = await run(Object.values(params).map((item) => ({ ...item, ...recordReceipt(store.dir) })));
		const receipts = await receiptsIn(store.dir);
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref, r.business_key])).toEqual([
			['crm.deal.update', 'd1', 'ORD-7'],
			['crm.deal.updateMany', 'd1,d3', 'ORD-7'],
			['crm.deal.changeOwner', 'd1', 'ORD-7'],
			['crm.task.create', 't1', 'ORD-7'],
		]);
		expect(receipts.map((r) => r.effect)).toEqual([
			{ type: 'crm.deal', id: 'd1', provider: 'hubspot', stageId: 'closedwon', ownerId: '777' },
			{ type: 'crm.deals', id: 'd1,d3', updated: ['d1', 'd3'], failed: ['d2'] },
			{ type: 'crm.deal', id: 'd1', provider: 'hubspot', ownerId: '777' },
			{ type: 'crm.task', id: 't1', provider: 'hubspot', dealId: 'd1', created: true },
		]);
		// updateMany: three output items for one input item, each with the one receipt.
		expect(output.map((item) => [item.pairedItem, (item.json.receipt as { id: string }).id])).toEqual([
			[{ item: 0 }, receipts[0].id],
			[{ item: 1 }, receipts[1].id],
			[{ item: 1 }, receipts[1].id],
			[{ item: 1 }, receipts[1].id],
			[{ item: 2 }, receipts[2].id],
			[{ item: 3 }, receipts[3].id],
		]);
	});

	it('does not append twice when the same execution runs the task again; writes nothing when off', async () => {
		await run([{ ...params.task, ...recordReceipt(store.dir) }]);
		await run([{ ...params.task, ...recordReceipt(store.dir) }]);
		expect(await receiptsIn(store.dir)).toHaveLength(1);
		const other = tempStore();
		try {
			const [[item]] = await run([{ ...params.update, recordReceipt: false, receiptBusinessKey: 'ORD-7', receiptOptions: { storePath: other.dir } }]);
			expect(item.json).not.toHaveProperty('receipt');
			expect(storeIsEmpty(other.dir)).toBe(true);
		} finally {
			other.cleanup();
		}
	});

	it('fails the update naming the deal when the store fails; Continue On Fail gives an error item with its ids', async () => {
		const broken = recordReceipt(brokenStore(store.dir));
		const error = await run([{ ...params.update, ...broken }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('receipt could not be recorded: crm.deal.update of d1, business key ORD-7');
		const [[item]] = await run([{ ...params.update, ...broken }], true);
		expect(item.json).toMatchObject({ unrecordedReceipt: { resourceRef: 'd1', effect: { id: 'd1', provider: 'hubspot' } } });
		expect(provider.updateDeal).toHaveBeenCalledTimes(2);
	});
});
