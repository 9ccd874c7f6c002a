import type Stripe from 'stripe';
import { parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import type { PaymentDecline } from './declines';
import { VENDOR } from './errors';
import { invoiceIdSchema } from './schemas';
import { declineOf } from './webhookEvents';

export const findInvoiceDeclineInput = z.object({ invoiceId: invoiceIdSchema });
export type FindInvoiceDeclineInput = z.input<typeof findInvoiceDeclineInput>;

/** A failed invoice payment's decline, with the invoice facts a workflow decides on (which payment, how many tries). */
export interface InvoicePaymentDecline {
	invoiceId: string;
	declined: boolean;
	decline: PaymentDecline | null;
	/** Stripe's attempt_count: payment attempts on the invoice so far. Null when the invoice has no payment yet. */
	attemptCount: number | null;
	/** Why the invoice exists: `subscription_create` (the first payment, at checkout), `subscription_cycle` (a renewal), … */
	billingReason: string | null;
	invoiceStatus: string | null;
	subscriptionId: string | null;
}

/**
 * The hard/soft decline behind a failed invoice payment. An invoice.payment_failed event carries no decline codes
 * (since API 2025-03 an invoice no longer names its PaymentIntent); they are on the last payment attempt's
 * PaymentIntent, read here in one call together with the invoice. `decline` is null when the newest attempt failed
 * for another reason than a card decline.
 */
export async function getInvoicePaymentDecline(client: StripeBillingClient, input: FindInvoiceDeclineInput): Promise<InvoicePaymentDecline> {
	const { invoiceId } = parseInput(findInvoiceDeclineInput, input, 'invoice', VENDOR);
	const payments = await client.read((stripe) =>
		stripe.invoicePayments.list({ invoice: invoiceId, limit: 10, expand: ['data.payment.payment_intent', 'data.invoice'] }),
	);
	const newestFirst = [...payments.data].sort((a, b) => b.created - a.created);
	const intent = newestFirst.map((payment) => payment.payment.payment_intent).find((candidate) => candidate && typeof candidate === 'object') as Stripe.PaymentIntent | undefined;
	const decline = intent ? declineOf(lastPaymentError(intent)) : null;
	const invoice = newestFirst.map((payment) => payment.invoice).find((candidate) => candidate && typeof candidate === 'object' && !('deleted' in candidate && candidate.deleted)) as
		| Stripe.Invoice
		| undefined;
	return {
		invoiceId,
		declined: decline !== null,
		decline,
		attemptCount: invoice?.attempt_count ?? null,
		billingReason: invoice?.billing_reason ?? null,
		invoiceStatus: invoice?.status ?? null,
		subscriptionId: subscriptionOf(invoice),
	};
}

/** The decline alone (see getInvoicePaymentDecline): null when the last attempt was no card decline. */
export async function findInvoiceDecline(client: StripeBillingClient, input: FindInvoiceDeclineInput): Promise<PaymentDecline | null> {
	return (await getInvoicePaymentDecline(client, input)).decline;
}

function lastPaymentError(intent: Stripe.PaymentIntent): Record<string, unknown> | null {
	return intent.last_payment_error ? { ...intent.last_payment_error } : null;
}

function subscriptionOf(invoice: Stripe.Invoice | undefined): string | null {
	const subscription = invoice?.parent?.subscription_details?.subscription;
	if (!subscription) return null;
	return typeof subscription === 'string' ? subscription : subscription.id;
}
