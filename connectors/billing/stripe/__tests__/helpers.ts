/** Shared fixtures for the Stripe connector tests: a client with a fake sleep, nock capture, Stripe objects. */
import nock from 'nock';
import { MemoryTtlCache } from '../../../core/ttlCache';
import { StripeBillingClient, type StripeBillingConfig } from '../client';

export const SECRET = 'sk_test_51TestSecretKeyForUnitTests';
export const BASE = 'https://api.stripe.com';

export interface Captured {
	method: string;
	path: string;
	body: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
}

export function makeClient(overrides: Partial<StripeBillingConfig> = {}): { client: StripeBillingClient; sleeps: number[] } {
	const sleeps: number[] = [];
	const client = new StripeBillingClient({
		secretKey: SECRET,
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		retry: { retries: 3, baseDelayMs: 100, jitter: 0 },
		rateLimit: { perSecond: 1000, burst: 1000 },
		// Each test its own cache: a price or mark cached by one test must not answer another.
		cache: new MemoryTtlCache(),
		...overrides,
	});
	return { client, sleeps };
}

/** A nock reply function that records the request (form body flattened: `items[0][price]`). */
export function reply(calls: Captured[], status: number, response: unknown, headers: Record<string, string> = {}) {
	return function (this: nock.ReplyFnContext, uri: string, body: nock.Body): nock.ReplyFnResult {
		calls.push({
			method: this.req.method,
			path: uri,
			body: Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : '')),
			headers: this.req.headers as Record<string, string | string[] | undefined>,
		});
		return [status, response as nock.Body, headers];
	};
}

export function stripeError(type: string, message: string, extra: Record<string, unknown> = {}) {
	return { error: { type, message, ...extra } };
}

export function customer(id: string, businessKey?: string, extra: Record<string, unknown> = {}) {
	return {
		id,
		object: 'customer',
		name: 'Acme Ltd',
		email: 'billing@acme.test',
		livemode: false,
		metadata: businessKey ? { q2c_business_key: businessKey } : {},
		...extra,
	};
}

export function price(id: string, extra: Record<string, unknown> = {}) {
	return {
		id,
		object: 'price',
		active: true,
		currency: 'usd',
		unit_amount: 5000,
		lookup_key: null,
		nickname: null,
		product: 'prod_A',
		recurring: { interval: 'month', interval_count: 1 },
		...extra,
	};
}

export function subscription(id: string, extra: Record<string, unknown> = {}, items: unknown[] = []) {
	return {
		id,
		object: 'subscription',
		customer: 'cus_1',
		status: 'active',
		currency: 'usd',
		cancel_at_period_end: false,
		canceled_at: null,
		created: 1_700_000_000,
		latest_invoice: 'in_1',
		metadata: { q2c_business_key: 'ORD-1' },
		items: { object: 'list', data: items, has_more: false },
		...extra,
	};
}

export function item(id: string, sku: string, priceObject: unknown, quantity = 1) {
	return {
		id,
		object: 'subscription_item',
		metadata: { q2c_sku: sku },
		price: priceObject,
		quantity,
		current_period_start: 1_700_000_000,
		current_period_end: 1_702_592_000,
	};
}

export function list(data: unknown[], hasMore = false, extra: Record<string, unknown> = {}) {
	return { object: 'list', data, has_more: hasMore, url: '/v1/x', ...extra };
}
