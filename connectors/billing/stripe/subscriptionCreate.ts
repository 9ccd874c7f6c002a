import type Stripe from 'stripe';
import { canonicalJson, ConnectorError, idempotencyKey, isConnectorError, parseInput, sha256Hex, stepForAttempt, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { takeFreshCustomer } from './customers';
import { lookupKeysOf, oneTimeInvoiceItemParams, resolveLineItems, subscriptionItemParams, type ResolvedLineItem } from './lineItems';
import { forgetPrices } from './prices';
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

type CreateSubscriptionData = z.output<typeof createSubscriptionInput>;

/**
 * Creates the contract's subscription. An existing live subscription carrying the business key is returned
 * (safe beyond Stripe's 24 h idempotency window), updated first when the contract was amended (other items,
 * quantities or prices). The create carries an idempotency key per attempt; a replayed answer is checked against
 * Stripe's current state, so a subscription cancelled since is never reported as live.
 *
 * Calls saved without weakening that: catalog prices come from a short-lived cache (a refused cached price is
 * looked up again, see createPricedFresh), and the subscription listing is skipped for a customer that
 * findOrCreateCustomer created moments ago for this contract (it cannot have one; the mark is consumed here, so
 * any later create for that customer lists first).
 */
export async function createSubscription(client: StripeBillingClient, input: CreateSubscriptionInput): Promise<CreateSubscriptionResult> {
	const data = parseInput(createSubscriptionInput, input, 'subscription', VENDOR);
	const resolved = await resolveLineItems(client, { ...data, useCache: true });
	const params = createParams(data, resolved);

	const fresh = await takeFreshCustomer(client, data.customerId, data.businessKey);
	const existing = fresh ? undefined : await findLiveSubscription(client, data.customerId, data.businessKey);
	if (existing && sameItems(existing, params.items)) return { ...summarizeSubscription(existing), created: false };
	if (existing) {
		const updated = await updateSubscription(client, { ...data, subscriptionId: existing.id, lineItems: input.lineItems, currency: data.currency });
		return { ...updated, created: false, amended: true };
	}

	const step = stepForAttempt(SUBSCRIPTION_CREATE_STEP, data.attempt);
	let subscription: Stripe.Response<Stripe.Subscription>;
	try {
		subscription = await client.write(idempotencyKey(data.businessKey, step), (stripe, options) => stripe.subscriptions.create(params, options));
	} catch (error) {
		subscription = await createPricedFresh(client, data, params, step, error);
	}
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

function createParams(data: CreateSubscriptionData, resolved: ResolvedLineItem[]): Stripe.SubscriptionCreateParams & { items: Stripe.SubscriptionCreateParams.Item[] } {
	const items = subscriptionItemParams(resolved);
	if (items.length === 0) {
		throw validationError('lineItems', 'at least one recurring (month or year) line item', 'only one-time items', VENDOR);
	}
	const params: Stripe.SubscriptionCreateParams & { items: Stripe.SubscriptionCreateParams.Item[] } = {
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
	return params;
}

/**
 * After Stripe refused an item's price or product (archived, deleted, a lookup key moved within the cache's
 * minute): drops the cached prices, looks them up again and, if that prices the contract differently, creates with
 * the fresh prices. Nothing was created by the refused request, so the fresh one gets its own idempotency key,
 * derived from its parameters: every run that reprices the same way shares it. Any other failure is rethrown.
 */
async function createPricedFresh(client: StripeBillingClient, data: CreateSubscriptionData, refused: Stripe.SubscriptionCreateParams, step: string, error: unknown): Promise<Stripe.Response<Stripe.Subscription>> {
	const itemRefused = isConnectorError(error) && (error.kind === 'not_found' || error.kind === 'validation') && /^(items|add_invoice_items)\[/.test(error.field ?? '');
	const lookupKeys = lookupKeysOf(data);
	if (!itemRefused || lookupKeys.length === 0) throw error;
	await forgetPrices(client, lookupKeys);
	const params = createParams(data, await resolveLineItems(client, { ...data, useCache: false }));
	const priced = (p: Stripe.SubscriptionCreateParams) => canonicalJson({ items: p.items, add_invoice_items: p.add_invoice_items });
	if (priced(params) === priced(refused)) throw error;
	const key = idempotencyKey(data.businessKey, `${step}.repriced-${sha256Hex(priced(params)).slice(0, 16)}`);
	return client.write(key, (stripe, options) => stripe.subscriptions.create(params, options));
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
