/** Zod shapes for every input the billing connector accepts; validated before any Stripe call. */
import { businessKeySchema, currencySchema, minorAmountSchema, z } from '../../core';

export { businessKeySchema };

export const METADATA_BUSINESS_KEY = 'q2c_business_key';
export const METADATA_STEP = 'q2c_step';
export const METADATA_SKU = 'q2c_sku';

export function stripeId(prefix: string, what: string) {
	return z
		.string()
		.trim()
		.regex(new RegExp(`^${prefix}_[A-Za-z0-9_]+$`), `a Stripe ${what} id starting with "${prefix}_"`);
}

export const customerIdSchema = stripeId('cus', 'customer');
export const subscriptionIdSchema = stripeId('sub', 'subscription');
export const invoiceIdSchema = stripeId('in', 'invoice');
export const priceIdSchema = stripeId('price', 'price');
export const productIdSchema = stripeId('prod', 'product');
export const lookupKeySchema = z.string().trim().min(1, 'a non-empty Stripe price lookup_key').max(200);
export const intervalSchema = z.enum(['month', 'year', 'one_time']);

/** A contract line item (the normalized contract's shape) plus optional Stripe pricing hints. */
export const billingLineItemSchema = z.object({
	sku: z.string().trim().min(1, 'a non-empty SKU'),
	appId: z.string().optional(),
	editionId: z.string().optional(),
	description: z.string().optional(),
	quantity: z.number().int('a whole number').positive('a quantity of at least 1').default(1),
	/** Minor units; when present the subscription is priced at this contract amount. */
	unitAmount: minorAmountSchema.optional(),
	interval: intervalSchema.default('month'),
	priceId: priceIdSchema.optional(),
	lookupKey: lookupKeySchema.optional(),
	productId: productIdSchema.optional(),
});
export type BillingLineItem = z.infer<typeof billingLineItemSchema>;

/** sku → Stripe lookup_key or price id, or { lookupKey, productId, priceId }; editable by business users. */
export const priceMappingSchema = z.record(
	z.string(),
	z.union([
		z.string().trim().min(1, 'a lookup_key or price id'),
		z
			.object({ lookupKey: lookupKeySchema.optional(), productId: productIdSchema.optional(), priceId: priceIdSchema.optional() })
			.strict(),
	]),
);
export type PriceMapping = z.infer<typeof priceMappingSchema>;

/**
 * contract: items with a unitAmount are billed at the contract's price (catalog price reused when it
 * matches); catalog: the catalog price of the lookup_key/price id is used whatever the contract says.
 */
export const priceSourceSchema = z.enum(['contract', 'catalog']).default('contract');
export type PriceSource = z.infer<typeof priceSourceSchema>;

export const lineItemsSchema = z.array(billingLineItemSchema).min(1, 'at least one line item');
export { currencySchema, minorAmountSchema };

export const metadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({});

/** Metadata linking a Stripe record back to its contract and the workflow step that wrote it. */
export function contractMetadata(businessKey: string, step: string, extra: Record<string, string | number | boolean> = {}): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(extra)) out[key] = String(value);
	out[METADATA_BUSINESS_KEY] = businessKey;
	out[METADATA_STEP] = step;
	return out;
}

/** Subscription and Checkout Session metadata naming the plan tier a signup chose. */
export const METADATA_TIER = 'q2c_tier';
export const checkoutSessionIdSchema = stripeId('cs', 'Checkout Session');
