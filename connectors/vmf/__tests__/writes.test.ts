import nock from 'nock';
import { idempotencyKey, isConnectorError } from '../../core';
import { VmfClient } from '../client';
import { makeClient, MARKETPLACE, PLATFORM, sleeps, TOKEN, VTM } from './fixtures';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
	sleeps.length = 0;
});
afterAll(() => nock.enableNetConnect());

async function caught(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		if (isConnectorError(error)) return error;
		throw error;
	}
	throw new Error('expected a ConnectorError');
}

const ASSIGNMENT = 'AG-CQD6ZR6:MP-R7G3NP55T725DM5VGD:beff34a4-cccc-4be8-bd9';

describe('activation.resolve (Marketplace API)', () => {
	it('approves with the documented body and an idempotency key from business key + step', async () => {
		const key = idempotencyKey('ORD-1', 'vmf.activation.approve.act-1');
		const scope = nock(MARKETPLACE, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'idempotency-key': key } })
			.post('/activation/resolve/', { activation_id: 'act-1', business_id: 'AG-1', approved: true })
			.reply(202);
		const result = await makeClient().resolveActivation({ activationId: 'act-1', businessId: 'AG-1', approved: true, businessKey: 'ORD-1' });
		expect(result).toEqual({ activationId: 'act-1', businessId: 'AG-1', approved: true, rejectionReason: undefined, idempotencyKey: key });
		scope.done();
	});

	it('rejects with a reason, using the marketplace token when one is set', async () => {
		const scope = nock(MARKETPLACE, { reqheaders: { authorization: 'Bearer mp-token-abcdef' } })
			.post('/activation/resolve/', { activation_id: 'act-2', business_id: 'AG-2', addon_id: 'A-1', approved: false, rejection_reason: 'Policy blocked: unsigned' })
			.reply(202);
		const result = await makeClient({ marketplaceAccessToken: 'mp-token-abcdef' }).resolveActivation({
			activationId: 'act-2',
			businessId: 'AG-2',
			addonId: 'A-1',
			approved: false,
			rejectionReason: 'Policy blocked: unsigned',
		});
		expect(result.idempotencyKey).toBe(idempotencyKey('act-2', 'vmf.activation.reject.act-2'));
		scope.done();
	});

	it('demands a reason to reject, before any call', async () => {
		const error = await caught(makeClient().resolveActivation({ activationId: 'a', businessId: 'b', approved: false }));
		expect(error.field).toBe('resolveActivation.rejectionReason');
	});

	it('retries a 503 (the write carries a key) and maps Marketplace error bodies', async () => {
		nock(MARKETPLACE)
			.post('/activation/resolve/')
			.reply(503, 'unavailable', { 'Retry-After': '1' })
			.post('/activation/resolve/')
			.reply(400, { error_code: 'ALREADY_RESOLVED', message: 'dev message', human_readable_message: 'Activation already resolved' });
		const error = await caught(makeClient().resolveActivation({ activationId: 'a', businessId: 'b', approved: true }));
		expect(sleeps).toEqual([1000]);
		expect(error.kind).toBe('validation');
		expect(error.code).toBe('ALREADY_RESOLVED');
		expect(error.message).toContain('Activation already resolved');
	});
});

