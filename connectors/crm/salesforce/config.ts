import { createPrivateKey } from 'node:crypto';
import { parseInput, registerSecret, validationError, z, type RetryPolicy } from '../../core';
import { VENDOR } from './errors';

export interface SalesforceConfig {
	auth: 'refreshToken' | 'jwtBearer';
	/** https://login.salesforce.com, https://test.salesforce.com, a My Domain URL, or an http loopback sandbox. */
	loginUrl: string;
	/** Known instance; otherwise taken from the token response. */
	instanceUrl?: string;
	/** Connected app consumer key. */
	clientId: string;
	/** Refresh-token flow. */
	clientSecret?: string;
	/** Refresh-token flow. */
	refreshToken?: string;
	/** JWT bearer flow: the user the app acts as (`sub`). */
	username?: string;
	/** JWT bearer flow: RSA private key (PEM; literal "\n" accepted). */
	privateKey?: string;
	/** e.g. '62.0'. Always sent explicitly (jsforce would default to 50.0). */
	apiVersion: string;
	/** Fraction (0..1) of the daily API limit kept free for other integrations; default 0.1. */
	dailyLimitReserve?: number;
	timeoutMs?: number;
}

export interface SalesforceDeps {
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	retry?: Partial<RetryPolicy>;
}

export interface ResolvedConfig extends Required<Pick<SalesforceConfig, 'auth' | 'loginUrl' | 'clientId' | 'apiVersion' | 'dailyLimitReserve' | 'timeoutMs'>> {
	instanceUrl?: string;
	clientSecret?: string;
	refreshToken?: string;
	username?: string;
	privateKey?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** https anywhere; plain http only on loopback (a local sandbox), so tokens never cross a network in clear. */
const urlSchema = (example: string) =>
	z
		.string()
		.trim()
		.url(`an https URL such as ${example}`)
		.refine((value) => {
			const url = new URL(value);
			return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
		}, `an https URL such as ${example} (http only on loopback)`)
		.transform((value) => value.replace(/\/+$/, ''));

const configSchema = z.object({
	auth: z.enum(['refreshToken', 'jwtBearer']),
	loginUrl: urlSchema('https://login.salesforce.com'),
	instanceUrl: urlSchema('https://acme.my.salesforce.com').optional(),
	clientId: z.string().trim().min(1, 'the connected app consumer key'),
	clientSecret: z.string().trim().min(1).optional(),
	refreshToken: z.string().trim().min(1).optional(),
	username: z.string().trim().min(1).optional(),
	privateKey: z.string().trim().min(1).optional(),
	apiVersion: z.string().regex(/^\d{2,3}\.0$/, 'an API version such as "62.0"'),
	dailyLimitReserve: z.number().min(0).max(1).default(0.1),
	timeoutMs: z.number().int().positive().default(30_000),
});

export function resolveConfig(config: SalesforceConfig): ResolvedConfig {
	for (const secret of [config?.clientSecret, config?.refreshToken, config?.privateKey]) registerSecret(secret);
	const parsed = parseInput(configSchema, config, 'credentials', VENDOR);
	if (parsed.auth === 'refreshToken' && !parsed.refreshToken) {
		throw validationError('credentials.refreshToken', 'a refresh token for the refresh-token flow', undefined, VENDOR);
	}
	if (parsed.auth === 'jwtBearer') {
		if (!parsed.username) throw validationError('credentials.username', 'the Salesforce username the JWT bearer flow acts as', undefined, VENDOR);
		if (!parsed.privateKey) throw validationError('credentials.privateKey', 'an RSA private key (PEM) for the JWT bearer flow', undefined, VENDOR);
		parsed.privateKey = normalisePem(parsed.privateKey);
	}
	return parsed;
}

/** Credential fields often store a PEM on one line with literal "\n"; the key itself is never echoed. */
function normalisePem(pem: string): string {
	const key = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
	registerSecret(key);
	try {
		const parsed = createPrivateKey(key);
		if (parsed.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
	} catch {
		throw validationError('credentials.privateKey', 'an RSA private key in PEM format (-----BEGIN PRIVATE KEY-----)', undefined, VENDOR);
	}
	return key;
}
