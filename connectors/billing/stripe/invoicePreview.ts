import { parseInput, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { currencySchema, lineItemsSchema, priceMappingSchema, priceSourceSchema, subscriptionIdSchema } from './schemas';
import { plannedItems } from './subscriptionUpdate';

export const previewSubscriptionChangeInput = z.object({
	subscriptionId: subscriptionIdSchema,
	currency: currencySchema.optional(),
	lineItems: lineItemsSchema,
	priceMapping: priceMappingSchema.optional(),
	priceSource: priceSourceSchema,
	removeMissing: z.boolean().default(true),
	prorationBehavior: z.enum(['create_prorations', 'none', 'always_invoice']).default('always_invoice'),
	/** Unix seconds; default Stripe's now. Pass the same value to the subscription update so the charge is the one shown. */
	prorationDate: z.number().int().positive().optional(),
});
export type PreviewSubscriptionChangeInput = z.input<typeof previewSubscriptionChangeInput>;

export interface SubscriptionChangePreview {
	subscriptionId: string;
	customerId: string;
	currency: string;
	/** What the change would charge now, in minor units (0 when it is a credit). */
	amountDue: number;
	/** Prorations in sum: negative for a credit. */
	total: number;
	prorationDate: number;
	lines: Array<{ description: string | null; amount: number; proration: boolean }>;
}

/**
 * What a subscription change would bill (Stripe `invoices.createPreview` with the change as `subscription_details`),
 * nothing changed. A read: no idempotency key, safe to repeat. The proration date it used is returned, so the owner
 * confirms one amount and the update charges exactly it.
 */
export async function previewSubscriptionChange(client: StripeBillingClient, input: PreviewSubscriptionChangeInput): Promise<SubscriptionChangePreview> {
	const data = parseInput(previewSubscriptionChangeInput, input, 'invoice', VENDOR);
	const current = await client.read((stripe) => stripe.subscriptions.retrieve(data.subscriptionId));
	if (current.status === 'canceled' || current.status === 'incomplete_expired') throw validationError('subscriptionId', `an active subscription (${current.id} is ${current.status})`, undefined, VENDOR);
	const { items } = await plannedItems(client, data, current);
	const preview = await client.read((stripe) =>
		stripe.invoices.createPreview({
			subscription: current.id,
			subscription_details: { items, proration_behavior: data.prorationBehavior, ...(data.prorationDate ? { proration_date: data.prorationDate } : {}) },
		}),
	);
	// Without a date Stripe prorates as of its own now and says which moment it used: that is the one to reuse.
	const parent = preview.parent?.subscription_details;
	const prorationDate = data.prorationDate ?? parent?.subscription_proration_date ?? Math.floor(Date.now() / 1000);
	return {
		subscriptionId: current.id,
		customerId: typeof current.customer === 'string' ? current.customer : current.customer.id,
		currency: preview.currency,
		amountDue: preview.amount_due,
		total: preview.total,
		prorationDate,
		lines: preview.lines.data.map((line) => ({ description: line.description ?? null, amount: line.amount, proration: Boolean((line as unknown as { proration?: boolean }).proration ?? line.parent?.subscription_item_details?.proration) })),
	};
}
