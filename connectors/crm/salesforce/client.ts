import { Connection } from 'jsforce';
import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types';
import type { Duplex } from 'node:stream';
import { ConnectorError, defaultSleep, isConnectorError, rateLimiterFor, withRetry, type RateLimit, type RetryPolicy } from '../../core';
import { requestSession, type SalesforceSession } from './auth';
import { resolveConfig, type ResolvedConfig, type SalesforceConfig, type SalesforceDeps } from './config';
import { mapSalesforceError, VENDOR } from './errors';
import { assertWithinReserve, recordUsage, throttleDelay } from './limits';

/** Salesforce has no per-second limit but caps concurrent long requests at 25 per org; stay well under. */
export const SALESFORCE_RATE_LIMIT: RateLimit = { perSecond: 25, burst: 25 };

export type SalesforceMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface SalesforceRequest {
	method: SalesforceMethod;
	/** Relative to /services/data/vXX.X (e.g. /query?q=…) or absolute from /services/. */
	path: string;
	body?: unknown;
	/** Extra request headers (e.g. Sforce-Auto-Assign). */
	headers?: Record<string, string>;
}

export interface CallOptions {
	/** Safe to repeat (reads, field updates); anything else is sent once. */
	idempotent: boolean;
}

export interface QueryResult<T> {
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
	records: T[];
}

/** Records status and headers of every response, which jsforce's errors do not carry. */
class RecordingTransport extends Transport {
	response?: HttpResponse;

	override getRequestStreamCreator(): (req: HttpRequest, options: HttpRequestOptions) => Duplex {
		const create = super.getRequestStreamCreator();
		return (req, options) => create(req, options).on('complete', (response: HttpResponse) => (this.response = response));
	}
}

/**
 * jsforce with our own session handling, retries, limits and error mapping. jsforce's own refresh
 * delegate is not used: it repeats a refused request after every successful refresh without bound, and
 * its built-in GET retries wait real time outside our policy, so both are replaced by one refresh per
 * call and core `withRetry`.
 */
export class SalesforceClient {
	readonly config: ResolvedConfig;
	readonly now: () => number;
	readonly sleep: (ms: number) => Promise<void>;
	readonly retry?: Partial<RetryPolicy>;
	private session?: SalesforceSession;
	private connection?: Connection;
	private pendingSession?: Promise<SalesforceSession>;

	constructor(config: SalesforceConfig, deps: SalesforceDeps = {}) {
		this.config = resolveConfig(config);
		this.sleep = deps.sleep ?? defaultSleep;
		this.now = deps.now ?? Date.now;
		this.retry = deps.retry;
	}

	/** The org's instance URL once a session exists. */
	get instanceUrl(): string | undefined {
		return this.session?.instanceUrl;
	}

	/** The org the daily limit, rate limit and feature flags belong to. */
	get orgKey(): string {
		return this.session?.organizationId?.slice(0, 15) ?? this.session?.instanceUrl ?? this.config.loginUrl;
	}

	async request<T>(req: SalesforceRequest, options: CallOptions): Promise<T> {
		await this.ensureSession();
		assertWithinReserve(this.orgKey, this.config.dailyLimitReserve);
		const limiter = rateLimiterFor(`${VENDOR}:${this.orgKey}`, SALESFORCE_RATE_LIMIT);
		return withRetry(
			async () => {
				const delay = throttleDelay(this.orgKey, this.config.dailyLimitReserve);
				if (delay > 0) await this.sleep(delay);
				await limiter.acquire();
				return this.sendWithRefresh<T>(req);
			},
			{ idempotent: options.idempotent, policy: this.retry, sleep: this.sleep },
		);
	}

	/** A SOQL query (first batch; callers keep LIMIT ≤ 2000). `retry: false` when an outer loop already retries. */
	query<T>(soql: string, options: { retry?: boolean } = {}): Promise<QueryResult<T>> {
		return this.request<QueryResult<T>>({ method: 'GET', path: `/query?q=${encodeURIComponent(soql)}` }, { idempotent: options.retry !== false });
	}

	async ensureSession(): Promise<SalesforceSession> {
		if (this.session) return this.session;
		return this.newSession();
	}

	private newSession(): Promise<SalesforceSession> {
		// One token request at a time, however many calls notice a missing or expired session.
		this.pendingSession ??= withRetry(() => requestSession(this.config, this.now()), { idempotent: true, policy: this.retry, sleep: this.sleep })
			.then((session) => {
				this.session = session;
				this.connection = new Connection({ instanceUrl: session.instanceUrl, accessToken: session.accessToken, version: this.config.apiVersion });
				return session;
			})
			.finally(() => (this.pendingSession = undefined));
		return this.pendingSession;
	}

	private async sendWithRefresh<T>(req: SalesforceRequest): Promise<T> {
		const usedToken = this.session?.accessToken;
		try {
			return await this.send<T>(req);
		} catch (error) {
			if (!isSessionError(error)) throw error;
		}
		// Access tokens expire (session timeout); get a new one once, unless a parallel call already did.
		if (this.session?.accessToken === usedToken) await this.newSession();
		try {
			return await this.send<T>(req);
		} catch (error) {
			if (!isSessionError(error)) throw error;
			throw new ConnectorError('auth', 'Salesforce refused a freshly issued access token (INVALID_SESSION_ID); check the user, its profile and the connected app policies', {
				vendor: VENDOR,
				status: error.status,
				code: error.code,
			});
		}
	}

	private async send<T>(req: SalesforceRequest): Promise<T> {
		const connection = this.connection as Connection;
		const transport = new RecordingTransport();
		const request: HttpRequest = { method: req.method, url: req.path, headers: { ...req.headers } };
		if (req.body !== undefined) {
			request.body = JSON.stringify(req.body);
			request.headers = { ...request.headers, 'content-type': 'application/json' };
		}
		try {
			return (await connection.request<T>(request, { transport, retry: { maxRetries: 0 }, timeout: this.config.timeoutMs })) as T;
		} catch (error) {
			throw mapSalesforceError(error, transport.response?.statusCode);
		} finally {
			recordUsage(this.orgKey, transport.response?.headers?.['sforce-limit-info']);
		}
	}
}

function isSessionError(error: unknown): error is ConnectorError {
	return isConnectorError(error) && (error.code === 'INVALID_SESSION_ID' || (error.kind === 'auth' && error.status === 401));
}
