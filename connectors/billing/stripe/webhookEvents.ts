/**
 * A Stripe Trigger's events: the envelope parsed with zod and the kinds the onboarding flow handles normalized into
 * one flat summary (what to do next, the business key, customer, subscription, amount, and for a card failure the
 * hard/soft decline). Field locations follow the pinned API version with fallbacks for older payloads.
 */
import { parseInput, validationError, z } from '../../core';
import { classifyPaymentDecline, type PaymentDecline } from './declines';
import { VENDOR } from './errors';
import { METADATA_BUSINESS_KEY, METADATA_TIER } from './schemas';
import { isoFromUnix } from './summaries';
import { verifyStripeSignature, type StripeWebhookRequest } from './webhookVerify';

export const stripeEventSchema = z.object({
	id: z.string().regex(/^evt_[A-Za-z0-9_]+$/, 'a Stripe event id starting with "evt_"'),
	type: z.string().min(1, 'the event type'),
	created: z.number().int('a Unix timestamp'),
	livemode: z.boolean(),
	data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEventEnvelope = z.infer<typeof stripeEventSchema>;

export type StripeEventOutcome =
	| 'payment_confirmed'
	| 'payment_pending'
	| 'payment_failed'
	| 'checkout_expired'
	| 'invoice_paid'
	| 'subscription_created'
	| 'subscription_updated'
	| 'subscription_deleted'
	| 'unhandled';

export interface StripeEventSummary {
	/** Stripe may deliver an event more than once: dedupe on this. */
	eventId: string;
	type: string;
	outcome: StripeEventOutcome;
	handled: boolean;
	createdAt: string;
	livemode: boolean;
	objectId: string | null;
	/** client_reference_id of a Checkout Session, else the q2c business key in the metadata. */
	businessKey: string | null;
	tier: string | null;
	customerId: string | null;
	subscriptionId: string | null;
	checkoutSessionId: string | null;
	invoiceId: string | null;
	paymentIntentId: string | null;
	paymentStatus: string | null;
	subscriptionStatus: string | null;
	/** Minor units: the session total, the invoice's amount paid (or due when it failed), the intent's amount. */
	amount: number | null;
	currency: string | null;
	/**
	 * For a card failure whose payload carries the issuer's codes (payment_intent.payment_failed). An
	 * invoice.payment_failed payload carries none: findInvoiceDecline reads them from the invoice's payment.
	 */
	decline: PaymentDecline | null;
}

/** Verifies a Stripe webhook request and returns its normalized summary (see verifyStripeSignature). */
export function receiveStripeWebhook(request: StripeWebhookRequest): StripeEventSummary {
	const body = verifyStripeSignature(request);
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		throw validationError('webhook.rawBody', 'a JSON Stripe event', undefined, VENDOR);
	}
	return summarizeStripeEvent(parseInput(stripeEventSchema, parsed, 'event', VENDOR));
}

type StripeObject = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const obj = (value: unknown): StripeObject | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as StripeObject) : null);
/** An id, whether Stripe sent the id or the expanded object. */
const idOf = (value: unknown): string | null => str(value) ?? str(obj(value)?.id);
const metadataOf = (value: unknown): StripeObject => obj(obj(value)?.metadata) ?? {};

const CHECKOUT_OUTCOMES: Record<string, StripeEventOutcome> = {
	'checkout.session.async_payment_succeeded': 'payment_confirmed',
	'checkout.session.async_payment_failed': 'payment_failed',
	'checkout.session.expired': 'checkout_expired',
};
const SUBSCRIPTION_OUTCOMES: Record<string, StripeEventOutcome> = {
	'customer.subscription.created': 'subscription_created',
	'customer.subscription.updated': 'subscription_updated',
	'customer.subscription.deleted': 'subscription_deleted',
};

