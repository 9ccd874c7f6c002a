/**
 * Turns contract line items into Stripe subscription items: a catalog price (lookup_key or price id)
 * or price_data at the contract's own unitAmount/currency/interval. Shared by subscription create and update.
 */
import type Stripe from 'stripe';
import { validationError } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { findPricesByLookupKeys, priceNotFound } from './prices';
import { METADATA_SKU, type BillingLineItem, type PriceMapping, type PriceSource } from './schemas';

export interface ResolvedLineItem {
	sku: string;
	quantity: number;
	interval: string;
	/** A catalog price used as is. */
	price?: string;
	/** Billed at the contract's price. */
	priceData?: { currency: string; product: string; unit_amount: number; interval?: 'month' | 'year' };
}

export interface ResolveOptions {
	lineItems: BillingLineItem[];
	currency: string;
	priceMapping?: PriceMapping;
	priceSource: PriceSource;
	/** Reuse recently looked-up catalog prices (see PRICE_CACHE_TTL_MS). */
	useCache?: boolean;
}

interface PricingHint {
	priceId?: string;
	lookupKey?: string;
	productId?: string;
}

function hintFor(item: BillingLineItem, mapping: PriceMapping | undefined): PricingHint {
	const entry = mapping?.[item.sku];
	const fromMapping: PricingHint =
		typeof entry === 'string' ? (/^price_/.test(entry) ? { priceId: entry } : { lookupKey: entry }) : { ...entry };
	return {
		priceId: item.priceId ?? fromMapping.priceId,
		lookupKey: item.lookupKey ?? fromMapping.lookupKey,
		productId: item.productId ?? fromMapping.productId,
	};
}

/** The catalog lookup keys these line items are priced by. */
export function lookupKeysOf(options: Pick<ResolveOptions, 'lineItems' | 'priceMapping'>): string[] {
	const hints = options.lineItems.map((item) => hintFor(item, options.priceMapping));
	return hints.filter((h) => !h.priceId && h.lookupKey).map((h) => h.lookupKey as string);
}

export async function resolveLineItems(client: StripeBillingClient, options: ResolveOptions): Promise<ResolvedLineItem[]> {
	const hints = options.lineItems.map((item) => hintFor(item, options.priceMapping));
	const lookupKeys = lookupKeysOf(options);
	const byLookupKey = lookupKeys.length ? await findPricesByLookupKeys(client, lookupKeys, { useCache: options.useCache }) : new Map<string, Stripe.Price>();
	const byId = new Map<string, Stripe.Price>();
	for (const priceId of new Set(hints.map((h) => h.priceId).filter((id): id is string => Boolean(id)))) {
		byId.set(priceId, await client.read((stripe) => stripe.prices.retrieve(priceId)));
	}

	return options.lineItems.map((item, index) => {
		const hint = hints[index];
		const field = `lineItems.${index}`;
		let catalog: Stripe.Price | undefined;
		if (hint.priceId) catalog = byId.get(hint.priceId);
		else if (hint.lookupKey) {
			catalog = byLookupKey.get(hint.lookupKey);
			if (!catalog) throw priceNotFound(hint.lookupKey, `priceMapping.${item.sku}`);
		}
		const base = { sku: item.sku, quantity: item.quantity };

		if (options.priceSource === 'catalog' || item.unitAmount === undefined) {
			if (!catalog) {
				throw validationError(
					`priceMapping.${item.sku}`,
					`a lookup_key or price id for SKU "${item.sku}" (or a unitAmount and productId on ${field})`,
					undefined,
					VENDOR,
				);
			}
			if (catalog.currency !== options.currency) {
				throw validationError(`${field}.sku`, `a price in "${options.currency}" (the Stripe price is in "${catalog.currency}")`, item.sku, VENDOR);
			}
			return { ...base, interval: catalog.recurring?.interval ?? 'one_time', price: catalog.id };
		}

		// Contract pricing: reuse the catalog price when it already says the same thing.
		if (catalog && matches(catalog, item.unitAmount, options.currency, item.interval)) {
			return { ...base, interval: item.interval, price: catalog.id };
		}
		const product = hint.productId ?? productOf(catalog);
		if (!product) {
			throw validationError(
				`priceMapping.${item.sku}`,
				`a productId (or a lookup_key whose price names the product) so SKU "${item.sku}" can be billed at the contract price`,
				undefined,
				VENDOR,
			);
		}
		return {
			...base,
			interval: item.interval,
			priceData: {
				currency: options.currency,
				product,
				unit_amount: item.unitAmount,
				...(item.interval === 'one_time' ? {} : { interval: item.interval }),
			},
		};
	});
}

function matches(price: Stripe.Price, unitAmount: number, currency: string, interval: string): boolean {
	const priceInterval = price.recurring?.interval ?? 'one_time';
	const countOk = (price.recurring?.interval_count ?? 1) === 1;
	return price.unit_amount === unitAmount && price.currency === currency && priceInterval === interval && countOk;
}

function productOf(price: Stripe.Price | undefined): string | undefined {
	if (!price) return undefined;
	return typeof price.product === 'string' ? price.product : price.product.id;
}

/** Recurring items as Stripe subscription items. */
export function subscriptionItemParams(items: ResolvedLineItem[]): Stripe.SubscriptionCreateParams.Item[] {
	return items
		.filter((item) => item.interval !== 'one_time')
		.map((item) => ({
			quantity: item.quantity,
			metadata: { [METADATA_SKU]: item.sku },
			...(item.price
				? { price: item.price }
				: {
						price_data: {
							currency: item.priceData!.currency,
							product: item.priceData!.product,
							unit_amount: item.priceData!.unit_amount,
							recurring: { interval: item.priceData!.interval as 'month' | 'year' },
						},
					}),
		}));
}

/** One-time items (set-up fees and the like) go on the subscription's first invoice. */
export function oneTimeInvoiceItemParams(items: ResolvedLineItem[]): Stripe.SubscriptionCreateParams.AddInvoiceItem[] {
	return items
		.filter((item) => item.interval === 'one_time')
		.map((item) => ({
			quantity: item.quantity,
			metadata: { [METADATA_SKU]: item.sku },
			...(item.price
				? { price: item.price }
				: { price_data: { currency: item.priceData!.currency, product: item.priceData!.product, unit_amount: item.priceData!.unit_amount } }),
		}));
}
