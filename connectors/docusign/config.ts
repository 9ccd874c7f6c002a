import { createPrivateKey } from 'node:crypto';
import { parseInput, registerSecret, z } from '../core';

export const VENDOR = 'docusign';

export type DocusignEnvironment = 'demo' | 'production' | 'custom';

export const DOCUSIGN_AUTH_SERVERS = {
	demo: 'https://account-d.docusign.com',
	production: 'https://account.docusign.com',
} as const satisfies Record<Exclude<DocusignEnvironment, 'custom'>, string>;

export const DEFAULT_SCOPES = ['signature', 'impersonation'];
/** DocuSign's own landing page; any redirect URI registered on the integration key works too. */
export const DEFAULT_CONSENT_REDIRECT = 'https://developers.docusign.com/platform/auth/consent';

export interface DocusignConfig {
	environment: DocusignEnvironment;
	/** Required for 'custom' (full URL, http allowed: the sandbox); else from DOCUSIGN_AUTH_SERVERS. */
	authServer?: string;
	/** OAuth client id. */
	integrationKey: string;
	/** GUID of the user to impersonate. */
	userId: string;
	/** RSA private key PEM (literal "\n" sequences accepted). */
	privateKey: string;
	/** Default: the user's default account from /oauth/userinfo. */
	accountId?: string;
	/** REST base override, e.g. https://demo.docusign.net/restapi; default userinfo base_uri + '/restapi'. */
	basePath?: string;
	/** Default ['signature', 'impersonation']. */
	scopes?: string[];
	timeoutMs?: number;
	/** Redirect URI put in the consent URL of a consent_required error. */
	consentRedirectUri?: string;
}

/** The validated config with defaults applied and the key in real PEM form. */
export interface ResolvedDocusignConfig {
	authServer: string;
	integrationKey: string;
	userId: string;
	privateKey: string;
	accountId?: string;
	basePath?: string;
	scopes: string[];
	timeoutMs: number;
	consentRedirectUri: string;
}

const httpUrl = (example: string) =>
	z
		.string()
		.trim()
		.url(`an http(s) URL such as ${example}`)
		.refine((value) => /^https?:\/\//i.test(value), `an http(s) URL such as ${example}`)
		.transform((value) => value.replace(/\/+$/, ''));

const environmentSchema = z.enum(['demo', 'production', 'custom']);

const configSchema = z
	.object({
		environment: environmentSchema,
		authServer: httpUrl('https://account-d.docusign.com').optional(),
		integrationKey: z.string().trim().min(1, 'the integration key (OAuth client id) of the DocuSign app'),
		userId: z.string().trim().min(1, 'the GUID of the DocuSign user to impersonate'),
		privateKey: z
			.string()
			.transform(normalizePrivateKey)
			.refine(isPrivateKey, 'an RSA private key in PEM format (-----BEGIN RSA PRIVATE KEY----- …)'),
		accountId: z.string().trim().min(1).optional(),
		basePath: httpUrl('https://demo.docusign.net/restapi').optional(),
		scopes: z.array(z.string().trim().min(1)).min(1, 'at least one OAuth scope').optional(),
		timeoutMs: z.number().int().positive().optional(),
		consentRedirectUri: httpUrl('https://developers.docusign.com/platform/auth/consent').optional(),
	})
	.superRefine((value, ctx) => {
		if (value.environment === 'custom' && !value.authServer) {
			ctx.addIssue({ code: 'custom', path: ['authServer'], message: 'the auth server URL (required when environment is "custom")' });
		}
	});

export function resolveDocusignConfig(config: DocusignConfig): ResolvedDocusignConfig {
	// Registered before parsing so a malformed key can never be echoed by a validation message.
	registerSecret(config?.privateKey);
	if (typeof config?.privateKey === 'string') registerSecret(normalizePrivateKey(config.privateKey));
	const parsed = parseInput(configSchema, config, 'credentials', VENDOR);
	return {
		authServer: authServerFor(parsed),
		integrationKey: parsed.integrationKey,
		userId: parsed.userId,
		privateKey: parsed.privateKey,
		accountId: parsed.accountId,
		basePath: parsed.basePath,
		scopes: parsed.scopes ?? DEFAULT_SCOPES,
		timeoutMs: parsed.timeoutMs ?? 30_000,
		consentRedirectUri: parsed.consentRedirectUri ?? DEFAULT_CONSENT_REDIRECT,
	};
}

function authServerFor(config: { environment: DocusignEnvironment; authServer?: string }): string {
	if (config.environment === 'custom') return config.authServer as string;
	return DOCUSIGN_AUTH_SERVERS[config.environment];
}

/** Keys pasted into a single-line field arrive with literal "\n" sequences. */
export function normalizePrivateKey(pem: string): string {
	return pem.includes('\\n') ? pem.replace(/(\\r)?\\n/g, '\n').trim() : pem.trim();
}

function isPrivateKey(pem: string): boolean {
	try {
		return createPrivateKey(pem).asymmetricKeyType === 'rsa';
	} catch {
		return false;
	}
}

const consentSchema = z
	.object({
		environment: environmentSchema,
		authServer: httpUrl('https://account-d.docusign.com').optional(),
		integrationKey: z.string().trim().min(1, 'the integration key (OAuth client id) of the DocuSign app'),
		scopes: z.array(z.string().trim().min(1)).min(1).optional(),
	})
	.superRefine((value, ctx) => {
		if (value.environment === 'custom' && !value.authServer) {
			ctx.addIssue({ code: 'custom', path: ['authServer'], message: 'the auth server URL (required when environment is "custom")' });
		}
	});

/**
 * The page a DocuSign user opens once to let the integration key impersonate them (JWT grant).
 * `impersonation` is always requested: without it the JWT grant keeps answering consent_required.
 */
export function docusignConsentUrl(
	config: Pick<DocusignConfig, 'environment' | 'authServer' | 'integrationKey' | 'scopes'>,
	redirectUri: string,
): string {
	const parsed = parseInput(consentSchema, config, 'credentials', VENDOR);
	const redirect = parseInput(httpUrl('https://developers.docusign.com/platform/auth/consent'), redirectUri, 'redirectUri', VENDOR);
	const scopes = new Set(parsed.scopes ?? DEFAULT_SCOPES);
	scopes.add('impersonation');
	const query = new URLSearchParams({
		response_type: 'code',
		scope: [...scopes].join(' '),
		client_id: parsed.integrationKey,
		redirect_uri: redirect,
	});
	return `${authServerFor(parsed)}/oauth/auth?${query.toString().replace(/\+/g, '%20')}`;
}
