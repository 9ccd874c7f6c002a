import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';
import { brokenStore, executeContext, receiptsIn, recordReceipt, storeIsEmpty, tempStore, type Params } from './__tests__/receiptKit';
import { effectIds, pick, receiptFields, type SideEffects } from './receipt';
import { routeOperations, type OperationMap } from './router';

const node: INode = { id: '1', name: 'Create Widget', type: 'n8n-nodes-quote-to-cash.widget', typeVersion: 1, position: [0, 0], parameters: {} };

const sideEffects: SideEffects = {
	system: 'widgets',
	operations: { widget: { create: (json) => effectIds('acme.widget', json.id, pick(json, ['ownerId'])) } },
};

// The vendor: counts calls, so a test can tell whether the effect happened.
let calls: string[];
const operations: OperationMap<null> = {
	widget: {
		create: async (context, itemIndex) => {
			const id = String(context.getNodeParameter('widgetId', itemIndex, 'w_1'));
			calls.push(id);
			return { id, ownerId: 'own_1', secretToken: 'tok_should_never_be_recorded' } as IDataObject;
		},
		get: async () => ({ id: 'w_1' }),
	},
};

let store: ReturnType<typeof tempStore>;
beforeEach(() => {
	calls = [];
	store = tempStore();
});
afterEach(() => store.cleanup());

const create = (extra: Params = {}): Params => ({ resource: 'widget', operation: 'create', ...extra });
function run(items: Params[], options: { continueOnFail?: boolean; executionId?: string } = {}) {
	return routeOperations(executeContext(items, { node, ...options }), operations, async () => null, { sideEffects });
}

describe('Record Receipt in the router', () => {
	it('records the receipt before returning and puts { id, sha256, step } on the output', async () => {
		const [[item]] = await run([create(recordReceipt(store.dir))], { executionId: '42' });
		const [receipt] = await receiptsIn(store.dir);
		expect(receipt).toMatchObject({
			business_key: 'ORD-7',
			workflow_step: 'widgets.widget.create',
			outcome: 'succeeded',
			execution_id: '42',
			subject: { actor: 'system:n8n', node: 'Create Widget', nodeType: 'n8n-nodes-quote-to-cash.widget' },
			resource_ref: 'w_1',
			effect: { type: 'acme.widget', id: 'w_1', ownerId: 'own_1' },
		});
		expect(JSON.stringify(receipt)).not.toContain('tok_should_never_be_recorded');
		expect(item.json).toMatchObject({ id: 'w_1', receipt: { id: receipt.id, sha256: receipt.sha256, step: 'widgets.widget.create', sequence: receipt.sequence } });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('writes nothing with Record Receipt off, or for an operation without side effects', async () => {
		const [[off]] = await run([create({ receiptOptions: { storePath: store.dir } })]);
		const [[read]] = await run([{ resource: 'widget', operation: 'get', ...recordReceipt(store.dir) }]);
		expect(off.json).not.toHaveProperty('receipt');
		expect(read.json).not.toHaveProperty('receipt');
		expect(storeIsEmpty(store.dir)).toBe(true);
	});

	it('appends once when the same execution re-runs the item, and again for another execution or record', async () => {
		const params = create(recordReceipt(store.dir));
		const [[first]] = await run([params], { executionId: '42' });
		const [[retry]] = await run([params], { executionId: '42' });
		expect(calls).toEqual(['w_1', 'w_1']);
		expect(retry.json.receipt).toEqual(first.json.receipt);
		expect(await receiptsIn(store.dir)).toHaveLength(1);
		await run([params], { executionId: '43' });
		await run([{ ...params, widgetId: 'w_2' }], { executionId: '42' });
		expect((await receiptsIn(store.dir)).map((r) => [r.execution_id, r.resource_ref])).toEqual([
			['42', 'w_1'],
			['43', 'w_1'],
			['42', 'w_2'],
		]);
	});

	it('fails the item when the append fails, saying the effect happened and naming the record', async () => {
		const error = await run([create(recordReceipt(brokenStore(store.dir)))]).catch((e: unknown) => e);
		expect(calls).toEqual(['w_1']);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/effect happened but its receipt could not be recorded: widgets\.widget\.create of w_1, business key ORD-7/);
		expect((error as NodeOperationError).description).toMatch(/ENOTDIR.*resource ref "w_1"/);
	});

	it('with Continue On Fail, yields an error item that still carries the ids, and goes on', async () => {
		const broken = recordReceipt(brokenStore(store.dir));
		const [items] = await run([create(broken), create({ ...recordReceipt(store.dir), widgetId: 'w_2' })], { continueOnFail: true, executionId: '42' });
		expect(items[0].json).toMatchObject({
			error: expect.stringContaining('receipt could not be recorded'),
			unrecordedReceipt: { businessKey: 'ORD-7', step: 'widgets.widget.create', resourceRef: 'w_1', effect: { id: 'w_1', ownerId: 'own_1' }, executionId: '42' },
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ id: 'w_2', receipt: { step: 'widgets.widget.create' } });
	});

	it('checks the business key and step before the effect, so a bad one changes nothing', async () => {
		for (const receipt of [recordReceipt(store.dir, ' '), recordReceipt(store.dir, 'ORD-7', 'has spaces')]) {
			const error = await run([create(receipt)]).catch((e: unknown) => e);
			expect((error as Error).message).toMatch(/receiptBusinessKey|receiptOptions\.step/);
		}
		expect(calls).toEqual([]);
		expect(storeIsEmpty(store.dir)).toBe(true);
	});

	it('uses a custom step name when one is given', async () => {
		const [[item]] = await run([create(recordReceipt(store.dir, 'ORD-7', 'PROVISION_WIDGET'))]);
		expect(item.json.receipt).toMatchObject({ step: 'PROVISION_WIDGET' });
		expect((await receiptsIn(store.dir))[0].workflow_step).toBe('PROVISION_WIDGET');
	});
});

describe('Record Receipt parameters', () => {
	const fields = receiptFields({ system: 'widgets', operations: { widget: { create: sideEffects.operations.widget.create, delete: sideEffects.operations.widget.create } } });

	it('are off by default and shown only for the side-effecting operations; the rest only when on', () => {
		expect(fields.map((f) => f.name)).toEqual(['recordReceipt', 'receiptBusinessKey', 'receiptOptions']);
		expect(fields[0]).toMatchObject({ type: 'boolean', default: false, displayOptions: { show: { resource: ['widget'], operation: ['create', 'delete'] } } });
		for (const field of fields.slice(1)) expect(field.displayOptions?.show).toEqual({ resource: ['widget'], operation: ['create', 'delete'], recordReceipt: [true] });
		expect(fields[1]).toMatchObject({ required: true, default: '={{ $json.businessKey }}' });
		expect(fields[2].options?.map((o) => (o as { name: string }).name)).toEqual(['storePath', 'step']);
	});
});