describe('subscriptionAssignment cancel / undoCancel (Platform API)', () => {
	it('cancels via actions/requestCancellation with reasons, comments and deactivation type', async () => {
		const key = idempotencyKey('ORD-1', `vmf.subscriptionAssignment.cancel.${ASSIGNMENT}`);
		const scope = nock(PLATFORM, { reqheaders: { 'idempotency-key': key, 'content-type': 'application/vnd.api+json' } })
			.post(`/subscriptionAssignments/${ASSIGNMENT}/actions/requestCancellation`, {
				reason: ['productWasAccidentallyActivated'],
				comments: 'compensation',
				deactivationType: 'immediate',
			})
			.reply(204);
		const result = await makeClient().cancelSubscriptionAssignment({
			assignmentId: ASSIGNMENT,
			businessKey: 'ORD-1',
			reasons: ['productWasAccidentallyActivated'],
			comments: 'compensation',
			deactivationType: 'immediate',
		});
		expect(result).toEqual({ assignmentId: ASSIGNMENT, action: 'cancel', idempotencyKey: key, deactivationType: 'immediate' });
		scope.done();
	});

	it('defaults to reason "other" and anniversary cancellation', async () => {
		const scope = nock(PLATFORM).post(`/subscriptionAssignments/${ASSIGNMENT}/actions/requestCancellation`, { reason: ['other'], deactivationType: 'cancel' }).reply(204);
		await makeClient().cancelSubscriptionAssignment({ assignmentId: ASSIGNMENT, businessKey: 'ORD-1' });
		scope.done();
	});

	it('undoes a cancellation with its own key', async () => {
		const key = idempotencyKey('ORD-1', `vmf.subscriptionAssignment.undoCancel.${ASSIGNMENT}`);
		const scope = nock(PLATFORM).post(`/subscriptionAssignments/${ASSIGNMENT}/actions/undoCancellation`).matchHeader('idempotency-key', key).reply(204);
		expect(await makeClient().undoCancelSubscriptionAssignment({ assignmentId: ASSIGNMENT, businessKey: 'ORD-1' })).toEqual({ assignmentId: ASSIGNMENT, action: 'undoCancel', idempotencyKey: key });
		scope.done();
	});

	it('rejects an id that is not location:product:activation, and unknown reasons', async () => {
		expect((await caught(makeClient().cancelSubscriptionAssignment({ assignmentId: 'AG-1', businessKey: 'k' }))).field).toBe('assignmentId');
		expect((await caught(makeClient().undoCancelSubscriptionAssignment({ assignmentId: 'a:b', businessKey: 'k' }))).field).toBe('assignmentId');
		expect((await caught(makeClient().cancelSubscriptionAssignment({ assignmentId: ASSIGNMENT, businessKey: 'k', reasons: ['bored' as never] }))).field).toBe('cancelSubscriptionAssignment.reasons.0');
		expect((await caught(makeClient().cancelSubscriptionAssignment({ assignmentId: ASSIGNMENT, businessKey: '' }))).field).toBe('cancelSubscriptionAssignment.businessKey');
	});

	it('maps 404 to not_found', async () => {
		nock(PLATFORM).post(`/subscriptionAssignments/${ASSIGNMENT}/actions/undoCancellation`).reply(404, { errors: [{ detail: 'no such assignment' }] });
		expect((await caught(makeClient().undoCancelSubscriptionAssignment({ assignmentId: ASSIGNMENT, businessKey: 'k' }))).kind).toBe('not_found');
	});
});

const task = (overrides: Record<string, unknown> = {}) => ({ id: 'TSK-1', projectId: 'PRJ-1', orderId: 'AG-1:ORD-1', title: 'Update pricing', status: 'open', ...overrides });

