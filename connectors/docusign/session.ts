import { ApiClient, ConnectApi, EnvelopesApi, TemplatesApi } from 'docusign-esign';
import { ConnectorError, isConnectorError, rateLimiterFor, withRetry, type RateLimit, type RetryPolicy } from '../core';
import { DocusignAuth, type DocusignUserInfo } from './auth';
import { VENDOR, type ResolvedDocusignConfig } from './config';
import { mapDocusignError, readErrorBody } from './errors';
import type { DocusignIdentity } from './types';

/** DocuSign: 3,000 calls per hour per account, at most 500 in 30 s. */
export const DOCUSIGN_RATE_LIMIT: RateLimit = { perSecond: 3000 / 3600, burst: 500 };

export interface SessionDeps {
	now: () => number;
	sleep?: (ms: number) => Promise<void>;
	retry?: Partial<RetryPolicy>;
	rateLimit?: RateLimit;
}

export interface DocusignApis {
	accountId: string;
	envelopes: EnvelopesApi;
	templates: TemplatesApi;
	connect: ConnectApi;
}

export interface CallOptions {
	/** Safe to repeat: reads, and writes whose repetition cannot duplicate anything. */
	idempotent: boolean;
}

interface Account {
	accountId: string;
	basePath: string;
	baseUri: string;
}

/**
 * What every operation needs: the account, the SDK API objects bound to its REST base, and one
 * call wrapper that adds the bearer token, the per-account rate limit, retries and error mapping.
 */
export class DocusignSession {
	readonly auth: DocusignAuth;
	private account?: Promise<Account>;
	private apis?: DocusignApis & { client: ApiClient };

	constructor(
		readonly config: ResolvedDocusignConfig,
		private readonly deps: SessionDeps,
	) {
		this.auth = new DocusignAuth(config, deps);
	}

	now(): number {
		return this.deps.now();
	}

	get retryPolicy(): Partial<RetryPolicy> | undefined {
		return this.deps.retry;
	}

	get sleep(): ((ms: number) => Promise<void>) | undefined {
		return this.deps.sleep;
	}

	async whoAmI(): Promise<DocusignIdentity> {
		const info = await this.auth.userInfo();
		const account = pickAccount(info, this.config.accountId);
		return {
			userId: info.sub,
			name: info.name,
			email: info.email,
			accountId: account.account_id,
			baseUri: account.base_uri,
		};
	}

	/** Runs one SDK call; `what` names it in errors ("GET envelope abc"). */
	async call<T>(what: string, fn: (apis: DocusignApis) => Promise<T>, options: CallOptions): Promise<T> {
		const apis = await this.resolveApis();
		const limiter = rateLimiterFor(`${VENDOR}:${apis.accountId}`, this.deps.rateLimit ?? DOCUSIGN_RATE_LIMIT);
		let refreshedAfter401 = false;
		return withRetry(
			async () => {
				for (;;) {
					const token = await this.auth.getAccessToken();
					apis.client.addDefaultHeader('Authorization', `Bearer ${token}`);
					await limiter.acquire();
					try {
						return await fn(apis);
					} catch (error) {
						const mapped = isConnectorError(error) ? error : mapDocusignError(error, what, await readErrorBody(error), this.deps.now());
						// A cached token can be revoked before it expires: fetch a new one once and repeat.
						if (mapped.status === 401 && !refreshedAfter401) {
							refreshedAfter401 = true;
							this.auth.invalidate(token);
							continue;
						}
						throw mapped;
					}
				}
			},
			{ idempotent: options.idempotent, policy: this.deps.retry, sleep: this.deps.sleep },
		);
	}

	private async resolveApis(): Promise<DocusignApis & { client: ApiClient }> {
		if (this.apis) return this.apis;
		const account = await this.resolveAccount();
		const client = new ApiClient({ basePath: account.basePath, oAuthBasePath: new URL(this.config.authServer).host });
		(client as unknown as { timeout: number }).timeout = this.config.timeoutMs;
		this.apis = {
			client,
			accountId: account.accountId,
			envelopes: new EnvelopesApi(client),
			templates: new TemplatesApi(client),
			connect: new ConnectApi(client),
		};
		return this.apis;
	}

	private resolveAccount(): Promise<Account> {
		if (!this.account) {
			this.account = this.lookupAccount();
			// A failed lookup (e.g. consent not yet granted) must not be remembered.
			this.account.catch(() => (this.account = undefined));
		}
		return this.account;
	}

	private async lookupAccount(): Promise<Account> {
		const { accountId, basePath } = this.config;
		if (accountId && basePath) return { accountId, basePath, baseUri: basePath.replace(/\/restapi$/, '') };
		const info = await this.auth.userInfo();
		const account = pickAccount(info, accountId);
		const baseUri = account.base_uri.replace(/\/+$/, '');
		return { accountId: account.account_id, basePath: basePath ?? `${baseUri}/restapi`, baseUri };
	}
}

function pickAccount(info: DocusignUserInfo, accountId: string | undefined): DocusignUserInfo['accounts'][number] {
	if (accountId) {
		const match = info.accounts.find((account) => account.account_id === accountId);
		if (match) return match;
		throw new ConnectorError('auth', `The DocuSign user ${info.sub} has no access to account ${accountId}; check the account id or leave it empty to use the user's default account`, {
			vendor: VENDOR,
			code: 'account_not_found',
			field: 'credentials.accountId',
		});
	}
	const chosen = info.accounts.find((account) => account.is_default === true || account.is_default === 'true') ?? info.accounts[0];
	if (!chosen) throw new ConnectorError('auth', `The DocuSign user ${info.sub} belongs to no account`, { vendor: VENDOR, code: 'no_account' });
	return chosen;
}
