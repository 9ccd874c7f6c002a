import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { getInvoice } from '../invoiceGet';
import { listInvoices } from '../invoiceList';
import { createRefund } from '../refundCreate';
import { BASE, list, makeClient, reply, stripeError, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function invoice(id: string, extra: Record<string, unknown> = {}) {
	return {
		id,
		object: 'invoice',
		number: 'INV-0001',
		status: 'open',
		customer: 'cus_1',
		currency: 'usd',
		total: 10000,
		amount_due: 10000,
		amount_paid: 0,
		amount_remaining: 10000,
		hosted_invoice_url: 'https://invoice.stripe.com/i/x',
		invoice_pdf: 'https://pay.stripe.com/invoice/x/pdf',
		due_date: 1_700_086_400,
		created: 1_700_000_000,
		metadata: {},
		parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: { q2c_business_key: 'ORD-1' } } },
		...extra,
	};
}

function refund(id: string, extra: Record<string, unknown> = {}) {
	return {
		id,
		object: 'refund',
		amount: 10000,
		currency: 'usd',
		status: 'succeeded',
		payment_intent: 'pi_1',
		charge: 'ch_1',
		reason: 'requested_by_customer',
		created: 1_700_000_000,
		metadata: { q2c_business_key: 'ORD-1', q2c_step: 'billing.refund.create' },
		...extra,
	};
}

describe('invoices', () => {
	it('lists a subscription invoices with filters and flattens them', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/invoices')
			.query({ limit: '5', subscription: 'sub_1', status: 'open' })
			.reply(reply(calls, 200, list([invoice('in_1')])));
		const result = await listInvoices(makeClient().client, { subscriptionId: 'sub_1', status: 'open', limit: 5 });
		expect(result).toEqual([
			{
				id: 'in_1',
				number: 'INV-0001',
				status: 'open',
				customerId: 'cus_1',
				subscriptionId: 'sub_1',
				currency: 'usd',
				total: 10000,
				amountDue: 10000,
				amountPaid: 0,
				amountRemaining: 10000,
				hostedInvoiceUrl: 'https://invoice.stripe.com/i/x',
				invoicePdf: 'https://pay.stripe.com/invoice/x/pdf',
				dueDate: new Date(1_700_086_400_000).toISOString(),
				createdAt: new Date(1_700_000_000_000).toISOString(),
				businessKey: 'ORD-1',
				metadata: {},
			},
		]);
	});

	it('lists by customer and requires a subscription or customer id', async () => {
		nock(BASE).get('/v1/invoices').query({ limit: '10', customer: 'cus_1' }).reply(200, list([invoice('in_2', { parent: null })]));
		const [only] = await listInvoices(makeClient().client, { customerId: 'cus_1' });
		expect(only.subscriptionId).toBeNull();
		await expect(listInvoices(makeClient().client, {})).rejects.toMatchObject({ kind: 'validation', field: 'invoice.subscriptionId' });
	});

	it('gets one invoice and maps a missing one to not_found', async () => {
		nock(BASE).get('/v1/invoices/in_1').reply(200, invoice('in_1'));
		await expect(getInvoice(makeClient().client, { invoiceId: 'in_1' })).resolves.toMatchObject({ id: 'in_1', amountDue: 10000 });
		nock(BASE).get('/v1/invoices/in_404').reply(404, stripeError('invalid_request_error', 'No such invoice', { code: 'resource_missing', param: 'id' }));
		await expect(getInvoice(makeClient().client, { invoiceId: 'in_404' })).rejects.toMatchObject({ kind: 'not_found', status: 404 });
		await expect(getInvoice(makeClient().client, { invoiceId: 'sub_1' })).rejects.toMatchObject({ field: 'invoice.invoiceId' });
	});
});

