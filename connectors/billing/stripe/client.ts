import Stripe from 'stripe';
import {
	parseInput,
	rateLimiterFor,
	registerSecret,
	sha256Hex,
	sharedTtlCache,
	validationError,
	withRetry,
	z,
	type RateLimit,
	type RetryPolicy,
	type TtlCache,
} from '../../core';
import { mapStripeError, VENDOR } from './errors';

/** Pinned so a Stripe account upgrade never changes what this connector sends or parses. */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = '2026-10-28.endive';
export const DEFAULT_STRIPE_BASE_URL = 'https://api.stripe.com';

const configSchema = z.object({
	secretKey: z.string().trim().min(1, 'a Stripe secret key (sk_… or rk_…)'),
	baseUrl: z
		.string()
		.trim()
		.url('an http(s) URL such as https://api.stripe.com')
		.refine((value) => /^https?:\/\//i.test(value), 'an http(s) URL such as https://api.stripe.com')
		.optional(),
	timeoutMs: z.number().int().positive().optional(),
});

export interface StripeBillingConfig {
	secretKey: string;
	/** Sandbox or proxy; host, port and protocol are taken from it (no path). Default https://api.stripe.com. */
	baseUrl?: string;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	/** Inject a fake sleep in tests so backoff does not wait. */
	sleep?: (ms: number) => Promise<void>;
	rateLimit?: RateLimit;
	/** Search endpoints' own limit (default STRIPE_SEARCH_RATE_LIMIT). */
	searchRateLimit?: RateLimit;
	/** Where catalog lookups are cached (default: the process's shared cache, Redis when Q2C_REDIS_URL is set). */
	cache?: TtlCache;
}

export interface CallOptions {
	/** A write (POST/DELETE). Writes are retried only when they carry an idempotency key. */
	write: boolean;
	idempotencyKey?: string;
	/** A search endpoint: Stripe limits those on their own, below the account's limit. */
	search?: boolean;
}

/**
 * The Stripe SDK with our own retry policy (core `withRetry`) in place of the SDK's: the SDK's own
 * retries are off, so rate limits, 5xx and connection errors are retried only for reads and for writes
 * carrying a business idempotency key, honouring Retry-After. Every failure leaves as a ConnectorError.
 */
export class StripeBillingClient {
	readonly stripe: Stripe;
	private readonly retry?: Partial<RetryPolicy>;
	private readonly sleep?: (ms: number) => Promise<void>;
	private readonly rateLimitKey: string;
	private readonly rateLimit: RateLimit;
	private readonly searchRateLimit: RateLimit;
	/** Identifies the Stripe account and endpoint (a hash, never the key) for cache keys. */
	readonly accountKey: string;
	readonly cache: TtlCache;

	constructor(config: StripeBillingConfig) {
		const parsed = parseInput(configSchema, config, 'credentials', VENDOR);
		registerSecret(parsed.secretKey);
		const target = hostOptions(parsed.baseUrl ?? DEFAULT_STRIPE_BASE_URL);
		this.stripe = new Stripe(parsed.secretKey, {
			apiVersion: STRIPE_API_VERSION,
			...target,
			maxNetworkRetries: 0,
			timeout: parsed.timeoutMs ?? 30_000,
			telemetry: false,
			appInfo: { name: 'n8n-nodes-quote-to-cash' },
		});
		this.retry = config.retry;
		this.sleep = config.sleep;
		// Stripe's documented limits: live 100 ops/s, test 25 ops/s. burst + perSecond stays within the limit, so no
		// one-second window ever holds more than Stripe allows (a bigger burst only buys 429s and their backoff).
		const live = parsed.secretKey.includes('_live_');
		this.rateLimit = config.rateLimit ?? (live ? STRIPE_LIVE_RATE_LIMIT : STRIPE_TEST_RATE_LIMIT);
		this.searchRateLimit = config.searchRateLimit ?? STRIPE_SEARCH_RATE_LIMIT;
		this.rateLimitKey = `stripe:${sha256Hex(parsed.secretKey).slice(0, 16)}`;
		this.accountKey = `stripe:${sha256Hex(`${parsed.secretKey}\u0000${target.protocol}://${target.host}:${target.port}`).slice(0, 24)}`;
		this.cache = config.cache ?? sharedTtlCache();
	}

	/** Runs one SDK call with rate limiting, retries and error mapping. */
	async call<T>(fn: (stripe: Stripe, requestOptions: Stripe.RequestOptions) => Promise<T>, options: CallOptions): Promise<T> {
		const requestOptions: Stripe.RequestOptions = options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {};
		const limiter = rateLimiterFor(this.rateLimitKey, this.rateLimit);
		const searchLimiter = options.search ? rateLimiterFor(`${this.rateLimitKey}:search`, this.searchRateLimit) : undefined;
		return withRetry(
			async () => {
				await searchLimiter?.acquire();
				await limiter.acquire();
				try {
					return await fn(this.stripe, requestOptions);
				} catch (error) {
					throw mapStripeError(error);
				}
			},
			{ idempotent: !options.write || Boolean(options.idempotencyKey), policy: this.retry, sleep: this.sleep },
		);
	}

	read<T>(fn: (stripe: Stripe) => Promise<T>): Promise<T> {
		return this.call((stripe) => fn(stripe), { write: false });
	}

	/** A read of a search endpoint (customers.search, …), held to Stripe's search limit as well. */
	search<T>(fn: (stripe: Stripe) => Promise<T>): Promise<T> {
		return this.call((stripe) => fn(stripe), { write: false, search: true });
	}

	write<T>(idempotencyKey: string, fn: (stripe: Stripe, requestOptions: Stripe.RequestOptions) => Promise<T>): Promise<T> {
		return this.call(fn, { write: true, idempotencyKey });
	}
}

export const STRIPE_TEST_RATE_LIMIT: RateLimit = { perSecond: 24, burst: 1 };
export const STRIPE_LIVE_RATE_LIMIT: RateLimit = { perSecond: 95, burst: 5 };
/** Stripe's search endpoints: 20 read operations a second, live and test, counted against the account's limit too. */
export const STRIPE_SEARCH_RATE_LIMIT: RateLimit = { perSecond: 19, burst: 1 };

export function createStripeBillingClient(config: StripeBillingConfig): StripeBillingClient {
	return new StripeBillingClient(config);
}

const MAX_CACHED_CLIENTS = 32;
const clients = new Map<string, StripeBillingClient>();

/**
 * One client per credential and endpoint for the whole process: building the Stripe SDK (and validating the config)
 * for every execution cost more than the calls it made. Keyed by a hash of the key, so a rotated key gets its own
 * client; the oldest is dropped beyond a few dozen credentials.
 */
export function stripeBillingClientFor(config: { secretKey: string; baseUrl?: string; timeoutMs?: number }): StripeBillingClient {
	const id = sha256Hex(`${config.secretKey}\u0000${config.baseUrl ?? ''}\u0000${config.timeoutMs ?? ''}`);
	let client = clients.get(id);
	if (!client) {
		client = new StripeBillingClient(config);
		if (clients.size >= MAX_CACHED_CLIENTS) clients.delete(clients.keys().next().value as string);
		clients.set(id, client);
	}
	return client;
}

/** host/port/protocol for the SDK from a base URL; the SDK cannot take a path prefix, so one is refused. */
export function hostOptions(baseUrl: string): { host: string; port: number; protocol: 'http' | 'https' } {
	const url = new URL(baseUrl);
	if (url.pathname !== '/' && url.pathname !== '') {
		throw validationError('credentials.baseUrl', 'a base URL without a path, such as https://api.stripe.com', baseUrl, VENDOR);
	}
	const protocol = url.protocol === 'http:' ? 'http' : 'https';
	const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
	return { host: url.hostname, port, protocol };
}
