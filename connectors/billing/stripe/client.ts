import Stripe from 'stripe';
import {
	parseInput,
	rateLimiterFor,
	registerSecret,
	sha256Hex,
	validationError,
	withRetry,
	z,
	type RateLimit,
	type RetryPolicy,
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
}

export interface CallOptions {
	/** A write (POST/DELETE). Writes are retried only when they carry an idempotency key. */
	write: boolean;
	idempotencyKey?: string;
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
		// Stripe's documented limits: live 100 ops/s, test 25 ops/s; stay a little under them.
		const live = parsed.secretKey.includes('_live_');
		this.rateLimit = config.rateLimit ?? (live ? { perSecond: 90, burst: 25 } : { perSecond: 20, burst: 10 });
		this.rateLimitKey = `stripe:${sha256Hex(parsed.secretKey).slice(0, 16)}`;
	}

	/** Runs one SDK call with rate limiting, retries and error mapping. */
	async call<T>(fn: (stripe: Stripe, requestOptions: Stripe.RequestOptions) => Promise<T>, options: CallOptions): Promise<T> {
		const requestOptions: Stripe.RequestOptions = options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {};
		const limiter = rateLimiterFor(this.rateLimitKey, this.rateLimit);
		return withRetry(
			async () => {
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

	write<T>(idempotencyKey: string, fn: (stripe: Stripe, requestOptions: Stripe.RequestOptions) => Promise<T>): Promise<T> {
		return this.call(fn, { write: true, idempotencyKey });
	}
}

export function createStripeBillingClient(config: StripeBillingConfig): StripeBillingClient {
	return new StripeBillingClient(config);
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
