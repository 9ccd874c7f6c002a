import type Stripe from 'stripe';
import { parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { customerIdSchema } from './schemas';
import { summarizeSubscription, type SubscriptionSummary } from './summaries';

export const listSubscriptionsInput = z.object({
	customerId: customerIdSchema.optional(),
	status: z.enum(['all', 'active', 'canceled', 'past_due', 'trialing', 'unpaid', 'incomplete', 'paused']).default('all'),
	limit: z.number().int().min(1).max(100).default(50),
	cursor: z.string().optional(),
});
export type ListSubscriptionsInput = z.input<typeof listSubscriptionsInput>;

export interface SubscriptionPage {
	items: SubscriptionSummary[];
	nextCursor?: string;
}

/** A page of subscriptions (newest first), optionally for one customer; used by pickers. */
export async function listSubscriptions(client: StripeBillingClient, input: ListSubscriptionsInput = {}): Promise<SubscriptionPage> {
	const data = parseInput(listSubscriptionsInput, input, 'subscriptions', VENDOR);
	const params: Stripe.SubscriptionListParams = { status: data.status, limit: data.limit };
	if (data.customerId) params.customer = data.customerId;
	if (data.cursor) params.starting_after = data.cursor;
	const page = await client.read((stripe) => stripe.subscriptions.list(params));
	const last = page.data[page.data.length - 1];
	return { items: page.data.map(summarizeSubscription), nextCursor: page.has_more && last ? last.id : undefined };
}
