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

/** Active prices for several lookup keys, in as few calls as Stripe allows. Missing keys are absent. */
export async function findPricesByLookupKeys(client: StripeBillingClient, lookupKeys: string[]): Promise<Map<string, Stripe.Price>> {
	const unique = [...new Set(lookupKeys)];
	const found = new Map<string, Stripe.Price>();
	for (let start = 0; start < unique.length; start += LOOKUP_BATCH) {
		const batch = unique.slice(start, start + LOOKUP_BATCH);
		const page = await client.read((stripe) => stripe.prices.list({ lookup_keys: batch, active: true, limit: 100 }));
		for (const price of page.data) if (price.lookup_key) found.set(price.lookup_key, price);
	}
	return found;
}

export function priceNotFound(lookupKey: string, field: string): ConnectorError {
	return new ConnectorError('not_found', `No active Stripe price has the lookup_key "${lookupKey}"`, {
		vendor: VENDOR,
		field,
		expected: 'the lookup_key of an active Stripe price',
	});
}
