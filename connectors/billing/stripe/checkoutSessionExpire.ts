import type Stripe from 'stripe';
import { ConnectorError, idempotencyKey, isConnectorError, parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { summarizeCheckoutSession, type CheckoutSessionSummary } from './checkoutSummary';
import { VENDOR } from './errors';
import { businessKeySchema, checkoutSessionIdSchema, subscriptionIdSchema } from './schemas';

export const CHECKOUT_EXPIRE_STEP = 'billing.checkout.expire';

export const expireCheckoutSessionInput = z.object({ businessKey: businessKeySchema, sessionId: checkoutSessionIdSchema });
export type ExpireCheckoutSessionInput = z.input<typeof expireCheckoutSessionInput>;

export const subscriptionCheckoutInput = z.object({ subscriptionId: subscriptionIdSchema });
export type SubscriptionCheckoutInput = z.input<typeof subscriptionCheckoutInput>;

export const expireSubscriptionCheckoutInput = z.object({ businessKey: businessKeySchema, subscriptionId: subscriptionIdSchema });
export type ExpireSubscriptionCheckoutInput = z.input<typeof expireSubscriptionCheckoutInput>;

export interface ExpireCheckoutSessionResult extends CheckoutSessionSummary {
	/** True when this call expired the session; false when it had already ended (expired, or paid when found by subscription). */
	expiredNow: boolean;
}

/**
 * Ends an open Checkout Session: the customer can no longer pay on it and Stripe sends `checkout.session.expired`.
 * Safe to repeat: an already-expired session is returned as it is. A complete (paid) session cannot be expired and is
 * refused as a conflict naming it.
 */
export async function expireCheckoutSession(client: StripeBillingClient, input: ExpireCheckoutSessionInput): Promise<ExpireCheckoutSessionResult> {
	const data = parseInput(expireCheckoutSessionInput, input, 'checkout', VENDOR);
	const session = await client.read((stripe) => stripe.checkout.sessions.retrieve(data.sessionId));
	return expireIfOpen(client, data.businessKey, session, { completeIsConflict: true });
}

/** The Checkout Session that is still open for a subscription (its first invoice unpaid), or null. */
export async function findOpenCheckoutSession(client: StripeBillingClient, input: SubscriptionCheckoutInput): Promise<CheckoutSessionSummary | null> {
	const { subscriptionId } = parseInput(subscriptionCheckoutInput, input, 'checkout', VENDOR);
	const open = (await sessionsOf(client, subscriptionId)).find((session) => session.status === 'open');
	return open ? summarizeCheckoutSession(open) : null;
}

/**
 * Ends the subscription's checkout if it is still open. A session that has ended meanwhile (paid, or expired) is
 * returned as it is, not refused: the caller asked to end the checkout, and it has ended. Null when the subscription
 * has no Checkout Session (it was not created by Checkout).
 */
export async function expireSubscriptionCheckout(client: StripeBillingClient, input: ExpireSubscriptionCheckoutInput): Promise<ExpireCheckoutSessionResult | null> {
	const data = parseInput(expireSubscriptionCheckoutInput, input, 'checkout', VENDOR);
	const sessions = await sessionsOf(client, data.subscriptionId);
	const session = sessions.find((candidate) => candidate.status === 'open') ?? sessions[0];
	if (!session) return null;
	return expireIfOpen(client, data.businessKey, session, { completeIsConflict: false });
}

/**
 * Newest first. Filtered by `subscription` only (Stripe returns that subscription's session); the status is checked
 * here, as Stripe's `status` filter is newer than the API spec the sandbox's vendor layer checks requests against.
 */
async function sessionsOf(client: StripeBillingClient, subscriptionId: string): Promise<Stripe.Checkout.Session[]> {
	const page = await client.read((stripe) => stripe.checkout.sessions.list({ subscription: subscriptionId, limit: 10 }));
	return page.data;
}

async function expireIfOpen(
	client: StripeBillingClient,
	businessKey: string,
	session: Stripe.Checkout.Session,
	options: { completeIsConflict: boolean },
): Promise<ExpireCheckoutSessionResult> {
	if (session.status !== 'open') return ended(session, options.completeIsConflict);
	// Per session: a replacement session for the same business key must not get this one's expire replayed.
	const key = idempotencyKey(businessKey, `${CHECKOUT_EXPIRE_STEP}.${session.id}`);
	try {
		const expired = await client.write(key, (stripe, requestOptions) => stripe.checkout.sessions.expire(session.id, {}, requestOptions));
		return { ...summarizeCheckoutSession(expired), expiredNow: true };
	} catch (error) {
		// Stripe refuses a session that is no longer open: the customer paid, or it expired, since it was read.
		if (!isConnectorError(error) || error.kind === 'auth' || error.retryable) throw error;
		const after = await client.read((stripe) => stripe.checkout.sessions.retrieve(session.id));
		if (after.status === 'open') throw error;
		return ended(after, options.completeIsConflict);
	}
}

function ended(session: Stripe.Checkout.Session, completeIsConflict: boolean): ExpireCheckoutSessionResult {
	if (session.status === 'complete' && completeIsConflict) {
		throw new ConnectorError('conflict', `Checkout Session ${session.id} is complete (the customer paid): it cannot be expired`, {
			vendor: VENDOR,
			field: 'checkout.sessionId',
			details: { sessionId: session.id, status: session.status, paymentStatus: session.payment_status },
		});
	}
	return { ...summarizeCheckoutSession(session), expiredNow: false };
}
