import type Stripe from 'stripe';
import { ConnectorError, idempotencyKey, parseInput, stepForAttempt, validationError, z } from '../../core';
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
	METADATA_SKU,
	metadataSchema,
	priceMappingSchema,
	priceSourceSchema,
} from './schemas';
import { summarizeSubscription, type SubscriptionSummary } from './summaries';
import { updateSubscription } from './subscriptionUpdate';

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
	/** Which attempt at this contract (0 first): an attempt after a compensated one gets fresh idempotency keys. */
	attempt: z.number().int().min(0).max(1000).default(0),
});
export type CreateSubscriptionInput = z.input<typeof createSubscriptionInput>;

export interface CreateSubscriptionResult extends SubscriptionSummary {
	/** False when a live subscription for this business key already existed (returned instead). */
	created: boolean;
	/** True when that existing subscription was brought in line with an amended contract. */
	amended?: boolean;
}

/** Statuses that mean the contract's subscription is still in force (no second one is created). */
const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']);

/**
 * Creates the contract's subscription. An existing live subscription carrying the business key is returned
 * (safe beyond Stripe's 24 h idempotency window), updated first when the contract was amended (other items,
 * quantities or prices). The create carries an idempotency key per attempt; a replayed answer is checked against
 * Stripe's current state, so a subscription cancelled since is never reported as live.
 */
export async function createSubscription(client: StripeBillingClient, input: CreateSubscriptionInput): Promise<CreateSubscriptionResult> {
	const data = parseInput(createSubscriptionInput, input, 'subscription', VENDOR);
	const resolved = await resolveLineItems(client, data);
	const items = subscriptionItemParams(resolved);
	if (items.length === 0) {
		throw validationError('lineItems', 'at least one recurring (month or year) line item', 'only one-time items', VENDOR);
	}

	const existing = await findLiveSubscription(client, data.customerId, data.businessKey);
	if (existing && sameItems(existing, items)) return { ...summarizeSubscription(existing), created: false };
	if (existing) {
		const updated = await updateSubscription(client, { ...data, subscriptionId: existing.id, lineItems: input.lineItems, currency: data.currency });
		return { ...updated, created: false, amended: true };
	}

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

	const key = idempotencyKey(data.businessKey, stepForAttempt(SUBSCRIPTION_CREATE_STEP, data.attempt));
	const subscription = await client.write(key, (stripe, options) => stripe.subscriptions.create(params, options));
	if (subscription.lastResponse?.headers?.['idempotent-replayed'] === 'true') {
		// A replay is the answer as it was; the subscription may have been cancelled since (a compensated attempt).
		const now = await client.read((stripe) => stripe.subscriptions.retrieve(subscription.id));
		if (!LIVE_STATUSES.has(now.status)) {
			throw new ConnectorError('conflict', `Stripe replayed subscription ${now.id} for this contract, and it is ${now.status} now: an earlier attempt was compensated. Run the contract again as its next attempt.`, {
				vendor: VENDOR,
				field: 'attempt',
			});
		}
		return { ...summarizeSubscription(now), created: false };
	}
	return { ...summarizeSubscription(subscription), created: true };
}

/** Whether a subscription already bills exactly these recurring items (by SKU: quantity, price or amount and interval). */
function sameItems(subscription: Stripe.Subscription, wanted: Stripe.SubscriptionCreateParams.Item[]): boolean {
	if (subscription.items.data.length !== wanted.length) return false;
	return wanted.every((item) => {
		const sku = (item.metadata as Record<string, string> | undefined)?.[METADATA_SKU];
		const current = subscription.items.data.find((existing) => existing.metadata?.[METADATA_SKU] === sku);
		if (!current || current.quantity !== item.quantity) return false;
		if (item.price) return current.price.id === item.price;
		return current.price.unit_amount === item.price_data?.unit_amount && current.price.recurring?.interval === item.price_data?.recurring.interval;
	});
}

async function findLiveSubscription(client: StripeBillingClient, customerId: string, businessKey: string): Promise<Stripe.Subscription | undefined> {
	const page = await client.read((stripe) => stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 100 }));
	return page.data.find((s) => s.metadata?.[METADATA_BUSINESS_KEY] === businessKey && LIVE_STATUSES.has(s.status));
}
