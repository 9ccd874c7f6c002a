import { Client } from '@hubspot/api-client';
import { ConnectorError, isConnectorError, rateLimiterFor, registerSecret, withRetry, type RateLimit } from '../../core';
import { resolveConfig, type HubspotConfig, type HubspotDeps, type ResolvedHubspotConfig } from './config';
import { HubspotHttpFailure, mapHubspotError, VENDOR } from './errors';

/** HubSpot allows 100–190 requests per 10 s per account; stay under the lowest tier. */
export const HUBSPOT_RATE_LIMIT: RateLimit = { perSecond: 9, burst: 10 };
/** Refresh an OAuth token this long before HubSpot says it expires. */
const EXPIRY_MARGIN_MS = 60_000;
const TOKEN_PATH = '/oauth/v1/token';

export interface HubspotClientDeps extends HubspotDeps {
	/** Tests: a generous limit so suites do not wait on the real one. */
	rateLimit?: RateLimit;
}

/**
 * Per-call SDK options carrying our middleware. SDK 13.x ignores `config.middleware` and only runs call-time
 * middleware, so every call passes these as its last argument. Each generated module declares its own
 * (nominally distinct) option types, hence `never`: assignable to all of them.
 */
export type SdkOptions = never;

export interface CallOptions {
	/** Safe to repeat on a transient failure (reads, PATCHes of the same values). Default true. */
	idempotent?: boolean;
}

interface SdkRequestContext {
	getUrl(): string;
	setHeaderParam(key: string, value: string): void;
}

interface SdkResponseContext {
	httpStatusCode: number;
	headers: Record<string, string>;
	body: { text(): Promise<string> };
}

/**
 * The HubSpot SDK behind one call wrapper: our per-account rate limit, core retries (the SDK's own are off),
 * a timeout, every failure as a ConnectorError, and the OAuth access token refreshed once on a 401.
 */
export class HubspotClient {
	readonly config: ResolvedHubspotConfig;
	readonly sdk: Client;
	private readonly deps: HubspotClientDeps;
	private accessToken?: string;
	private expiresAt?: number;
	private refreshing?: Promise<void>;
	private readonly sdkOptions: SdkOptions;

	constructor(config: HubspotConfig, deps: HubspotClientDeps = {}) {
		this.config = resolveConfig(config);
		this.deps = deps;
		this.accessToken = this.config.accessToken;
		// No accessToken in the SDK config: the middleware sets the current one, so a refresh needs no new client.
		this.sdk = new Client({ basePath: this.config.basePath, numberOfApiCallRetries: 0 });
		this.sdkOptions = { middleware: [this.middleware()], middlewareMergeStrategy: 'replace' } as unknown as SdkOptions;
		// The SDK keeps decorators in a process-wide singleton and applies them when an API object is built:
		// build ours now, while the (empty) decorators of this client are the current ones.
		void [this.sdk.crm.deals, this.sdk.crm.companies, this.sdk.crm.contacts, this.sdk.crm.owners, this.sdk.crm.objects.tasks, this.sdk.crm.pipelines, this.sdk.crm.associations.v4, this.sdk.oauth];
	}

	get now(): number {
		return (this.deps.now ?? Date.now)();
	}

	/** Runs one SDK call with rate limit, retries, timeout and error mapping; OAuth refreshes once on 401. */
	async call<T>(fn: (sdk: Client, options: SdkOptions) => Promise<T>, options: CallOptions = {}): Promise<T> {
		await this.ensureToken();
		const used = this.accessToken;
		try {
			return await this.attempt(fn, options.idempotent ?? true);
		} catch (error) {
			if (this.config.auth !== 'oauth' || !isConnectorError(error) || error.status !== 401) throw error;
			// A 401 means HubSpot did not act on the request, so repeating it (even a create) is safe.
			await this.refresh(used);
			return this.attempt(fn, options.idempotent ?? true);
		}
	}

	/**
	 * Runs several calls as one retried unit (a lookup-then-create): the caller marks the calls inside as not
	 * idempotent, so only this outer loop repeats them.
	 */
	retrying<T>(fn: () => Promise<T>): Promise<T> {
		return withRetry(fn, { idempotent: true, policy: this.deps.retry, sleep: this.deps.sleep });
	}

