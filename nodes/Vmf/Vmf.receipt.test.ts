import nock from 'nock';
import { NodeOperationError, type INode } from 'n8n-workflow';
import { MARKETPLACE, ORDER_ID, orderDoc, PLATFORM, VTM } from '../../connectors/vmf/__tests__/fixtures';
import { brokenStore, executeContext, receiptsIn, recordReceipt, storeIsEmpty, tempStore, useNockWithoutNetwork, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Vmf } from './Vmf.node';

const FAKE_BEARER = 'receipt-test-value-123';
const credentials = { accessToken: FAKE_BEARER, partnerId: 'ABC', platformBaseUrl: PLATFORM, marketplaceBaseUrl: MARKETPLACE, vtmBaseUrl: VTM };
const node: INode = { id: '1', name: 'Cancel Assignment', type: 'n8n-nodes-quote-to-cash.vmf', typeVersion: 1, position: [0, 0], parameters: {} };
const ASSIGNMENT = 'AG-CQD6ZR6:MP-R7G3NP55T725DM5VGD:beff34a4-cccc-4be8-bd9';

const store = useTempStore();
useNockWithoutNetwork();

const run = (items: Params[], continueOnFail = false) => new Vmf().execute.call(executeContext(items, { node, credentials, continueOnFail, executionId: '5' }));
const cancel = { resource: 'subscriptionAssignment', operation: 'cancel', assignmentId: ASSIGNMENT, businessKey: 'ORD-7', deactivationType: 'immediate' };

describe('VMF: Record Receipt', () => {
	it('records each write with its step and record id, and puts the receipt on the output', async () => {
		nock(PLATFORM)
			.get(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc())
			.patch(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc({}, { statusCode: 'processing' }))
			.post(`/subscriptionAssignments/${ASSIGNMENT}/actions/requestCancellation`)
			.reply(204)
			.post(`/subscriptionAssignments/${ASSIGNMENT}/actions/undoCancellation`)
			.reply(204);
		nock(MARKETPLACE).post('/activation/resolve/').twice().reply(202);
		nock(VTM)
			.post('/tasks/T1/complete')
			.reply(200, { id: 'T1', projectId: 'P1', orderId: ORDER_ID, title: 'Billing', status: 'done' })
			.post('/tasks/T1/comments')
			.reply(201, { id: 'C1', taskId: 'T1', body: 'Provisioned', createdAt: '2026-01-01T00:00:00Z' });
		const on = recordReceipt(store.dir);
		const [items] = await run([
			{ resource: 'order', operation: 'updateStatus', orderId: { mode: 'id', value: ORDER_ID }, status: 'processing', businessKey: 'ORD-7', ...on },
			{ resource: 'activation', operation: 'approve', activationId: 'act-1', businessId: 'AG-1', businessKey: 'ORD-7', ...on },
			{ resource: 'activation', operation: 'reject', activationId: 'act-2', businessId: 'AG-1', rejectionReason: 'Policy blocked', businessKey: 'ORD-7', ...on },
			{ resource: 'vtmTask', operation: 'complete', taskId: 'T1', businessKey: 'ORD-7', ...on },
			{ resource: 'vtmTask', operation: 'comment', taskId: 'T1', comment: 'Provisioned', businessKey: 'ORD-7', ...on },
			{ ...cancel, ...on },
			{ resource: 'subscriptionAssignment', operation: 'undoCancel', assignmentId: ASSIGNMENT, businessKey: 'ORD-7', ...on },
		]);
		const receipts = await receiptsIn(store.dir);
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref, r.business_key, r.execution_id])).toEqual([
			['vmf.order.updateStatus', ORDER_ID, 'ORD-7', '5'],
			['vmf.activation.approve', 'act-1', 'ORD-7', '5'],
			['vmf.activation.reject', 'act-2', 'ORD-7', '5'],
			['vmf.vtmTask.complete', 'T1', 'ORD-7', '5'],
			['vmf.vtmTask.comment', 'C1', 'ORD-7', '5'],
			['vmf.subscriptionAssignment.cancel', ASSIGNMENT, 'ORD-7', '5'],
			['vmf.subscriptionAssignment.undoCancel', ASSIGNMENT, 'ORD-7', '5'],
		]);
		expect(receipts[0].effect).toEqual({ type: 'vmf.order', id: ORDER_ID, orderId: ORDER_ID, status: 'processing', previousStatus: 'submitted', changed: true });
		expect(receipts[2].effect).toEqual({ type: 'vmf.activation', id: 'act-2', activationId: 'act-2', businessId: 'AG-1', approved: false });
		expect(receipts[4].effect).toEqual({ type: 'vmf.vtmComment', id: 'C1', commentId: 'C1', taskId: 'T1' });
		expect(items.map((item) => item.json.receipt)).toEqual(receipts.map((r) => ({ id: r.id, sha256: r.sha256, step: r.workflow_step, sequence: r.sequence })));
	});

	it('fails the cancel naming the assignment when the store fails; Continue On Fail gives an error item with its id', async () => {
		nock(PLATFORM).post(`/subscriptionAssignments/${ASSIGNMENT}/actions/requestCancellation`).twice().reply(204);
		const broken = { ...cancel, ...recordReceipt(brokenStore(store.dir)) };
		const error = await run([broken]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain(`receipt could not be recorded: vmf.subscriptionAssignment.cancel of ${ASSIGNMENT}, business key ORD-7`);
		const [[item]] = await run([broken], true);
		expect(item.json).toMatchObject({ unrecordedReceipt: { resourceRef: ASSIGNMENT, effect: { assignmentId: ASSIGNMENT, action: 'cancel' }, executionId: '5' } });
	});

	it('does not append twice for a re-run of the same execution and item, and writes nothing when off', async () => {
		nock(PLATFORM).post(`/subscriptionAssignments/${ASSIGNMENT}/actions/requestCancellation`).times(3).reply(204);
		await run([{ ...cancel, ...recordReceipt(store.dir) }]);
		await run([{ ...cancel, ...recordReceipt(store.dir) }]);
		expect(await receiptsIn(store.dir)).toHaveLength(1);
		const other = tempStore();
		try {
			const [[item]] = await run([{ ...cancel, receiptBusinessKey: 'ORD-7', receiptOptions: { storePath: other.dir } }]);
			expect(item.json).not.toHaveProperty('receipt');
			expect(storeIsEmpty(other.dir)).toBe(true);
		} finally {
			other.cleanup();
		}
	});
});
