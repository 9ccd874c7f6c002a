import nock from 'nock';
import { idempotencyKey, isConnectorError } from '../../core';
import { customFieldsDoc, makeClient, ORDER_ID, orderDoc, PLATFORM, sleeps, TOKEN } from './fixtures';

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

describe('orders.get', () => {
	it('GETs /orders/{id} with the bearer token and JSON:API accept header, keeping ":" readable', async () => {
		const scope = nock(PLATFORM, { reqheaders: { authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.api+json' } })
			.get(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc(), { 'Content-Type': 'application/vnd.api+json' });
		const order = await makeClient().getOrder(ORDER_ID);
		expect(order.id).toBe(ORDER_ID);
		expect(order.attributes.lineItems).toHaveLength(3);
		expect(order.attributes.statusCode).toBe('submitted');
		scope.done();
	});

	it('rejects a malformed id before any call', async () => {
		const error = await caught(makeClient().getOrder('AG-1/../admin'));
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('orderId');
	});

	it('maps a JSON:API 404 to not_found with the vendor detail', async () => {
		nock(PLATFORM)
			.get(`/orders/${ORDER_ID}`)
			.reply(404, { errors: [{ status: '404', code: 'NotFound', title: 'Not Found', detail: 'order not found' }] });
		const error = await caught(makeClient().getOrder(ORDER_ID));
		expect(error.kind).toBe('not_found');
		expect(error.code).toBe('NotFound');
		expect(error.message).toContain('order not found');
	});

	it('retries NotReady (transient) and 429 honouring Retry-After, then succeeds', async () => {
		const scope = nock(PLATFORM)
			.get(`/orders/${ORDER_ID}`)
			.reply(400, { errors: [{ code: 'NotReady', detail: 'account is replicating' }] })
			.get(`/orders/${ORDER_ID}`)
			.reply(429, { errors: [{ detail: 'slow down' }] }, { 'Retry-After': '3' })
			.get(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc());
		const order = await makeClient().getOrder(ORDER_ID);
		expect(order.id).toBe(ORDER_ID);
		expect(sleeps).toEqual([10, 3000]);
		scope.done();
	});

	it('maps 401 to auth and never leaks the token in the error', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(401, { errors: [{ detail: `bad token ${TOKEN}` }] });
		const error = await caught(makeClient().getOrder(ORDER_ID));
		expect(error.kind).toBe('auth');
		expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
	});

	it('fails on a response that is not an order', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(200, { data: { type: 'orders' } });
		const error = await caught(makeClient().getOrder(ORDER_ID));
		expect(error.kind).toBe('permanent');
		expect(error.field).toBe('response.data.id');
	});

	it('reads custom fields and the combined order + fields', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(200, orderDoc()).get(`/orders/${ORDER_ID}/customFields`).reply(200, customFieldsDoc());
		const result = await makeClient().getOrderWithCustomFields(ORDER_ID);
		expect(result.order.id).toBe(ORDER_ID);
		expect(result.customFields).toHaveLength(9);
		expect(result.customFields[3]).toMatchObject({ fieldID: 'FieldID-term', integerValue: 12 });
	});
});

describe('orders.list', () => {
	it('filters by the credential partner and returns the next cursor from links.next', async () => {
		const scope = nock(PLATFORM)
			.get('/orders')
			.query({ 'filter[partner.id]': 'ABC', 'page[limit]': '5' })
			.reply(200, { data: [orderDoc().data], links: { next: `${PLATFORM}/orders?page%5Bcursor%5D=CUR-2&filter%5Bpartner.id%5D=ABC` } });
		const page = await makeClient().listOrders({ limit: 5 });
		expect(page.orders.map((o) => o.id)).toEqual([ORDER_ID]);
		expect(page.nextCursor).toBe('CUR-2');
		scope.done();
	});

	it('passes cursor and business location; no next link means the last page', async () => {
		nock(PLATFORM)
			.get('/orders')
			.query({ 'filter[partner.id]': 'XYZ', 'filter[businessLocation.id]': 'AG-1', 'page[cursor]': 'CUR-2' })
			.reply(200, { data: [] });
		const page = await makeClient().listOrders({ partnerId: 'XYZ', businessLocationId: 'AG-1', cursor: 'CUR-2' });
		expect(page).toEqual({ orders: [], nextCursor: undefined });
	});

	it('needs a partner id', async () => {
		const error = await caught(makeClient({ partnerId: undefined }).listOrders());
		expect(error.field).toBe('listOrders.partnerId');
	});
});

describe('orders.updateStatus (lifecycle)', () => {
	it('approves a submitted order with PATCH, JSON:API body and a stable idempotency key', async () => {
		const expectedKey = idempotencyKey(ORDER_ID, 'vmf.order.status.processing');
		let body: unknown;
		const scope = nock(PLATFORM)
			.get(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc())
			.patch(`/orders/${ORDER_ID}`, (b) => {
				body = b;
				return true;
			})
			.matchHeader('idempotency-key', expectedKey)
			.matchHeader('content-type', 'application/vnd.api+json')
			.reply(200, orderDoc({}, { statusCode: 'processing' }));
		const result = await makeClient().updateOrderStatus({ orderId: ORDER_ID, status: 'processing' });
		expect(body).toEqual({ data: { type: 'orders', id: ORDER_ID, attributes: { statusCode: 'processing' } } });
		expect(result).toMatchObject({ previousStatus: 'submitted', changed: true, idempotencyKey: expectedKey });
		expect(result.order.attributes.statusCode).toBe('processing');
		scope.done();
	});

	it('is a no-op when the order already has the status (a replay)', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(200, orderDoc({}, { statusCode: 'fulfilled' }));
		const result = await makeClient().updateOrderStatus({ orderId: ORDER_ID, status: 'fulfilled', businessKey: 'C-1' });
		expect(result.changed).toBe(false);
		expect(result.idempotencyKey).toBe(idempotencyKey('C-1', 'vmf.order.status.fulfilled'));
	});

	it('refuses a transition the lifecycle does not allow, without writing', async () => {
		nock(PLATFORM).get(`/orders/${ORDER_ID}`).reply(200, orderDoc({}, { statusCode: 'declined' }));
		const error = await caught(makeClient().updateOrderStatus({ orderId: ORDER_ID, status: 'fulfilled' }));
		expect(error.kind).toBe('conflict');
		expect(error.code).toBe('invalid_transition');
		expect(error.message).toContain('allowed: archived');
	});

	it('rejects an unknown status before any call', async () => {
		const error = await caught(makeClient().updateOrderStatus({ orderId: ORDER_ID, status: 'shipped' as never }));
		expect(error.field).toBe('updateOrderStatus.status');
	});

	it('does not retry a non-2xx PATCH blindly: 409 surfaces as conflict', async () => {
		nock(PLATFORM)
			.get(`/orders/${ORDER_ID}`)
			.reply(200, orderDoc({}, { statusCode: 'processing' }))
			.patch(`/orders/${ORDER_ID}`)
			.reply(409, { errors: [{ code: 'conflict', detail: 'order changed' }] });
		const error = await caught(makeClient().updateOrderStatus({ orderId: ORDER_ID, status: 'fulfilled' }));
		expect(error.kind).toBe('conflict');
		expect(error.status).toBe(409);
	});
});
