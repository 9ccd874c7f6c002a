import type Stripe from 'stripe';
import { parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import type { PaymentDecline } from './declines';
import { VENDOR } from './errors';
import { invoiceIdSchema } from './schemas';
import { declineOf } from './webhookEvents';

export const findInvoiceDeclineInput = z.object({ invoiceId: invoiceIdSchema });
export type FindInvoiceDeclineInput = z.input<typeof findInvoiceDeclineInput>;

/**
 * The hard/soft decline behind a failed invoice payment. An invoice.payment_failed event carries no decline codes
 * (since API 2025-03 an invoice no longer names its PaymentIntent); they are on the last payment attempt's
 * PaymentIntent, read here in one call. Null when the newest attempt failed for another reason than a card decline.
 */
export async function findInvoiceDecline(client: StripeBillingClient, input: FindInvoiceDeclineInput): Promise<PaymentDecline | null> {
	const { invoiceId } = parseInput(findInvoiceDeclineInput, input, 'invoice', VENDOR);
	const payments = await client.read((stripe) => stripe.invoicePayments.list({ invoice: invoiceId, limit: 10, expand: ['data.payment.payment_intent'] }));
	const newestFirst = [...payments.data].sort((a, b) => b.created - a.created);
	for (const payment of newestFirst) {
		const intent = payment.payment.payment_intent;
		if (intent && typeof intent === 'object') return declineOf(lastPaymentError(intent));
	}
	return null;
}

function lastPaymentError(intent: Stripe.PaymentIntent): Record<string, unknown> | null {
	return intent.last_payment_error ? { ...intent.last_payment_error } : null;
}