export function summarizeStripeEvent(event: StripeEventEnvelope): StripeEventSummary {
	const object = event.data.object;
	const base: StripeEventSummary = {
		eventId: event.id,
		type: event.type,
		outcome: 'unhandled',
		handled: false,
		createdAt: isoFromUnix(event.created) ?? '',
		livemode: event.livemode,
		objectId: str(object.id),
		businessKey: str(metadataOf(object)[METADATA_BUSINESS_KEY]),
		tier: str(metadataOf(object)[METADATA_TIER]),
		customerId: idOf(object.customer),
		subscriptionId: null,
		checkoutSessionId: null,
		invoiceId: null,
		paymentIntentId: null,
		paymentStatus: null,
		subscriptionStatus: null,
		amount: null,
		currency: str(object.currency),
		decline: null,
	};
	if (event.type === 'checkout.session.completed' || CHECKOUT_OUTCOMES[event.type]) return { ...base, ...checkoutSession(event.type, object) };
	if (event.type === 'invoice.paid' || event.type === 'invoice.payment_failed') return { ...base, ...invoice(event.type, object) };
	if (SUBSCRIPTION_OUTCOMES[event.type]) {
		return { ...base, outcome: SUBSCRIPTION_OUTCOMES[event.type], handled: true, subscriptionId: str(object.id), subscriptionStatus: str(object.status) };
	}
	if (event.type === 'payment_intent.payment_failed') return { ...base, ...paymentIntentFailed(object) };
	return base;
}

function checkoutSession(type: string, session: StripeObject): Partial<StripeEventSummary> {
	const paymentStatus = str(session.payment_status);
	// completed with `unpaid`: an asynchronous method (bank debit) is still settling; provision only once it succeeds.
	const outcome = CHECKOUT_OUTCOMES[type] ?? (paymentStatus === 'paid' || paymentStatus === 'no_payment_required' ? 'payment_confirmed' : 'payment_pending');
	return {
		outcome,
		handled: true,
		businessKey: str(session.client_reference_id) ?? str(metadataOf(session)[METADATA_BUSINESS_KEY]),
		checkoutSessionId: str(session.id),
		subscriptionId: idOf(session.subscription),
		invoiceId: idOf(session.invoice),
		paymentIntentId: idOf(session.payment_intent),
		paymentStatus,
		amount: num(session.amount_total),
	};
}

function invoice(type: string, invoiceObject: StripeObject): Partial<StripeEventSummary> {
	const details = obj(obj(invoiceObject.parent)?.subscription_details);
	// Before API 2025-03 the subscription and its metadata sat on the invoice itself.
	const legacyDetails = obj(invoiceObject.subscription_details);
	const paid = type === 'invoice.paid';
	return {
		outcome: paid ? 'invoice_paid' : 'payment_failed',
		handled: true,
		businessKey:
			str(metadataOf(details)[METADATA_BUSINESS_KEY]) ?? str(metadataOf(legacyDetails)[METADATA_BUSINESS_KEY]) ?? str(metadataOf(invoiceObject)[METADATA_BUSINESS_KEY]),
		tier: str(metadataOf(details)[METADATA_TIER]) ?? str(metadataOf(legacyDetails)[METADATA_TIER]),
		subscriptionId: idOf(details?.subscription) ?? idOf(invoiceObject.subscription),
		invoiceId: str(invoiceObject.id),
		paymentIntentId: idOf(invoiceObject.payment_intent),
		paymentStatus: paid ? 'paid' : 'failed',
		amount: num(paid ? invoiceObject.amount_paid : invoiceObject.amount_due),
		decline: declineOf(obj(obj(invoiceObject.payment_intent)?.last_payment_error)),
	};
}

function paymentIntentFailed(intent: StripeObject): Partial<StripeEventSummary> {
	return {
		outcome: 'payment_failed',
		handled: true,
		paymentIntentId: str(intent.id),
		invoiceId: idOf(intent.invoice),
		paymentStatus: 'failed',
		amount: num(intent.amount),
		decline: declineOf(obj(intent.last_payment_error)),
	};
}

/** The hard/soft classification of a Stripe `last_payment_error`, when it is a card decline. */
export function declineOf(error: StripeObject | null): PaymentDecline | null {
	if (!error) return null;
	const declineCode = str(error.decline_code);
	const adviceCode = str(error.advice_code);
	if (error.type !== 'card_error' && !declineCode && !adviceCode) return null;
	// A card error without an issuer decline code names the problem in `code` (expired_card, incorrect_cvc, …).
	return classifyPaymentDecline(declineCode ?? str(error.code), adviceCode);
}
