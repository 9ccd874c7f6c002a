/** The flat output shape of a Checkout Session: what a workflow needs, never the session's client secret. */
import type Stripe from 'stripe';
import { METADATA_BUSINESS_KEY, METADATA_TIER } from './schemas';
import { isoFromUnix } from './summaries';

export interface CheckoutSessionSummary {
	id: string;
	/** The hosted payment page to send the customer to (null once the session is complete or expired). */
	url: string | null;
	status: string | null;
	/** paid, unpaid (an asynchronous payment method still settling) or no_payment_required (e.g. a trial). */
	paymentStatus: string;
	expiresAt: string | null;
	mode: string;
	businessKey: string | null;
	tier: string | null;
	customerId: string | null;
	customerEmail: string | null;
	subscriptionId: string | null;
	/** Only when the subscription was expanded (getCheckoutSession). */
	subscriptionStatus: string | null;
	invoiceId: string | null;
	amountTotal: number | null;
	currency: string | null;
	livemode: boolean;
	createdAt: string;
}

function idOf(value: string | { id?: string } | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	return typeof value === 'string' ? value : (value.id ?? null);
}

export function summarizeCheckoutSession(session: Stripe.Checkout.Session): CheckoutSessionSummary {
	const metadata = session.metadata ?? {};
	const subscription = session.subscription;
	return {
		id: session.id,
		url: session.url ?? null,
		status: session.status ?? null,
		paymentStatus: session.payment_status,
		expiresAt: isoFromUnix(session.expires_at),
		mode: session.mode,
		businessKey: session.client_reference_id ?? metadata[METADATA_BUSINESS_KEY] ?? null,
		tier: metadata[METADATA_TIER] ?? null,
		customerId: idOf(session.customer),
		customerEmail: session.customer_details?.email ?? session.customer_email ?? null,
		subscriptionId: idOf(subscription),
		subscriptionStatus: subscription && typeof subscription === 'object' ? subscription.status : null,
		invoiceId: idOf(session.invoice),
		amountTotal: session.amount_total ?? null,
		currency: session.currency ?? null,
		livemode: session.livemode,
		createdAt: isoFromUnix(session.created) ?? '',
	};
}
