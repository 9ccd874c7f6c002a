import type Stripe from 'stripe';
import { ConnectorError, parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { lookupKeySchema } from './schemas';
import { summarizePrice, type PriceSummary } from './summaries';

export const getPriceByLookupKeyInput = z.object({ lookupKey: lookupKeySchema });
export type GetPriceByLookupKeyInput = z.input<typeof getPriceByLookupKeyInput>;

/** The active price with this lookup_key (lookup keys are unique among active prices). */
export async function getPriceByLookupKey(client: StripeBillingClient, input: GetPriceByLookupKeyInput): Promise<PriceSummary> {
	const { lookupKey } = parseInput(getPriceByLookupKeyInput, input, 'price', VENDOR);
	const prices = await findPricesByLookupKeys(client, [lookupKey]);
	const price = prices.get(lookupKey);
	if (!price) throw priceNotFound(lookupKey, 'price.lookupKey');
	return summarizePrice(price);
}

/** Stripe accepts at most 10 lookup_keys per list call. */
const LOOKUP_BATCH = 10;

/**
 * How long a lookup_key → price answer is reused. A catalog changes rarely; a price archived or a lookup key moved
 * within this window is caught when the write that uses it fails (see createSubscription), never billed silently.
 */
export const PRICE_CACHE_TTL_MS = 60_000;

const priceCacheKey = (client: StripeBillingClient, lookupKey: string) => `${client.accountKey}:price:${lookupKey}`;

/**
 * Active prices for several lookup keys, in as few calls as Stripe allows. Missing keys are absent. With
 * `useCache`, answers from the last PRICE_CACHE_TTL_MS (this credential only) are reused and fresh ones stored.
 */
export async function findPricesByLookupKeys(
	client: StripeBillingClient,
	lookupKeys: string[],
	options: { useCache?: boolean } = {},
): Promise<Map<string, Stripe.Price>> {
	const unique = [...new Set(lookupKeys)];
	const found = new Map<string, Stripe.Price>();
	let missing = unique;
	if (options.useCache) {
		const cached = await Promise.all(unique.map((key) => client.cache.get<Stripe.Price>(priceCacheKey(client, key))));
		unique.forEach((key, index) => {
			const price = cached[index];
			if (price) found.set(key, price);
		});
		missing = unique.filter((key) => !found.has(key));
	}
	for (let start = 0; start < missing.length; start += LOOKUP_BATCH) {
		const batch = missing.slice(start, start + LOOKUP_BATCH);
		const page = await client.read((stripe) => stripe.prices.list({ lookup_keys: batch, active: true, limit: 100 }));
		for (const price of page.data) {
			if (!price.lookup_key) continue;
			found.set(price.lookup_key, price);
			await client.cache.set(priceCacheKey(client, price.lookup_key), withoutResponse(price), PRICE_CACHE_TTL_MS);
		}
	}
	return found;
}

/** Drops cached prices (a write refused one of them). */
export async function forgetPrices(client: StripeBillingClient, lookupKeys: string[]): Promise<void> {
	await Promise.all([...new Set(lookupKeys)].map((key) => client.cache.delete(priceCacheKey(client, key))));
}

/** The SDK's `lastResponse` (headers, request id) belongs to one call, not to the price. */
function withoutResponse(price: Stripe.Price): Stripe.Price {
	const copy = { ...price } as Stripe.Price & { lastResponse?: unknown };
	delete copy.lastResponse;
	return copy;
}

export function priceNotFound(lookupKey: string, field: string): ConnectorError {
	return new ConnectorError('not_found', `No active Stripe price has the lookup_key "${lookupKey}"`, {
		vendor: VENDOR,
		field,
		expected: 'the lookup_key of an active Stripe price',
	});
}