describe('createRefund', () => {
	it('refunds a payment intent with contract metadata and a stable key per target and amount', async () => {
		const calls: Captured[] = [];
		nock(BASE).post('/v1/refunds').twice().reply(reply(calls, 200, refund('re_1')));
		const input = { businessKey: 'ORD-1', paymentIntentId: 'pi_1', amount: 5000, reason: 'requested_by_customer' as const };
		const result = await createRefund(makeClient().client, input);
		await createRefund(makeClient().client, input);
		expect(calls[0].body).toEqual({
			payment_intent: 'pi_1',
			amount: '5000',
			reason: 'requested_by_customer',
			'metadata[q2c_refund_target]': 'pi_1',
			'metadata[q2c_business_key]': 'ORD-1',
			'metadata[q2c_step]': 'billing.refund.create',
		});
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('ORD-1', 'billing.refund.create.pi_1.5000'));
		expect(calls[1].headers['idempotency-key']).toBe(calls[0].headers['idempotency-key']);
		expect(result).toMatchObject({ id: 're_1', status: 'succeeded', amount: 10000, paymentIntentId: 'pi_1', chargeId: 'ch_1', businessKey: 'ORD-1', target: 'pi_1' });
	});

	it('refunds a charge in full', async () => {
		const calls: Captured[] = [];
		nock(BASE).post('/v1/refunds').reply(reply(calls, 200, refund('re_2')));
		await createRefund(makeClient().client, { businessKey: 'ORD-1', chargeId: 'ch_9' });
		expect(calls[0].body.charge).toBe('ch_9');
		expect(calls[0].body.amount).toBeUndefined();
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('ORD-1', 'billing.refund.create.ch_9.full'));
	});

	it("refunds an invoice through its paid payment", async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/invoice_payments')
			.query({ invoice: 'in_1', status: 'paid', limit: '10' })
			.reply(200, list([{ id: 'inpay_1', object: 'invoice_payment', status: 'paid', payment: { type: 'payment_intent', payment_intent: 'pi_7' } }]))
			.post('/v1/refunds')
			.reply(reply(calls, 200, refund('re_3')));
		await createRefund(makeClient().client, { businessKey: 'ORD-1', invoiceId: 'in_1' });
		expect(calls[0].body.payment_intent).toBe('pi_7');
		expect(calls[0].body['metadata[q2c_refund_target]']).toBe('in_1');

		nock(BASE)
			.get('/v1/invoice_payments')
			.query(true)
			.reply(200, list([{ id: 'inpay_2', object: 'invoice_payment', status: 'paid', payment: { type: 'charge', charge: { id: 'ch_old' } } }]))
			.post('/v1/refunds')
			.reply(reply(calls, 200, refund('re_4')));
		await createRefund(makeClient().client, { businessKey: 'ORD-1', invoiceId: 'in_2' });
		expect(calls[1].body.charge).toBe('ch_old');
	});

	it('reports an unpaid invoice as a conflict without writing', async () => {
		nock(BASE).get('/v1/invoice_payments').query(true).reply(200, list([]));
		await expect(createRefund(makeClient().client, { businessKey: 'ORD-1', invoiceId: 'in_1' })).rejects.toMatchObject({
			kind: 'conflict',
			field: 'refund.invoiceId',
		});
	});

	it('requires exactly one target and a positive amount', async () => {
		const { client } = makeClient();
		await expect(createRefund(client, { businessKey: 'ORD-1' })).rejects.toMatchObject({ field: 'refund.paymentIntentId' });
		await expect(createRefund(client, { businessKey: 'ORD-1', paymentIntentId: 'pi_1', chargeId: 'ch_1' })).rejects.toThrow(/exactly one/);
		await expect(createRefund(client, { businessKey: 'ORD-1', paymentIntentId: 'pi_1', amount: 0 })).rejects.toMatchObject({ field: 'refund.amount' });
		await expect(createRefund(client, { businessKey: 'ORD-1', paymentIntentId: 'ch_1' })).rejects.toMatchObject({ field: 'refund.paymentIntentId' });
	});

	it('maps a decline on refund and a retried 5xx with the same key', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.post('/v1/refunds')
			.reply(reply(calls, 500, stripeError('api_error', 'boom')))
			.post('/v1/refunds')
			.reply(reply(calls, 200, refund('re_5')));
		const { client, sleeps } = makeClient();
		await createRefund(client, { businessKey: 'ORD-1', paymentIntentId: 'pi_1' });
		expect(sleeps).toEqual([100]);
		expect(calls[0].headers['idempotency-key']).toBe(calls[1].headers['idempotency-key']);

		nock(BASE)
			.post('/v1/refunds')
			.reply(402, stripeError('card_error', 'Your card was declined.', { code: 'card_declined', decline_code: 'stolen_card' }));
		const error = await createRefund(makeClient().client, { businessKey: 'ORD-2', chargeId: 'ch_1' }).catch((e: unknown) => e);
		expect(error).toMatchObject({ kind: 'permanent', status: 402, details: expect.objectContaining({ declineClass: 'never_retry' }) });
	});
});
