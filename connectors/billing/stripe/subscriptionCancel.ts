import type Stripe from 'stripe';
import { idempotencyKey, isConnectorError, parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { businessKeySchema, subscriptionIdSchema } from './schemas';
import { summarizeSubscription, type SubscriptionSummary } from './summaries';

export const SUBSCRIPTION_CANCEL_STEP = 'billing.subscription.cancel';

export const cancelSubscriptionInput = z.object({
	businessKey: businessKeySchema,
	subscriptionId: subscriptionIdSchema,
	/** Invoice pending usage and proration now instead of at period end. */
	invoiceNow: z.boolean().default(false),
	/** Credit the unused part of the period. */
	prorate: z.boolean().default(false),
	comment: z.string().max(500).optional(),
});
export type CancelSubscriptionInput = z.input<typeof cancelSubscriptionInput>;

export interface CancelSubscriptionResult extends SubscriptionSummary {
	/** True when the subscription was already cancelled before this call (nothing was sent). */
	alreadyCanceled: boolean;
}

const ENDED = new Set(['canceled', 'incomplete_expired']);

/**
 * Cancels the subscription immediately. Safe as a compensation step: an already-cancelled subscription
 * is a success, and the cancel carries an idempotency key from the business key.
 */
export async function cancelSubscription(client: StripeBillingClient, input: CancelSubscriptionInput): Promise<CancelSubscriptionResult> {
	const data = parseInput(cancelSubscriptionInput, input, 'subscription', VENDOR);
	const current = await client.read((stripe) => stripe.subscriptions.retrieve(data.subscriptionId));
	if (ENDED.has(current.status)) return { ...summarizeSubscription(current), alreadyCanceled: true };

	const params: Stripe.SubscriptionCancelParams = { invoice_now: data.invoiceNow, prorate: data.prorate };
	if (data.comment) params.cancellation_details = { comment: data.comment };
	// Per subscription: a later attempt's subscription must not get an earlier attempt's cancel replayed.
	const key = idempotencyKey(data.businessKey, `${SUBSCRIPTION_CANCEL_STEP}.${data.subscriptionId}`);
	try {
		const canceled = await client.write(key, (stripe, options) => stripe.subscriptions.cancel(data.subscriptionId, params, options));
		return { ...summarizeSubscription(canceled), alreadyCanceled: false };
	} catch (error) {
		// Lost a race with another cancel (or a dashboard user): re-read, and succeed if it is cancelled.
		if (!isConnectorError(error) || error.kind === 'auth' || error.retryable) throw error;
		const after = await client.read((stripe) => stripe.subscriptions.retrieve(data.subscriptionId));
		if (ENDED.has(after.status)) return { ...summarizeSubscription(after), alreadyCanceled: true };
		throw error;
	}
}
