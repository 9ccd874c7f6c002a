import { parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { summarizeCheckoutSession, type CheckoutSessionSummary } from './checkoutSummary';
import { VENDOR } from './errors';
import { checkoutSessionIdSchema } from './schemas';

export const getCheckoutSessionInput = z.object({ sessionId: checkoutSessionIdSchema });
export type GetCheckoutSessionInput = z.input<typeof getCheckoutSessionInput>;

/**
 * A Checkout Session as it is now, for a workflow that re-checks payment_status (the success page was reached, or
 * an asynchronous payment was waited for). The subscription is expanded so its status comes in the same call.
 */
export async function getCheckoutSession(client: StripeBillingClient, input: GetCheckoutSessionInput): Promise<CheckoutSessionSummary> {
	const { sessionId } = parseInput(getCheckoutSessionInput, input, 'checkout', VENDOR);
	const session = await client.read((stripe) => stripe.checkout.sessions.retrieve(sessionId, { expand: ['subscription'] }));
	return summarizeCheckoutSession(session);
}
