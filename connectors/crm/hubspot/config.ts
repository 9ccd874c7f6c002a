import { parseInput, registerSecret, sha256Hex, validationError, z, type RetryPolicy } from '../../core';
import { VENDOR } from './errors';

export const DEFAULT_HUBSPOT_BASE_PATH = 'https://api.hubapi.com';

export interface HubspotConfig {
	auth: 'privateApp' | 'oauth';
	/** Private app token (pat-…) or a current OAuth access token. */
	accessToken?: string;
	/** OAuth: refreshed via POST {basePath}/oauth/v1/token. */
	clientId?: string;
	clientSecret?: string;
	refreshToken?: string;
	/** Default https://api.hubapi.com; a loopback http sandbox in tests. */
	basePath?: string;
	/** For record URLs (https://app.hubspot.com/contacts/{portalId}/record/0-3/{id}). */
	portalId?: string;
	timeoutMs?: number;
}

export interface HubspotDeps {
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	retry?: Partial<RetryPolicy>;
}

export interface ResolvedHubspotConfig {
	auth: 'privateApp' | 'oauth';
	accessToken?: string;
	clientId?: string;
	clientSecret?: string;
	refreshToken?: string;
	basePath: string;
	portalId?: string;
	timeoutMs: number;
	/** Identifies the account for the shared rate limit and caches; never contains a secret. */
	accountKey: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const configSchema = z.object({
	auth: z.enum(['privateApp', 'oauth']),
	accessToken: z.string().trim().min(1).optional(),
	clientId: z.string().trim().min(1).optional(),
	clientSecret: z.string().trim().min(1).optional(),
	refreshToken: z.string().trim().min(1).optional(),
	basePath: z
		.string()
		.trim()
		.url('an https URL such as https://api.hubapi.com')
		.refine((value) => {
			const url = new URL(value);
			return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
		}, 'an https URL such as https://api.hubapi.com (http only on loopback)')
		.transform((value) => value.replace(/\/+$/, ''))
		.default(DEFAULT_HUBSPOT_BASE_PATH),
	portalId: z.string().trim().regex(/^\d+$/, 'a HubSpot account (portal) id: digits only').optional(),
	timeoutMs: z.number().int().positive().default(30_000),
});

/** Validates the credential before any request; secrets are registered first so no error can echo them. */
export function resolveConfig(config: HubspotConfig): ResolvedHubspotConfig {
	for (const secret of [config?.accessToken, config?.clientSecret, config?.refreshToken]) registerSecret(secret);
	const parsed = parseInput(configSchema, config, 'credentials', VENDOR);
	if (parsed.auth === 'privateApp' && !parsed.accessToken) {
		throw validationError('credentials.accessToken', 'the private app access token (pat-…)', undefined, VENDOR);
	}
	if (parsed.auth === 'oauth') {
		if (!parsed.clientId) throw validationError('credentials.clientId', 'the OAuth app client id', undefined, VENDOR);
		if (!parsed.clientSecret) throw validationError('credentials.clientSecret', 'the OAuth app client secret', undefined, VENDOR);
		if (!parsed.refreshToken) throw validationError('credentials.refreshToken', 'an OAuth refresh token', undefined, VENDOR);
	}
	const identity = parsed.portalId ?? sha256Hex(`${parsed.auth}\u0000${parsed.clientId ?? ''}\u0000${parsed.refreshToken ?? parsed.accessToken ?? ''}`).slice(0, 16);
	return { ...parsed, accountKey: `${parsed.basePath}|${identity}` };
}
