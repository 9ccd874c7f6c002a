/** Flat, stable output shapes for Stripe objects (what nodes emit and templates reference). */
import type Stripe from 'stripe';
import { METADATA_BUSINESS_KEY, METADATA_SKU } from './schemas';

export interface CustomerSummary {
	id: string;
	name: string | null;
	email: string | null;
	businessKey: string | null;
	metadata: Record<string, string>;
	livemode: boolean;
}

export interface PriceSummary {
	id: string;
	lookupKey: string | null;
	productId: string;
	currency: string;
	unitAmount: number | null;
	interval: string;
	intervalCount: number | null;
	active: boolean;
	nickname: string | null;
}

export interface SubscriptionItemSummary {
	id: string;
	sku: string | null;
	priceId: string;
	productId: string;
	lookupKey: string | null;
	quantity: number;
	unitAmount: number | null;
	interval: string;
}

export interface SubscriptionSummary {
	id: string;
	customerId: string;
	status: string;
	currency: string;
	businessKey: string | null;
	items: SubscriptionItemSummary[];
	/** Sum of unitAmount × quantity over the recurring items (minor units per interval). */
	totalAmount: number;
	currentPeriodStart: string | null;
	currentPeriodEnd: string | null;
	cancelAtPeriodEnd: boolean;
	canceledAt: string | null;
	latestInvoiceId: string | null;
	metadata: Record<string, string>;
	createdAt: string;
}

export interface InvoiceSummary {
	id: string;
	number: string | null;
	status: string | null;
	customerId: string | null;
	subscriptionId: string | null;
	currency: string;
	total: number;
	amountDue: number;
	amountPaid: number;
	amountRemaining: number;
	hostedInvoiceUrl: string | null;
	invoicePdf: string | null;
	dueDate: string | null;
	createdAt: string;
	businessKey: string | null;
	metadata: Record<string, string>;
}

export interface RefundSummary {
	id: string;
	status: string | null;
	amount: number;
	currency: string;
	paymentIntentId: string | null;
	chargeId: string | null;
	reason: string | null;
	businessKey: string | null;
	metadata: Record<string, string>;
	createdAt: string;
}

export function isoFromUnix(seconds: number | null | undefined): string | null {
	return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	return typeof value === 'string' ? value : value.id;
}

function metadataOf(metadata: Stripe.Metadata | null | undefined): Record<string, string> {
	return { ...(metadata ?? {}) };
}

export function summarizeCustomer(customer: Stripe.Customer): CustomerSummary {
	const metadata = metadataOf(customer.metadata);
	return {
		id: customer.id,
		name: customer.name ?? null,
		email: customer.email ?? null,
		businessKey: metadata[METADATA_BUSINESS_KEY] ?? null,
		metadata,
		livemode: customer.livemode,
	};
}

export function summarizePrice(price: Stripe.Price): PriceSummary {
	return {
		id: price.id,
		lookupKey: price.lookup_key ?? null,
		productId: idOf(price.product) ?? '',
		currency: price.currency,
		unitAmount: price.unit_amount ?? null,
		interval: price.recurring?.interval ?? 'one_time',
		intervalCount: price.recurring?.interval_count ?? null,
		active: price.active,
		nickname: price.nickname ?? null,
	};
}

export function summarizeSubscription(subscription: Stripe.Subscription): SubscriptionSummary {
	const metadata = metadataOf(subscription.metadata);
	const items = (subscription.items?.data ?? []).map((item): SubscriptionItemSummary => {
		const price = summarizePrice(item.price);
		return {
			id: item.id,
			sku: item.metadata?.[METADATA_SKU] ?? null,
			priceId: price.id,
			productId: price.productId,
			lookupKey: price.lookupKey,
			quantity: item.quantity ?? 1,
			unitAmount: price.unitAmount,
			interval: price.interval,
		};
	});
	const first = subscription.items?.data?.[0];
	return {
		id: subscription.id,
		customerId: idOf(subscription.customer) ?? '',
		status: subscription.status,
		currency: subscription.currency,
		businessKey: metadata[METADATA_BUSINESS_KEY] ?? null,
		items,
		totalAmount: items.reduce((sum, item) => sum + (item.unitAmount ?? 0) * item.quantity, 0),
		currentPeriodStart: isoFromUnix(first?.current_period_start),
		currentPeriodEnd: isoFromUnix(first?.current_period_end),
		cancelAtPeriodEnd: subscription.cancel_at_period_end ?? false,
		canceledAt: isoFromUnix(subscription.canceled_at),
		latestInvoiceId: idOf(subscription.latest_invoice),
		metadata,
		createdAt: isoFromUnix(subscription.created) ?? '',
	};
}

export function summarizeInvoice(invoice: Stripe.Invoice): InvoiceSummary {
	const metadata = metadataOf(invoice.metadata);
	return {
		id: invoice.id ?? '',
		number: invoice.number ?? null,
		status: invoice.status ?? null,
		customerId: idOf(invoice.customer),
		subscriptionId: idOf(invoice.parent?.subscription_details?.subscription),
		currency: invoice.currency,
		total: invoice.total,
		amountDue: invoice.amount_due,
		amountPaid: invoice.amount_paid,
		amountRemaining: invoice.amount_remaining,
		hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
		invoicePdf: invoice.invoice_pdf ?? null,
		dueDate: isoFromUnix(invoice.due_date),
		createdAt: isoFromUnix(invoice.created) ?? '',
		businessKey: metadata[METADATA_BUSINESS_KEY] ?? invoice.parent?.subscription_details?.metadata?.[METADATA_BUSINESS_KEY] ?? null,
		metadata,
	};
}

export function summarizeRefund(refund: Stripe.Refund): RefundSummary {
	const metadata = metadataOf(refund.metadata);
	return {
		id: refund.id,
		status: refund.status ?? null,
		amount: refund.amount,
		currency: refund.currency,
		paymentIntentId: idOf(refund.payment_intent),
		chargeId: idOf(refund.charge),
		reason: refund.reason ?? null,
		businessKey: metadata[METADATA_BUSINESS_KEY] ?? null,
		metadata,
		createdAt: isoFromUnix(refund.created) ?? '',
	};
}
