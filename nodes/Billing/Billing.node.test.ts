import nock from 'nock';
import { NodeApiError, NodeOperationError, type IExecuteFunctions, type ILoadOptionsFunctions, type INode } from 'n8n-workflow';
import { idempotencyKey } from '../../connectors/core';
import { BillingStripeApi } from '../../credentials/BillingStripeApi.credentials';
import { operations } from './actions';
import { Billing } from './Billing.node';

const SANDBOX = 'http://stripe-sandbox.test:12111';
const STRIPE_TEST_CREDENTIAL_VALUE = 'sk_test_nodeSecretKey123456';
const node: INode = { id: '1', name: 'Billing (Stripe)', type: 'n8n-nodes-quote-to-cash.billing', typeVersion: 1, position: [0, 0], parameters: {} };

function context(parameters: Record<string, unknown>, continueOnFail = false, items = 1): IExecuteFunctions {
	return {
		getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
		getNodeParameter: (name: string, _index: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const value = name in parameters ? parameters[name] : fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async () => ({ secretKey: STRIPE_TEST_CREDENTIAL_VALUE, baseUrl: `${SANDBOX}/` }),
		continueOnFail: () => continueOnFail,
		getNode: () => node,
	} as unknown as IExecuteFunctions;
}

function subscriptionJson(id: string) {
	return {
		id,
		object: 'subscription',
		customer: 'cus_1',
		status: 'active',
		currency: 'usd',
		created: 1_700_000_000,
		metadata: { q2c_business_key: 'ORD-7' },
		items: { object: 'list', data: [] },
	};
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Billing node description', () => {
	const billing = new Billing();
	it('is the billing node with its credential, usable as a tool', () => {
		expect(billing.description.name).toBe('billing');
		expect(billing.description.usableAsTool).toBe(true);
		expect(billing.description.credentials).toEqual([{ name: 'billingStripeApi', required: true }]);
	});

	it('has a handler for every resource/operation it offers', () => {
		const props = billing.description.properties;
		const resources = (props.find((p) => p.name === 'resource')?.options ?? []).map((o) => (o as { value: string }).value);
		const pairs = props
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []).map((o) => `${p.displayOptions?.show?.resource?.[0]}.${(o as { value: string }).value}`));
		expect(resources.sort()).toEqual(['checkout', 'customer', 'invoice', 'price', 'refund', 'subscription', 'usage']);
		expect(pairs.sort()).toEqual([
			'checkout.create',
			'checkout.expire',
			'checkout.get',
			'customer.findOrCreate',
			'invoice.get',
			'invoice.getPaymentDecline',
			'invoice.list',
			'invoice.preview',
			'price.getByLookupKey',
			'refund.create',
			'subscription.cancel',
			'subscription.create',
			'subscription.get',
			'subscription.update',
			'usage.get',
			'usage.report',
		]);
		const handled = Object.entries(operations).flatMap(([resource, ops]) => Object.keys(ops).map((op) => `${resource}.${op}`));
		expect(handled.sort()).toEqual(pairs.sort());
	});

	it('asks for a business key on every write', () => {
		// usage.report is keyed by its usage record ID instead.
		const writes = ['customer.findOrCreate', 'subscription.create', 'subscription.update', 'subscription.cancel', 'refund.create', 'checkout.create', 'checkout.expire'];
		const keyed = billing.description.properties
			.filter((p) => p.name === 'businessKey')
			.map((p) => `${p.displayOptions?.show?.resource?.[0]}.${p.displayOptions?.show?.operation?.[0]}`);
		expect(keyed.sort()).toEqual(writes.sort());
	});

	it('credential authenticates with Bearer and tests against the base URL', () => {
		const credential = new BillingStripeApi();
		expect(credential.name).toBe('billingStripeApi');
		expect(credential.authenticate.properties.headers?.Authorization).toBe('=Bearer {{$credentials.secretKey}}');
		expect(credential.test.request.url).toBe('/v1/balance');
		expect(credential.properties.map((p) => p.name)).toEqual(['secretKey', 'baseUrl', 'webhookSigningSecrets']);
	});
});

