import nock from 'nock';
import { NodeApiError, NodeOperationError, type IExecuteFunctions, type ILoadOptionsFunctions } from 'n8n-workflow';
import { customFieldsDoc, ORDER_ID, orderDoc, PLATFORM, VTM } from '../../connectors/vmf/__tests__/fixtures';
import { Vmf } from './Vmf.node';

const FAKE_BEARER = 'node-test-value-123';
const credentials = { accessToken: FAKE_BEARER, partnerId: 'ABC', platformBaseUrl: PLATFORM, marketplaceBaseUrl: 'https://mp.vmf.test', vtmBaseUrl: VTM };

function context(items: Record<string, unknown>[], continueOnFail = false) {
	return {
		getInputData: () => items.map(() => ({ json: {} })),
		getNodeParameter: (name: string, index: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const value = items[index][name];
			if (value === undefined) return fallback;
			if (options?.extractValue && value && typeof value === 'object') return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async () => credentials,
		continueOnFail: () => continueOnFail,
		getNode: () => ({ name: 'VMF', type: 'n8n-nodes-quote-to-cash.vmf', typeVersion: 1, position: [0, 0], parameters: {} }),
	} as unknown as IExecuteFunctions;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const node = new Vmf();

describe('VMF node', () => {
	it('order.get puts the normalized contract at the top level and the raw order under `order`', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(200, orderDoc()).get(`/orders/${ORDER_ID}/customFields`).reply(200, customFieldsDoc());
		const [[item]] = await node.execute.call(context([{ resource: 'order', operation: 'get', orderId: { mode: 'id', value: ORDER_ID } }]));
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ businessKey: ORDER_ID, orderId: ORDER_ID, partnerId: 'ABC', currency: 'usd', totalAmount: 10000, termMonths: 12, tier: 'world_class' });
		expect((item.json.order as Record<string, unknown>).id).toBe(ORDER_ID);
		expect((item.json.order as Record<string, unknown>).customFields).toHaveLength(9);
	});

	it('a contract with a missing field fails as NodeOperationError naming it; continueOnFail yields an error item', async () => {
		const fields = customFieldsDoc().data.attributes.partnerFields.filter((f) => f.externalId !== 'q2c-customer-email');
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).twice().reply(200, orderDoc()).get(`/orders/${ORDER_ID}/customFields`).twice().reply(200, customFieldsDoc(fields));
		const params = [{ resource: 'order', operation: 'get', orderId: { mode: 'id', value: ORDER_ID } }];
		await expect(node.execute.call(context(params))).rejects.toThrow(NodeOperationError);
		const [[item]] = await node.execute.call(context(params, true));
		expect(item.json).toMatchObject({ kind: 'validation', field: 'customFields.q2c-customer-email' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('vendor failures surface as NodeApiError', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(403, { errors: [{ detail: 'missing scope order' }] });
		await expect(node.execute.call(context([{ resource: 'order', operation: 'get', orderId: { mode: 'id', value: ORDER_ID } }]))).rejects.toThrow(NodeApiError);
	});

	it('vtmTask.list returns one item per task with taskId, then complete uses the business key', async () => {
		nock(VTM)
			.get(`/orders/${ORDER_ID}/tasks`)
			.query(true)
			.reply(200, { data: [{ id: 'T1', projectId: 'P', title: 'Billing', status: 'open' }, { id: 'T2', projectId: 'P', title: 'Super admin', status: 'open' }] })
			.post('/tasks/T1/complete')
			.reply(200, { id: 'T1', projectId: 'P', title: 'Billing', status: 'done' });
		const [listed] = await node.execute.call(context([{ resource: 'vtmTask', operation: 'list', scope: 'order', orderId: { mode: 'list', value: ORDER_ID }, returnAll: true }]));
		expect(listed.map((i) => i.json.taskId)).toEqual(['T1', 'T2']);
		const [[done]] = await node.execute.call(context([{ resource: 'vtmTask', operation: 'complete', taskId: 'T1', businessKey: ORDER_ID }]));
		expect(done.json).toMatchObject({ taskId: 'T1', status: 'done', businessKey: ORDER_ID });
	});

	it('order.updateStatus and order.list shape their output', async () => {
		nock(PLATFORM)
			.get(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc())
			.patch(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc({}, { statusCode: 'processing' }))
			.get('/orders')
			.query({ 'filter[partner.id]': 'ABC', 'page[limit]': '2' })
			.reply(200, { data: [orderDoc().data] });
		const [[updated]] = await node.execute.call(context([{ resource: 'order', operation: 'updateStatus', orderId: { mode: 'id', value: ORDER_ID }, status: 'processing', businessKey: 'C-1' }]));
		expect(updated.json).toMatchObject({ orderId: ORDER_ID, businessKey: 'C-1', status: 'processing', previousStatus: 'submitted', changed: true });
		const [listed] = await node.execute.call(context([{ resource: 'order', operation: 'list', returnAll: false, limit: 2 }]));
		expect(listed[0].json).toMatchObject({ orderId: ORDER_ID, status: 'submitted', currency: 'usd', accountGroupId: 'AG-1234567' });
	});

	it('listSearch finds orders by id text', async () => {
		nock(PLATFORM).get('/orders').query(true).reply(200, { data: [orderDoc().data, orderDoc({ id: 'AG-9:ORD-9' }).data], links: { next: `${PLATFORM}/orders?page[cursor]=NEXT` } });
		const ctx = { getCredentials: async () => credentials } as unknown as ILoadOptionsFunctions;
		const result = await node.methods.listSearch.searchOrders.call(ctx, 'ord-9');
		expect(result).toEqual({ results: [{ name: 'AG-9:ORD-9 (submitted)', value: 'AG-9:ORD-9' }], paginationToken: 'NEXT' });
	});

	it('describes every resource/operation the router knows', () => {
		const { properties } = node.description;
		expect(node.description.usableAsTool).toBe(true);
		const ops = properties.filter((p) => p.name === 'operation').flatMap((p) => (p.options as { value: string }[]).map((o) => `${p.displayOptions?.show?.resource?.[0]}.${o.value}`));
		expect(ops.sort()).toEqual(
			['activation.approve', 'activation.reject', 'order.get', 'order.list', 'order.updateStatus', 'subscriptionAssignment.cancel', 'subscriptionAssignment.undoCancel', 'vtmTask.comment', 'vtmTask.complete', 'vtmTask.list'].sort(),
		);
	});
});