describe('VTM tasks', () => {
	it('lists an order\'s tasks with filters and the next cursor', async () => {
		const scope = nock(VTM, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/orders/AG-1:ORD-1/tasks')
			.query({ status: 'open', limit: '50' })
			.reply(200, { data: [task()], nextCursor: 'N2' });
		expect(await makeClient().listVtmTasks({ orderId: 'AG-1:ORD-1', status: 'open', limit: 50 })).toEqual({ tasks: [task()], nextCursor: 'N2' });
		scope.done();
	});

	it('lists a project\'s tasks, using the VTM token when set', async () => {
		const scope = nock(VTM, { reqheaders: { authorization: 'Bearer vtm-token-abcdef' } }).get('/projects/PRJ-1/tasks').query({ cursor: 'N2' }).reply(200, { data: [], nextCursor: null });
		expect(await makeClient({ vtmAccessToken: 'vtm-token-abcdef' }).listVtmTasks({ projectId: 'PRJ-1', cursor: 'N2' })).toEqual({ tasks: [], nextCursor: undefined });
		scope.done();
	});

	it('needs exactly one of orderId / projectId, and a VTM base URL', async () => {
		expect((await caught(makeClient().listVtmTasks({}))).field).toBe('listVtmTasks.orderId');
		expect((await caught(makeClient().listVtmTasks({ orderId: 'a', projectId: 'b' }))).field).toBe('listVtmTasks.orderId');
		expect((await caught(makeClient({ vtmBaseUrl: undefined }).listVtmTasks({ orderId: 'a' }))).field).toBe('vtmBaseUrl');
	});

	it('completes a task with a stable idempotency key and parses the task', async () => {
		const key = idempotencyKey('ORD-1', 'vmf.vtm.task.complete.TSK-1');
		const scope = nock(VTM)
			.post('/tasks/TSK-1/complete', { completedBy: 'n8n', note: 'provisioned' })
			.matchHeader('idempotency-key', key)
			.times(2)
			.reply(200, task({ status: 'done', completedAt: '2024-05-02T00:00:00Z' }));
		const client = makeClient();
		const first = await client.completeVtmTask({ taskId: 'TSK-1', businessKey: 'ORD-1', completedBy: 'n8n', note: 'provisioned' });
		const replay = await client.completeVtmTask({ taskId: 'TSK-1', businessKey: 'ORD-1', completedBy: 'n8n', note: 'provisioned' });
		expect(first.status).toBe('done');
		expect(replay).toEqual(first);
		scope.done();
	});

	it('maps a 409 on a blocked task to conflict and VTM error fields', async () => {
		nock(VTM).post('/tasks/TSK-1/complete').reply(409, { error: { code: 'invalid_state', message: 'task is blocked', field: 'status' } });
		const error = await caught(makeClient().completeVtmTask({ taskId: 'TSK-1', businessKey: 'ORD-1' }));
		expect(error).toMatchObject({ kind: 'conflict', code: 'invalid_state', field: 'status' });
		expect(error.message).toContain('task is blocked');
	});

	it('comments with a key that depends on the text', async () => {
		let seenKey = '';
		const scope = nock(VTM)
			.post('/tasks/TSK-1/comments', { body: 'Billing done', author: 'n8n' })
			.reply(201, function () {
				seenKey = String(this.req.headers['idempotency-key']);
				return { id: 'CMT-1', taskId: 'TSK-1', body: 'Billing done', author: 'n8n', createdAt: '2024-05-02T00:00:00Z' };
			});
		const comment = await makeClient().commentVtmTask({ taskId: 'TSK-1', businessKey: 'ORD-1', body: 'Billing done', author: 'n8n' });
		expect(comment.id).toBe('CMT-1');
		expect(seenKey).toMatch(/^q2c-vmf.vtm.task.comment.TSK-1/);
		const other = await caught(makeClient().commentVtmTask({ taskId: 'TSK-1', businessKey: 'ORD-1', body: '  ' }));
		expect(other.field).toBe('commentVtmTask.body');
		scope.done();
	});

	it('retries a 429 on a keyed write, honouring Retry-After', async () => {
		nock(VTM)
			.post('/tasks/TSK-1/comments')
			.reply(429, { error: { code: 'rate_limited', message: 'slow' } }, { 'Retry-After': '2' })
			.post('/tasks/TSK-1/comments')
			.reply(201, { id: 'CMT-2', taskId: 'TSK-1', body: 'x', createdAt: '2024-05-02T00:00:00Z' });
		await makeClient().commentVtmTask({ taskId: 'TSK-1', businessKey: 'ORD-1', body: 'x' });
		expect(sleeps).toEqual([2000]);
	});
});

describe('VmfClient', () => {
	it('refuses to start without an access token', () => {
		expect(() => new VmfClient({ accessToken: ' ' })).toThrow(/accessToken/);
	});

	it('defaults to Vendasta production URLs', async () => {
		const scope = nock('https://prod.apigateway.co').get('/platform/orders/AG-1:ORD-1').reply(200, { data: { id: 'AG-1:ORD-1', type: 'orders' } });
		const order = await new VmfClient({ accessToken: TOKEN }).getOrder('AG-1:ORD-1');
		expect(order.attributes.lineItems).toEqual([]);
		scope.done();
	});
});
