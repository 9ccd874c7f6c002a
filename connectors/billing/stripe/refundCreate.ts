import type Stripe from 'stripe';
import { ConnectorError, idempotencyKey, parseInput, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { businessKeySchema, contractMetadata, invoiceIdSchema, metadataSchema, minorAmountSchema, stripeId } from './schemas';
import { summarizeRefund, type RefundSummary } from './summaries';

export const REFUND_CREATE_STEP = 'billing.refund.create';

export const createRefundInput = z.object({
	businessKey: businessKeySchema,
	paymentIntentId: stripeId('pi', 'payment intent').optional(),
	chargeId: stripeId('(?:ch|py)', 'charge').optional(),
	invoiceId: invoiceIdSchema.optional(),
	/** Minor units; omit to refund everything refundable. */
	amount: minorAmountSchema.positive('an amount of at least 1 minor unit').optional(),
	reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
	metadata: metadataSchema,
});
export type CreateRefundInput = z.input<typeof createRefundInput>;

export interface CreateRefundResult extends RefundSummary {
	/** What was asked to be refunded: the payment intent, charge or invoice id given. */
	target: string;
}

/**
 * Refunds a payment intent, a charge, or an invoice's payment (compensation for a failed provisioning).
 * The idempotency key covers business key + target + amount, so a retried compensation refunds once.
 */
export async function createRefund(client: StripeBillingClient, input: CreateRefundInput): Promise<CreateRefundResult> {
	const data = parseInput(createRefundInput, input, 'refund', VENDOR);
	const targets = [data.paymentIntentId, data.chargeId, data.invoiceId].filter(Boolean);
	if (targets.length !== 1) {
		throw validationError('refund.paymentIntentId', 'exactly one of paymentIntentId, chargeId or invoiceId', targets.length ? 'several' : undefined, VENDOR);
	}
	const target = targets[0] as string;
	const params: Stripe.RefundCreateParams = {};
	if (data.paymentIntentId) params.payment_intent = data.paymentIntentId;
	if (data.chargeId) params.charge = data.chargeId;
	if (data.invoiceId) Object.assign(params, await invoicePayment(client, data.invoiceId));
	if (data.amount !== undefined) params.amount = data.amount;
	if (data.reason) params.reason = data.reason;

	const step = `${REFUND_CREATE_STEP}.${target}.${data.amount ?? 'full'}`;
	params.metadata = contractMetadata(data.businessKey, REFUND_CREATE_STEP, { ...data.metadata, q2c_refund_target: target });
	const key = idempotencyKey(data.businessKey, step);
	const refund = await client.write(key, (stripe, options) => stripe.refunds.create(params, options));
	return { ...summarizeRefund(refund), target };
}

/** The paid payment behind an invoice (payment intent, or a bare charge for older invoices). */
async function invoicePayment(client: StripeBillingClient, invoiceId: string): Promise<Pick<Stripe.RefundCreateParams, 'payment_intent' | 'charge'>> {
	const page = await client.read((stripe) => stripe.invoicePayments.list({ invoice: invoiceId, status: 'paid', limit: 10 }));
	for (const entry of page.data) {
		const { payment_intent: paymentIntent, charge } = entry.payment;
		if (paymentIntent) return { payment_intent: typeof paymentIntent === 'string' ? paymentIntent : paymentIntent.id };
		if (charge) return { charge: typeof charge === 'string' ? charge : charge.id };
	}
	throw new ConnectorError('conflict', `Invoice ${invoiceId} has no paid payment to refund`, { vendor: VENDOR, field: 'refund.invoiceId' });
}
