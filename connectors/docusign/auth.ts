import { HttpTransport, registerSecret, signJwtRs256, withRetry, z, type RetryPolicy, type VendorErrorMapping } from '../core';
import { docusignConsentUrl, VENDOR, type ResolvedDocusignConfig } from './config';

const JWT_LIFETIME_SEC = 3600;
/** Refresh this long before expiry so a token never dies mid-call. */
const REFRESH_MARGIN_MS = 60_000;

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const tokenResponse = z.object({
	access_token: z.string().min(1),
	token_type: z.string().optional(),
	expires_in: z.coerce.number().positive().default(3600),
});

const userInfoResponse = z.object({
	sub: z.string().min(1),
	name: z.string().optional(),
	email: z.string().optional(),
	accounts: z
		.array(
			z.object({
				account_id: z.string().min(1),
				is_default: z.union([z.boolean(), z.string()]).optional(),
				account_name: z.string().optional(),
				base_uri: z.string().min(1),
			}),
		)
		.default([]),
});
export type DocusignUserInfo = z.infer<typeof userInfoResponse>;

interface CachedToken {
	token: string;
	expiresAt: number;
}

/** One token per integration key + user + auth server, shared by every client in the process. */
const tokenCache = new Map<string, CachedToken>();
const pending = new Map<string, Promise<CachedToken>>();

/** Forgets cached tokens (tests; or after the user revoked consent). */
export function clearDocusignTokenCache(): void {
	tokenCache.clear();
	pending.clear();
}

export interface AuthDeps {
	now: () => number;
	sleep?: (ms: number) => Promise<void>;
	retry?: Partial<RetryPolicy>;
}

/** DocuSign OAuth (JWT grant) done by hand: the SDK hard-codes https:// for the auth server. */
export class DocusignAuth {
	private readonly http: HttpTransport;
	private readonly cacheKey: string;

	constructor(
		private readonly config: ResolvedDocusignConfig,
		private readonly deps: AuthDeps,
	) {
		registerSecret(config.privateKey);
		this.cacheKey = `${config.integrationKey}\u0000${config.userId}\u0000${config.authServer}`;
		this.http = new HttpTransport({
			vendor: VENDOR,
			baseUrl: config.authServer,
			timeoutMs: config.timeoutMs,
			// Retries are ours (below): the token POST has no side effect, so it is safe to repeat.
			retry: { retries: 0 },
			mapError: (status, body) => this.mapOAuthError(status, body),
		});
	}

	async getAccessToken(): Promise<string> {
		const cached = tokenCache.get(this.cacheKey);
		if (cached && this.deps.now() < cached.expiresAt - REFRESH_MARGIN_MS) return cached.token;
		let inFlight = pending.get(this.cacheKey);
		if (!inFlight) {
			inFlight = this.requestToken().finally(() => pending.delete(this.cacheKey));
			pending.set(this.cacheKey, inFlight);
		}
		return (await inFlight).token;
	}

	/** Drops the cached token, e.g. after DocuSign answered 401 to it. */
	invalidate(token?: string): void {
		const cached = tokenCache.get(this.cacheKey);
		if (cached && (token === undefined || cached.token === token)) tokenCache.delete(this.cacheKey);
	}

	async userInfo(): Promise<DocusignUserInfo> {
		const token = await this.getAccessToken();
		return this.withRetry(() =>
			this.http.request({ method: 'GET', path: '/oauth/userinfo', headers: { Authorization: `Bearer ${token}` }, responseSchema: userInfoResponse }),
		);
	}

	private async requestToken(): Promise<CachedToken> {
		const assertion = this.assertion();
		registerSecret(assertion);
		const body = new URLSearchParams({ grant_type: JWT_GRANT, assertion }).toString();
		const response = await this.withRetry(() =>
			this.http.request({
				method: 'POST',
				path: '/oauth/token',
				body,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-store' },
				responseSchema: tokenResponse,
			}),
		);
		registerSecret(response.access_token);
		const entry = { token: response.access_token, expiresAt: this.deps.now() + response.expires_in * 1000 };
		tokenCache.set(this.cacheKey, entry);
		return entry;
	}

	private assertion(): string {
		const iat = Math.floor(this.deps.now() / 1000);
		return signJwtRs256(
			{
				iss: this.config.integrationKey,
				sub: this.config.userId,
				aud: new URL(this.config.authServer).host,
				iat,
				exp: iat + JWT_LIFETIME_SEC,
				scope: this.config.scopes.join(' '),
			},
			this.config.privateKey,
		);
	}

	private withRetry<T>(fn: () => Promise<T>): Promise<T> {
		return withRetry(fn, { idempotent: true, policy: this.deps.retry, sleep: this.deps.sleep });
	}

	private mapOAuthError(status: number, body: unknown): VendorErrorMapping | undefined {
		const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
		const error = typeof record.error === 'string' ? record.error : undefined;
		const description = typeof record.error_description === 'string' ? record.error_description : undefined;
		if (error === 'consent_required') {
			const url = docusignConsentUrl({ environment: 'custom', authServer: this.config.authServer, integrationKey: this.config.integrationKey, scopes: this.config.scopes }, this.config.consentRedirectUri);
			return {
				kind: 'auth',
				code: 'consent_required',
				message: `the DocuSign user has not granted consent to this integration key yet. Open this URL once, signed in as that user (or an admin), and accept: ${url}`,
			};
		}
		if (error === 'invalid_grant' || error === 'no_valid_keys_or_signatures' || description === 'no_valid_keys_or_signatures') {
			const code = description === 'no_valid_keys_or_signatures' || error === 'no_valid_keys_or_signatures' ? 'no_valid_keys_or_signatures' : 'invalid_grant';
			return {
				kind: 'auth',
				code,
				message: `DocuSign refused the JWT grant (${[error, description].filter(Boolean).join(': ')}). Check the user id (the GUID of the user to impersonate), that the RSA key pair belongs to this integration key, and that the environment (demo or production) matches where the app is registered`,
			};
		}
		if (error === 'invalid_client' || error === 'unauthorized_client') {
			return { kind: 'auth', code: error, message: `DocuSign does not know this integration key (${error}); check the integration key and the environment` };
		}
		if (status === 401 || status === 403) return { kind: 'auth', code: error, message: description ?? error ?? 'the access token was refused' };
		return error ? { code: error, message: [error, description].filter(Boolean).join(': ') } : undefined;
	}
}

