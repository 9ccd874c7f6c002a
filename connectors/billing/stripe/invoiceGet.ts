import { parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { invoiceIdSchema } from './schemas';
import { summarizeInvoice, type InvoiceSummary } from './summaries';

export const getInvoiceInput = z.object({ invoiceId: invoiceIdSchema });
export type GetInvoiceInput = z.input<typeof getInvoiceInput>;

export async function getInvoice(client: StripeBillingClient, input: GetInvoiceInput): Promise<InvoiceSummary> {
	const { invoiceId } = parseInput(getInvoiceInput, input, 'invoice', VENDOR);
	const invoice = await client.read((stripe) => stripe.invoices.retrieve(invoiceId));
	return summarizeInvoice(invoice);
}
