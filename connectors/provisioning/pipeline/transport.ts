import { HttpTransport, type HttpTransportOptions, type RateLimit, type RetryPolicy, type VendorErrorMapping, validationError } from '../../core';

/** Options every pipeline connection shares (tests shorten retries and sleeps). */
export interface PipelineConnectionOptions {
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	rateLimit?: RateLimit;
	sleep?: (ms: number) => Promise<void>;
	axiosInstance?: HttpTransportOptions['axiosInstance'];
}

export interface PipelineTransportSpec {
	vendor: string;
	baseUrl: unknown;
	headers?: () => Record<string, string>;
	secrets: string[];
	defaultRateLimit: RateLimit;
	mapError?: HttpTransportOptions['mapError'];
}

export function checkBaseUrl(value: unknown, vendor: string, example: string): string {
	if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+/i.test(value.trim())) {
		throw validationError('baseUrl', `an http(s) URL such as "${example}"`, value, vendor);
	}
	return value.trim().replace(/\/+$/, '');
}

export function createPipelineTransport(spec: PipelineTransportSpec & { baseUrl: string }, options: PipelineConnectionOptions): HttpTransport {
	return new HttpTransport({
		vendor: spec.vendor,
		baseUrl: spec.baseUrl,
		timeoutMs: options.timeoutMs,
		headers: spec.headers,
		secrets: spec.secrets,
		retry: options.retry,
		rateLimit: options.rateLimit ?? spec.defaultRateLimit,
		// The limit belongs to the server, not the token; the URL names it without the secret.
		rateLimitKey: spec.baseUrl,
		mapError: spec.mapError,
		sleep: options.sleep,
		axiosInstance: options.axiosInstance,
	});
}

/** GitLab answers `{message: "..."}`, `{message: {field: ["..."]}}` or `{error: "..."}`. */
export function mapGitlabError(_status: number, body: unknown): VendorErrorMapping | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const { message, error } = body as Record<string, unknown>;
	if (message && typeof message === 'object') return { message: JSON.stringify(message).slice(0, 300) };
	if (typeof message === 'string') return { message };
	if (typeof error === 'string') return { message: error };
	return undefined;
}

/** Encodes one path segment; ids are validated, but never trusted into a URL raw. */
export const segment = (value: string): string => encodeURIComponent(value);
