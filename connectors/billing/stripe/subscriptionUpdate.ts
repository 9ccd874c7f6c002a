import type Stripe from 'stripe';
import { canonicalJson, ConnectorError, idempotencyKey, parseInput, sha256Hex, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { oneTimeInvoiceItemParams, resolveLineItems, subscriptionItemParams } from './lineItems';
import {
	businessKeySchema,
	contractMetadata,
	currencySchema,
	lineItemsSchema,
	METADATA_SKU,
	metadataSchema,
	priceMappingSchema,
	priceSourceSchema,
	subscriptionIdSchema,
} from './schemas';
import { summarizeSubscription, type SubscriptionSummary } from './summaries';

export const SUBSCRIPTION_UPDATE_STEP = 'billing.subscription.update';
export const METADATA_LAST_CHANGE = 'q2c_last_change';

export const updateSubscriptionInput = z.object({
	businessKey: businessKeySchema,
	subscriptionId: subscriptionIdSchema,
	/** Defaults to the subscription's currency. */
	currency: currencySchema.optional(),
	lineItems: lineItemsSchema,
	priceMapping: priceMappingSchema.optional(),
	priceSource: priceSourceSchema,
	prorationBehavior: z.enum(['create_prorations', 'none', 'always_invoice']).default('create_prorations'),
	/** Unix seconds: prorate as of this moment, e.g. the `prorationDate` of previewSubscriptionChange, so the charge is what was shown. */
	prorationDate: z.number().int().positive().optional(),
	/** Delete subscription items whose SKU is no longer in the contract. */
	removeMissing: z.boolean().default(true),
	metadata: metadataSchema,
});
export type UpdateSubscriptionInput = z.input<typeof updateSubscriptionInput>;

export interface UpdateSubscriptionResult extends SubscriptionSummary {
	/** False when this exact change was already applied (a redelivery); nothing was sent. */
	changed: boolean;
	changeKey: string;
}

/**
 * Brings the subscription's items and prices in line with the contract. Items are matched by SKU
 * (set as item metadata at create). Each distinct change gets its own idempotency key (business key +
 * step + a hash of the requested change), and is recorded on the subscription so a redelivery is a no-op.
 */
export async function updateSubscription(client: StripeBillingClient, input: UpdateSubscriptionInput): Promise<UpdateSubscriptionResult> {
	const data = parseInput(updateSubscriptionInput, input, 'subscription', VENDOR);
	const change = sha256Hex(
		canonicalJson({ lineItems: data.lineItems, priceMapping: data.priceMapping, priceSource: data.priceSource, currency: data.currency, removeMissing: data.removeMissing }),
	).slice(0, 16);
	const step = `${SUBSCRIPTION_UPDATE_STEP}.${change}`;

	const current = await client.read((stripe) => stripe.subscriptions.retrieve(data.subscriptionId));
	if (current.metadata?.[METADATA_LAST_CHANGE] === step) {
		return { ...summarizeSubscription(current), changed: false, changeKey: step };
	}
	if (current.status === 'canceled' || current.status === 'incomplete_expired') {
		throw new ConnectorError('conflict', `Subscription ${current.id} is ${current.status} and cannot be updated`, {
			vendor: VENDOR,
			field: 'subscriptionId',
		});
	}

	const { items, oneTime } = await plannedItems(client, data, current);
	const params: Stripe.SubscriptionUpdateParams = {
		items,
		proration_behavior: data.prorationBehavior,
		...(data.prorationDate ? { proration_date: data.prorationDate } : {}),
		metadata: { ...contractMetadata(data.businessKey, SUBSCRIPTION_UPDATE_STEP, data.metadata), [METADATA_LAST_CHANGE]: step },
	};
	if (oneTime.length) params.add_invoice_items = oneTime;

	const key = idempotencyKey(data.businessKey, step);
	const updated = await client.write(key, (stripe, options) => stripe.subscriptions.update(data.subscriptionId, params, options));
	return { ...summarizeSubscription(updated), changed: true, changeKey: step };
}

type PlanInput = Pick<z.output<typeof updateSubscriptionInput>, 'lineItems' | 'priceMapping' | 'priceSource' | 'currency' | 'removeMissing'>;

/** The item changes that bring `current` in line with the line items (matched by SKU); also what a preview sends. */
export async function plannedItems(client: StripeBillingClient, data: PlanInput, current: Stripe.Subscription) {
	const currency = data.currency ?? current.currency;
	const resolved = await resolveLineItems(client, { ...data, currency } as Parameters<typeof resolveLineItems>[1]);
	const wanted = subscriptionItemParams(resolved);
	const existingBySku = new Map(current.items.data.map((item) => [item.metadata?.[METADATA_SKU] ?? item.id, item] as const));
	const items: Stripe.SubscriptionUpdateParams.Item[] = wanted.map((item) => {
		const sku = item.metadata ? (item.metadata as Record<string, string>)[METADATA_SKU] : undefined;
		const existing = sku === undefined ? undefined : existingBySku.get(sku);
		return existing ? { ...item, id: existing.id } : item;
	});
	if (data.removeMissing) {
		const keep = new Set(resolved.map((item) => item.sku));
		for (const [sku, item] of existingBySku) if (!keep.has(sku)) items.push({ id: item.id, deleted: true });
	}
	return { items, oneTime: oneTimeInvoiceItemParams(resolved) };
}
