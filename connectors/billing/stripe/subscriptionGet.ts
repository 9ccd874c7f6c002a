import { parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { subscriptionIdSchema } from './schemas';
import { summarizeSubscription, type SubscriptionSummary } from './summaries';

export const getSubscriptionInput = z.object({ subscriptionId: subscriptionIdSchema });
export type GetSubscriptionInput = z.input<typeof getSubscriptionInput>;

export async function getSubscription(client: StripeBillingClient, input: GetSubscriptionInput): Promise<SubscriptionSummary> {
	const { subscriptionId } = parseInput(getSubscriptionInput, input, 'subscription', VENDOR);
	const subscription = await client.read((stripe) => stripe.subscriptions.retrieve(subscriptionId));
	return summarizeSubscription(subscription);
}
