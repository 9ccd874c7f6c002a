import type Stripe from 'stripe';
import { parseInput, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { customerIdSchema, subscriptionIdSchema } from './schemas';
import { summarizeInvoice, type InvoiceSummary } from './summaries';

export const listInvoicesInput = z.object({
	subscriptionId: subscriptionIdSchema.optional(),
	customerId: customerIdSchema.optional(),
	status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']).optional(),
	limit: z.number().int().min(1).max(100).default(10),
});
export type ListInvoicesInput = z.input<typeof listInvoicesInput>;

/** Invoices of a subscription or a customer (newest first). One of the two ids is required. */
export async function listInvoices(client: StripeBillingClient, input: ListInvoicesInput): Promise<InvoiceSummary[]> {
	const data = parseInput(listInvoicesInput, input, 'invoice', VENDOR);
	if (!data.subscriptionId && !data.customerId) {
		throw validationError('invoice.subscriptionId', 'a subscription id (sub_…) or a customer id (cus_…)', undefined, VENDOR);
	}
	const params: Stripe.InvoiceListParams = { limit: data.limit };
	if (data.subscriptionId) params.subscription = data.subscriptionId;
	if (data.customerId) params.customer = data.customerId;
	if (data.status) params.status = data.status;
	const page = await client.read((stripe) => stripe.invoices.list(params));
	return page.data.map(summarizeInvoice);
}