	/** A GET the SDK has no generated API for (account info), with the same limits and mapping. */
	get<T>(path: string): Promise<T> {
		return this.call(async (sdk) => {
			const response = await sdk.apiRequest({ method: 'GET', path, headers: this.authHeader() });
			const text = await response.text();
			const body = parseBody(text);
			if (!response.ok) throw new HubspotHttpFailure(response.status, body, Object.fromEntries(response.headers.entries()));
			return body as T;
		});
	}

	/** The token the next request will use (OAuth: refreshed first if missing or expiring). */
	async currentToken(): Promise<string> {
		await this.ensureToken();
		return this.accessToken as string;
	}

	private attempt<T>(fn: (sdk: Client, options: SdkOptions) => Promise<T>, idempotent: boolean): Promise<T> {
		const limiter = rateLimiterFor(`${VENDOR}:${this.config.accountKey}`, this.deps.rateLimit ?? HUBSPOT_RATE_LIMIT);
		return withRetry(
			async () => {
				await limiter.acquire();
				try {
					return await this.withTimeout(fn(this.sdk, this.sdkOptions));
				} catch (error) {
					throw mapHubspotError(error);
				}
			},
			{ idempotent, policy: this.deps.retry, sleep: this.deps.sleep },
		);
	}

	private async withTimeout<T>(promise: Promise<T>): Promise<T> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new ConnectorError('transient', `HubSpot did not answer within ${this.config.timeoutMs} ms`, { vendor: VENDOR, code: 'ETIMEDOUT' })),
				this.config.timeoutMs,
			);
		});
		try {
			return await Promise.race([promise, timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	private async ensureToken(): Promise<void> {
		if (this.config.auth !== 'oauth') return;
		const expiring = this.expiresAt !== undefined && this.now >= this.expiresAt - EXPIRY_MARGIN_MS;
		if (!this.accessToken || expiring) await this.refresh(this.accessToken);
	}

	/** One refresh at a time; callers that saw the same stale token share it. */
	private async refresh(stale: string | undefined): Promise<void> {
		if (this.accessToken !== stale && this.accessToken) return;
		this.refreshing ??= this.fetchToken().finally(() => {
			this.refreshing = undefined;
		});
		return this.refreshing;
	}

	private async fetchToken(): Promise<void> {
		const { clientId, clientSecret, refreshToken } = this.config;
		let tokens;
		try {
			tokens = await this.attempt((sdk, options) => sdk.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken, options), true);
		} catch (error) {
			const e = error as ConnectorError;
			if (e.kind === 'transient' || e.kind === 'rate_limited') throw e;
			throw new ConnectorError('auth', `HubSpot refused to refresh the OAuth token (${e.code ?? e.status ?? 'error'}): the refresh token is revoked or the client id/secret is wrong`, {
				vendor: VENDOR,
				status: e.status,
				code: e.code,
			});
		}
		if (!tokens.accessToken) throw new ConnectorError('auth', 'HubSpot answered the token refresh without an access token', { vendor: VENDOR });
		registerSecret(tokens.accessToken);
		registerSecret(tokens.refreshToken);
		this.accessToken = tokens.accessToken;
		if (tokens.refreshToken) this.config.refreshToken = tokens.refreshToken;
		this.expiresAt = typeof tokens.expiresIn === 'number' ? this.now + tokens.expiresIn * 1000 : undefined;
	}

	private authHeader(): Record<string, string> {
		return this.accessToken ? { Authorization: `Bearer ${this.accessToken}` } : {};
	}

	private middleware() {
		return {
			pre: async (context: unknown) => {
				const request = context as SdkRequestContext;
				// The token endpoint authenticates with the client secret, never with a (stale) bearer token.
				if (this.accessToken && !new URL(request.getUrl()).pathname.endsWith(TOKEN_PATH)) {
					request.setHeaderParam('Authorization', `Bearer ${this.accessToken}`);
				}
				return request;
			},
			post: async (context: unknown) => {
				const response = context as SdkResponseContext;
				if (response.httpStatusCode < 400) return response;
				throw new HubspotHttpFailure(response.httpStatusCode, parseBody(await response.body.text()), response.headers);
			},
		};
	}
}

function parseBody(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
