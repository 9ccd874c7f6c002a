import { HttpTransport, type HttpTransportOptions, type RateLimit, type RetryPolicy, validationError } from '../core';
import { mapSuperAdminError, VENDOR } from './errors';

export type AuthScheme = 'bearer' | 'x-api-key';

export interface SuperAdminClientOptions {
	/** Base URL of the platform's super-admin API, without the `/v1` prefix. */
	baseUrl: string;
	apiKey: string;
	/** `Authorization: Bearer <key>` (default) or `X-Api-Key: <key>`; the API accepts both. */
	authScheme?: AuthScheme;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	rateLimit?: RateLimit;
	sleep?: (ms: number) => Promise<void>;
	axiosInstance?: HttpTransportOptions['axiosInstance'];
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 10, burst: 20 };

/** Builds the transport every super-admin operation runs on; validates the credential before any call. */
export function createSuperAdminTransport(options: SuperAdminClientOptions): HttpTransport {
	if (typeof options.baseUrl !== 'string' || !/^https?:\/\/[^\s/]+/i.test(options.baseUrl.trim())) {
		throw validationError('baseUrl', 'an http(s) URL such as "https://admin.example.com"', options.baseUrl);
	}
	if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
		throw validationError('apiKey', 'a non-empty super-admin API key');
	}
	const apiKey = options.apiKey.trim();
	const scheme = options.authScheme ?? 'bearer';
	const baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
	return new HttpTransport({
		vendor: VENDOR,
		baseUrl,
		timeoutMs: options.timeoutMs,
		headers: (): Record<string, string> => (scheme === 'x-api-key' ? { 'X-Api-Key': apiKey } : { Authorization: `Bearer ${apiKey}` }),
		secrets: [apiKey],
		retry: options.retry,
		rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
		// The limit belongs to the platform, not the key; the URL identifies it without the secret.
		rateLimitKey: baseUrl,
		mapError: mapSuperAdminError,
		sleep: options.sleep,
		axiosInstance: options.axiosInstance,
	});
}

/** Encodes one path segment (ids are validated, but never trust them into a URL raw). */
export function segment(value: string): string {
	return encodeURIComponent(value);
}
