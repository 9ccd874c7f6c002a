import type Stripe from 'stripe';
import { idempotencyKey, parseInput, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { oneTimeInvoiceItemParams, resolveLineItems, subscriptionItemParams } from './lineItems';
import {
	businessKeySchema,
	contractMetadata,
	currencySchema,
	customerIdSchema,
	lineItemsSchema,
	METADATA_BUSINESS_KEY,
	metadataSchema,
	priceMappingSchema,
	priceSourceSchema,
} from './schemas';
import { summarizeSubscription, type SubscriptionSummary } from './summaries';

export const SUBSCRIPTION_CREATE_STEP = 'billing.subscription.create';

export const createSubscriptionInput = z.object({
	businessKey: businessKeySchema,
	customerId: customerIdSchema,
	currency: currencySchema,
	lineItems: lineItemsSchema,
	priceMapping: priceMappingSchema.optional(),
	priceSource: priceSourceSchema,
	/** B2B contracts are invoiced by default: a new customer has no card on file. */
	collectionMethod: z.enum(['send_invoice', 'charge_automatically']).default('send_invoice'),
	daysUntilDue: z.number().int().min(0).max(730).default(30),
	trialPeriodDays: z.number().int().min(1).max(730).optional(),
	description: z.string().max(500).optional(),
	metadata: metadataSchema,
});
export type CreateSubscriptionInput = z.input<typeof createSubscriptionInput>;

export interface CreateSubscriptionResult extends SubscriptionSummary {
	/** False when a live subscription for this business key already existed (returned instead). */
	created: boolean;
}

/** Statuses that mean the contract's subscription is still in force (no second one is created). */
const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']);

/**
 * Creates the contract's subscription. An existing live subscription carrying the business key is
 * returned as is (safe beyond Stripe's 24 h idempotency window); the create carries an idempotency key.
 */
export async function createSubscription(client: StripeBillingClient, input: CreateSubscriptionInput): Promise<CreateSubscriptionResult> {
	const data = parseInput(createSubscriptionInput, input, 'subscription', VENDOR);
	const resolved = await resolveLineItems(client, data);
	const items = subscriptionItemParams(resolved);
	if (items.length === 0) {
		throw validationError('lineItems', 'at least one recurring (month or year) line item', 'only one-time items', VENDOR);
	}

	const existing = await findLiveSubscription(client, data.customerId, data.businessKey);
	if (existing) return { ...summarizeSubscription(existing), created: false };

	const params: Stripe.SubscriptionCreateParams = {
		customer: data.customerId,
		currency: data.currency,
		items,
		collection_method: data.collectionMethod,
		metadata: contractMetadata(data.businessKey, SUBSCRIPTION_CREATE_STEP, data.metadata),
	};
	const oneTime = oneTimeInvoiceItemParams(resolved);
	if (oneTime.length) params.add_invoice_items = oneTime;
	if (data.collectionMethod === 'send_invoice') params.days_until_due = data.daysUntilDue;
	if (data.trialPeriodDays) params.trial_period_days = data.trialPeriodDays;
	if (data.description) params.description = data.description;

	const key = idempotencyKey(data.businessKey, SUBSCRIPTION_CREATE_STEP);
	const subscription = await client.write(key, (stripe, options) => stripe.subscriptions.create(params, options));
	return { ...summarizeSubscription(subscription), created: true };
}

async function findLiveSubscription(client: StripeBillingClient, customerId: string, businessKey: string): Promise<Stripe.Subscription | undefined> {
	const page = await client.read((stripe) => stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 100 }));
	return page.data.find((s) => s.metadata?.[METADATA_BUSINESS_KEY] === businessKey && LIVE_STATUSES.has(s.status));
}
