import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import type { ZodType, ZodTypeDef } from 'zod';
import { ConnectorError, kindForStatus, type ConnectorErrorOptions, type ErrorKind } from './errors';
import { rateLimiterFor, type RateLimit } from './rateLimiter';
import { redact, registerSecret } from './redact';
import { parseRetryAfter, withRetry, type RetryOptions, type RetryPolicy } from './retry';
import { zodToValidationError } from './schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a connector knows about its vendor's error bodies. */
export interface VendorErrorMapping {
	kind?: ErrorKind;
	message?: string;
	code?: string;
	field?: string;
}

export interface HttpTransportOptions {
	vendor: string;
	baseUrl: string;
	timeoutMs?: number;
	/** Auth and other per-request headers; called for every attempt (tokens may refresh). */
	headers?: () => Record<string, string> | Promise<Record<string, string>>;
	/** Secret values to mask if a vendor echoes them back. */
	secrets?: (string | undefined)[];
	retry?: Partial<RetryPolicy>;
	rateLimit?: RateLimit;
	/** Identifies the credential/account the limit belongs to (never the secret itself). */
	rateLimitKey?: string;
	idempotencyHeader?: string;
	mapError?: (status: number, body: unknown) => VendorErrorMapping | undefined;
	sleep?: (ms: number) => Promise<void>;
	/** Inject a preconfigured axios instance (tests). */
	axiosInstance?: AxiosInstance;
}

export interface HttpRequest<T> {
	method: HttpMethod;
	path: string;
	query?: Record<string, string | number | boolean | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
	/** Required for a POST/PATCH to be retried; sent in the idempotency header. */
	idempotencyKey?: string;
	responseSchema?: ZodType<T, ZodTypeDef, unknown>;
	timeoutMs?: number;
	/** Told of each failed attempt before it is retried (e.g. to know an answer was lost in transit). */
	onRetry?: RetryOptions['onRetry'];
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ERR_BAD_RESPONSE']);

/** JSON over HTTP with timeouts, retries, a shared per-credential rate limit and one error taxonomy. */
export class HttpTransport {
	private readonly client: AxiosInstance;

	constructor(private readonly options: HttpTransportOptions) {
		for (const secret of options.secrets ?? []) registerSecret(secret);
		this.client =
			options.axiosInstance ??
			axios.create({
				baseURL: options.baseUrl.replace(/\/+$/, ''),
				timeout: options.timeoutMs ?? 30_000,
				validateStatus: () => true,
				maxRedirects: 0,
			});
	}

	get vendor(): string {
		return this.options.vendor;
	}

	async request<T = unknown>(req: HttpRequest<T>): Promise<T> {
		const idempotent = req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE' || req.idempotencyKey !== undefined;
		const limiter = this.options.rateLimit ? rateLimiterFor(`${this.options.vendor}:${this.options.rateLimitKey ?? this.options.baseUrl}`, this.options.rateLimit) : undefined;
		return withRetry(
			async () => {
				await limiter?.acquire();
				const response = await this.send(req);
				return this.handle(req, response);
			},
			{ idempotent, policy: this.options.retry, sleep: this.options.sleep, onRetry: req.onRetry },
		);
	}

	private async send<T>(req: HttpRequest<T>): Promise<AxiosResponse> {
		const headers: Record<string, string> = { Accept: 'application/json', ...(await this.options.headers?.()), ...req.headers };
		if (req.idempotencyKey) headers[this.options.idempotencyHeader ?? 'Idempotency-Key'] = req.idempotencyKey;
		if (req.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
		const query = req.query ? Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== undefined)) : undefined;
		try {
			return await this.client.request({
				method: req.method,
				url: req.path,
				params: query,
				data: req.body,
				headers,
				timeout: req.timeoutMs ?? this.options.timeoutMs ?? 30_000,
				validateStatus: () => true,
			});
		} catch (error) {
			throw this.networkError(error, req);
		}
	}

	private handle<T>(req: HttpRequest<T>, response: AxiosResponse): T {
		const { status } = response;
		if (status >= 200 && status < 300) {
			if (!req.responseSchema) return response.data as T;
			// axios gives '' for an empty body (e.g. 204 No Content); validate that as an empty object.
			const parsed = req.responseSchema.safeParse(response.data === '' || response.data == null ? {} : response.data);
			if (parsed.success) return parsed.data;
			const shapeError = zodToValidationError(parsed.error.issues, 'response', response.data, this.options.vendor);
			throw new ConnectorError('permanent', `${this.options.vendor} answered ${req.method} ${req.path} with an unexpected shape: ${shapeError.message}`, {
				vendor: this.options.vendor,
				status,
				field: shapeError.field,
			});
		}
		const mapped = this.options.mapError?.(status, response.data) ?? {};
		const kind = mapped.kind ?? kindForStatus(status);
		const options: ConnectorErrorOptions = {
			vendor: this.options.vendor,
			status,
			code: mapped.code,
			field: mapped.field,
			details: redact(response.data),
		};
		if (kind === 'rate_limited' || status === 503) options.retryAfterMs = parseRetryAfter(response.headers?.['retry-after'] as string | undefined);
		const message = mapped.message ?? genericMessage(response.data) ?? `HTTP ${status}`;
		return this.throwError(kind, `${this.options.vendor} ${req.method} ${req.path} failed (${status}): ${message}`, options);
	}

	private throwError(kind: ErrorKind, message: string, options: ConnectorErrorOptions): never {
		throw new ConnectorError(kind, message, options);
	}

	private networkError<T>(error: unknown, req: HttpRequest<T>): ConnectorError {
		const code = (error as AxiosError)?.code ?? (error as NodeJS.ErrnoException)?.code;
		const transient = code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
		const what = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : `could not be completed (${code ?? 'network error'})`;
		// The raw axios error carries the request headers (tokens), so only its code travels on as the cause.
		return new ConnectorError(transient ? 'transient' : 'permanent', `${this.options.vendor} ${req.method} ${req.path} ${what}`, {
			vendor: this.options.vendor,
			code,
			cause: new Error(`network error ${code ?? 'unknown'}`),
		});
	}
}

function genericMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.slice(0, 300) || undefined;
	if (!body || typeof body !== 'object') return undefined;
	const b = body as Record<string, unknown>;
	const error = b.error;
	if (typeof error === 'string') return typeof b.message === 'string' ? `${error}: ${b.message}` : error;
	if (error && typeof error === 'object' && typeof (error as Record<string, unknown>).message === 'string') return (error as Record<string, string>).message;
	if (typeof b.message === 'string') return b.message;
	if (Array.isArray(b.errors) && b.errors.length > 0) {
		const first = b.errors[0] as Record<string, unknown>;
		return String(first.detail ?? first.title ?? first.message ?? JSON.stringify(first));
	}
	return undefined;
}
