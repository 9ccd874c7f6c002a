import type Stripe from 'stripe';
import { idempotencyKey, isConnectorError, parseInput, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { businessKeySchema, contractMetadata, METADATA_BUSINESS_KEY, metadataSchema } from './schemas';
import { summarizeCustomer, type CustomerSummary } from './summaries';

export const CUSTOMER_CREATE_STEP = 'billing.customer.create';

export const findOrCreateCustomerInput = z.object({
	businessKey: businessKeySchema,
	name: z.string().trim().min(1, 'the customer name'),
	email: z.string().trim().email('an email address'),
	country: z
		.string()
		.trim()
		.regex(/^[A-Za-z]{2}$/, 'an ISO-3166 alpha-2 country code such as "US"')
		.transform((c) => c.toUpperCase())
		.optional(),
	description: z.string().optional(),
	metadata: metadataSchema,
});
export type FindOrCreateCustomerInput = z.input<typeof findOrCreateCustomerInput>;

export interface FindOrCreateCustomerResult extends CustomerSummary {
	/** True when this call created the customer; false when one already carried the business key. */
	created: boolean;
	matchedBy: 'search' | 'email' | 'created' | 'replayed';
}

/** How long a customer this call created is known to have no subscription yet (see takeFreshCustomer). */
export const FRESH_CUSTOMER_TTL_MS = 15 * 60_000;

const freshCustomerKey = (client: StripeBillingClient, customerId: string) => `${client.accountKey}:fresh-customer:${customerId}`;

/**
 * Whether `customerId` was created moments ago for this contract and no subscription create has been sent for it
 * since. Consumes the mark: of all callers only the first is told so (later ones must look for subscriptions).
 */
export async function takeFreshCustomer(client: StripeBillingClient, customerId: string, businessKey: string): Promise<boolean> {
	return (await client.cache.take<string>(freshCustomerKey(client, customerId))) === businessKey;
}

/**
 * Finds the customer tagged with the business key, or creates it, in one search and (for a new contract) one create.
 * Search lags writes by up to about a minute; a redelivery inside that window sends the same create with the same
 * idempotency key and Stripe answers with the customer it stored (24 h), so no duplicate either way. When that
 * create is refused because the contract's details changed meanwhile, or search is unavailable, the email listing
 * (consistent) finds it.
 */
export async function findOrCreateCustomer(client: StripeBillingClient, input: FindOrCreateCustomerInput): Promise<FindOrCreateCustomerResult> {
	const data = parseInput(findOrCreateCustomerInput, input, 'customer', VENDOR);
	const bySearch = await searchByBusinessKey(client, data.businessKey);
	if (bySearch === 'unavailable') {
		const byEmail = await findByEmail(client, data.email, data.businessKey);
		if (byEmail) return { ...summarizeCustomer(byEmail), created: false, matchedBy: 'email' };
	} else if (bySearch) return { ...summarizeCustomer(bySearch), created: false, matchedBy: 'search' };

	const params: Stripe.CustomerCreateParams = {
		name: data.name,
		email: data.email,
		metadata: contractMetadata(data.businessKey, CUSTOMER_CREATE_STEP, data.metadata),
	};
	if (data.country) params.address = { country: data.country };
	if (data.description) params.description = data.description;
	const key = idempotencyKey(data.businessKey, CUSTOMER_CREATE_STEP);
	let created: Stripe.Response<Stripe.Customer>;
	try {
		created = await client.write(key, (stripe, options) => stripe.customers.create(params, options));
	} catch (error) {
		const byEmail = isConnectorError(error) && error.kind === 'conflict' ? await findByEmail(client, data.email, data.businessKey) : undefined;
		if (byEmail) return { ...summarizeCustomer(byEmail), created: false, matchedBy: 'email' };
		throw error;
	}
	if (created.lastResponse?.headers?.['idempotent-replayed'] === 'true') {
		return { ...summarizeCustomer(created), created: false, matchedBy: 'replayed' };
	}
	await client.cache.set(freshCustomerKey(client, created.id), data.businessKey, FRESH_CUSTOMER_TTL_MS);
	return { ...summarizeCustomer(created), created: true, matchedBy: 'created' };
}

async function findByEmail(client: StripeBillingClient, email: string, businessKey: string): Promise<Stripe.Customer | undefined> {
	const byEmail = await client.read((stripe) => stripe.customers.list({ email, limit: 100 }));
	return byEmail.data.find((customer) => customer.metadata?.[METADATA_BUSINESS_KEY] === businessKey);
}

async function searchByBusinessKey(client: StripeBillingClient, businessKey: string): Promise<Stripe.Customer | 'unavailable' | undefined> {
	const query = `metadata['${METADATA_BUSINESS_KEY}']:'${escapeSearchValue(businessKey)}'`;
	try {
		const result = await client.search((stripe) => stripe.customers.search({ query, limit: 10 }));
		return result.data.find((customer) => customer.metadata?.[METADATA_BUSINESS_KEY] === businessKey);
	} catch (error) {
		// Search is unavailable in some regions and sandboxes; the email listing still finds the customer.
		if (isConnectorError(error) && (error.kind === 'not_found' || error.kind === 'permanent' || error.kind === 'validation')) return 'unavailable';
		throw error;
	}
}

/** Stripe search query strings are single-quoted; quotes and backslashes are escaped with a backslash. */
export function escapeSearchValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export interface CustomerPage {
	items: CustomerSummary[];
	nextCursor?: string;
}

/** For pickers: customers matching a name/email fragment, or the newest customers page by page. */
export async function searchCustomers(client: StripeBillingClient, filter?: string, cursor?: string): Promise<CustomerPage> {
	const text = filter?.trim();
	if (text) {
		const query = `name~'${escapeSearchValue(text)}' OR email~'${escapeSearchValue(text)}'`;
		const result = await client.search((stripe) => stripe.customers.search({ query, limit: 50, ...(cursor ? { page: cursor } : {}) }));
		return { items: result.data.map(summarizeCustomer), nextCursor: result.has_more ? (result.next_page ?? undefined) : undefined };
	}
	const result = await client.read((stripe) => stripe.customers.list({ limit: 50, ...(cursor ? { starting_after: cursor } : {}) }));
	const last = result.data[result.data.length - 1];
	return { items: result.data.map(summarizeCustomer), nextCursor: result.has_more && last ? last.id : undefined };
}