describe('Billing node execute', () => {
	const createParams = {
		resource: 'subscription',
		operation: 'create',
		businessKey: 'ORD-7',
		customerId: { __rl: true, mode: 'id', value: 'cus_1' },
		currency: 'usd',
		lineItems: '[{"sku":"PRO","quantity":1,"unitAmount":4900,"interval":"month"}]',
		priceMapping: { PRO: { productId: 'prod_PRO' } },
		options: { daysUntilDue: 14, metadata: '{"partner_id":"P-1"}' },
	};

	it('creates a subscription against the credential base URL and returns the summary with pairedItem', async () => {
		let body = '';
		let key: unknown;
		nock(SANDBOX)
			.get('/v1/subscriptions')
			.query(true)
			.reply(200, { object: 'list', data: [], has_more: false })
			.post('/v1/subscriptions')
			.reply(function (_uri, requestBody) {
				body = String(requestBody);
				key = this.req.headers['idempotency-key'];
				return [200, subscriptionJson('sub_7')];
			});
		const [output] = await new Billing().execute.call(context(createParams));
		const form = Object.fromEntries(new URLSearchParams(body));
		expect(form).toMatchObject({
			customer: 'cus_1',
			days_until_due: '14',
			'items[0][price_data][unit_amount]': '4900',
			'metadata[partner_id]': 'P-1',
			'metadata[q2c_business_key]': 'ORD-7',
		});
		expect(key).toBe(idempotencyKey('ORD-7', 'billing.subscription.create'));
		expect(output).toEqual([{ json: expect.objectContaining({ id: 'sub_7', created: true, businessKey: 'ORD-7' }), pairedItem: { item: 0 } }]);
		expect(JSON.stringify(output)).not.toContain(STRIPE_TEST_CREDENTIAL_VALUE);
	});

	it('names the field at fault for bad input, with no Stripe call', async () => {
		const error = await new Billing().execute.call(context({ ...createParams, lineItems: '[{"sku":"PRO","quantity":-1}]' })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('subscription.lineItems.0.quantity');
		const badJson = await new Billing().execute.call(context({ ...createParams, lineItems: '[{' })).catch((e: unknown) => e);
		expect((badJson as Error).message).toContain('"lineItems"');
	});

	it('with Continue On Fail, emits a secret-free error item per failed input', async () => {
		nock(SANDBOX).get('/v1/subscriptions/sub_1').reply(401, { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${STRIPE_TEST_CREDENTIAL_VALUE}` } });
		const [output] = await new Billing().execute.call(
			context({ resource: 'subscription', operation: 'get', subscriptionId: { __rl: true, mode: 'id', value: 'sub_1' } }, true),
		);
		expect(output[0].json).toMatchObject({ kind: 'auth', status: 401 });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(JSON.stringify(output)).not.toContain(STRIPE_TEST_CREDENTIAL_VALUE);
	});

	it('raises a NodeApiError for vendor failures', async () => {
		nock(SANDBOX).get('/v1/invoices/in_1').reply(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such invoice' } });
		const error = await new Billing().execute.call(context({ resource: 'invoice', operation: 'get', invoiceId: 'in_1' })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
	});

	it('lists invoices as one item each and refunds an invoice payment', async () => {
		nock(SANDBOX)
			.get('/v1/invoices')
			.query({ limit: '50', customer: 'cus_1' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{ id: 'in_1', object: 'invoice', currency: 'usd', total: 1, amount_due: 1, amount_paid: 0, amount_remaining: 1, created: 1, metadata: {} },
					{ id: 'in_2', object: 'invoice', currency: 'usd', total: 2, amount_due: 2, amount_paid: 0, amount_remaining: 2, created: 2, metadata: {} },
				],
			});
		const [invoices] = await new Billing().execute.call(
			context({ resource: 'invoice', operation: 'list', listBy: 'customer', customerId: { __rl: true, mode: 'list', value: 'cus_1' }, limit: 50 }),
		);
		expect(invoices.map((i) => i.json.id)).toEqual(['in_1', 'in_2']);

		let form: Record<string, string> = {};
		nock(SANDBOX)
			.get('/v1/invoice_payments')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [{ id: 'inpay_1', status: 'paid', payment: { type: 'payment_intent', payment_intent: 'pi_9' } }] })
			.post('/v1/refunds')
			.reply((_uri, requestBody) => {
				form = Object.fromEntries(new URLSearchParams(String(requestBody)));
				return [200, { id: 're_1', object: 'refund', amount: 2500, currency: 'usd', status: 'succeeded', payment_intent: 'pi_9', created: 1, metadata: {} }];
			});
		const [refunds] = await new Billing().execute.call(
			context({ resource: 'refund', operation: 'create', businessKey: 'ORD-7', refundFor: 'invoice', targetId: 'in_1', options: { amount: 2500 } }),
		);
		expect(form).toMatchObject({ payment_intent: 'pi_9', amount: '2500' });
		expect(refunds[0].json).toMatchObject({ id: 're_1', target: 'in_1', paymentIntentId: 'pi_9' });
	});
});

describe('Billing node customer and price operations', () => {
	it('finds or creates a customer, leaving a blank country out', async () => {
		let form: Record<string, string> = {};
		nock(SANDBOX)
			.get('/v1/customers/search')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [] })
			.get('/v1/customers')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [] })
			.post('/v1/customers')
			.reply((_uri, requestBody) => {
				form = Object.fromEntries(new URLSearchParams(String(requestBody)));
				return [200, { id: 'cus_9', object: 'customer', name: 'Acme', email: 'a@acme.test', livemode: false, metadata: { q2c_business_key: 'ORD-7' } }];
			});
		const [output] = await new Billing().execute.call(
			context({ resource: 'customer', operation: 'findOrCreate', businessKey: 'ORD-7', name: 'Acme', email: 'a@acme.test', country: '', options: {} }),
		);
		expect(form['address[country]']).toBeUndefined();
		expect(output[0].json).toMatchObject({ id: 'cus_9', created: true, businessKey: 'ORD-7' });
	});

	it('gets a price by lookup key', async () => {
		nock(SANDBOX)
			.get('/v1/prices')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [{ id: 'price_1', lookup_key: 'pro', currency: 'usd', unit_amount: 100, product: 'prod_1', active: true, recurring: { interval: 'year', interval_count: 1 } }] });
		const [output] = await new Billing().execute.call(context({ resource: 'price', operation: 'getByLookupKey', lookupKey: 'pro' }));
		expect(output[0].json).toMatchObject({ id: 'price_1', interval: 'year', unitAmount: 100 });
	});
});

describe('Billing node list search', () => {
	const loadContext = { getCredentials: async () => ({ secretKey: STRIPE_TEST_CREDENTIAL_VALUE, baseUrl: SANDBOX }), getNode: () => node } as unknown as ILoadOptionsFunctions;

	it('lists customers for the picker', async () => {
		nock(SANDBOX)
			.get('/v1/customers')
			.query(true)
			.reply(200, { object: 'list', has_more: false, data: [{ id: 'cus_1', name: 'Acme', email: 'a@acme.test', metadata: {}, livemode: false }] });
		const result = await new Billing().methods.listSearch.searchCustomers.call(loadContext);
		expect(result).toEqual({ results: [{ name: 'Acme (a@acme.test)', value: 'cus_1', url: 'https://dashboard.stripe.com/customers/cus_1' }], paginationToken: undefined });
	});

	it('filters subscriptions by business key and lists a customer’s subscriptions', async () => {
		const data = [subscriptionJson('sub_7'), { ...subscriptionJson('sub_8'), metadata: { q2c_business_key: 'ORD-8' } }];
		nock(SANDBOX).get('/v1/subscriptions').query({ status: 'all', limit: '50' }).reply(200, { object: 'list', has_more: false, data });
		const result = await new Billing().methods.listSearch.searchSubscriptions.call(loadContext, 'ord-8');
		expect(result.results.map((r) => r.value)).toEqual(['sub_8']);

		nock(SANDBOX).get('/v1/subscriptions').query({ status: 'all', limit: '50', customer: 'cus_1' }).reply(200, { object: 'list', has_more: false, data });
		const forCustomer = await new Billing().methods.listSearch.searchSubscriptions.call(loadContext, 'cus_1');
		expect(forCustomer.results).toHaveLength(2);
	});

	it('turns picker failures into node errors', async () => {
		nock(SANDBOX).get('/v1/customers').query(true).reply(401, { error: { type: 'invalid_request_error', message: 'bad key' } });
		await expect(new Billing().methods.listSearch.searchCustomers.call(loadContext)).rejects.toBeInstanceOf(NodeApiError);
	});
});
