import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';
import { canonicalJson, isConnectorError, registerSecret, sha256Hex, validationError } from '../../connectors/core';
import {
	createCrmProvider,
	type CrmProvider,
	type CrmProviderInput,
	type CrmProviderName,
	type HubspotConfig,
	type SalesforceConfig,
} from '../../connectors/crm';

export const CRM_CREDENTIALS = { salesforce: 'salesforceCrmApi', hubspot: 'hubspotCrmApi' } as const;

export const SALESFORCE_LOGIN_URLS = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
} as const;

export const DEFAULT_SALESFORCE_API_VERSION = '62.0';
export const DEFAULT_HUBSPOT_BASE_PATH = 'https://api.hubapi.com';

/** Every credential field that holds a secret, registered for redaction whenever a provider is built. */
const SECRET_FIELDS = [
	'clientSecret',
	'refreshToken',
	'privateKey',
	'accessToken',
	'outboundMessageToken',
	'previousOutboundMessageToken',
	'appClientSecret',
	'previousAppClientSecret',
];

type CrmContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions | IHookFunctions;

/** Providers keyed by a hash of their config: one per credential, so access tokens are reused across executions. */
const providerCache = new Map<string, CrmProvider>();
const MAX_CACHED_PROVIDERS = 32;

/** The CRM connector for the node's credential of `provider` (the node itself never touches a vendor SDK). */
export async function crmProviderFor(context: CrmContext, provider: CrmProviderName): Promise<CrmProvider> {
	const credentials = await context.getCredentials(CRM_CREDENTIALS[provider]);
	try {
		// The connector validates its config on construction (URL scheme, API version): same error path.
		return cachedProvider(crmConfigFromCredentials(provider, credentials));
	} catch (error) {
		const field = isConnectorError(error) ? error.field?.replace(/^credentials\./, '') : undefined;
		throw new NodeOperationError(context.getNode(), error instanceof Error ? error.message : String(error), {
			description: field ? `Open the "${CRM_CREDENTIALS[provider]}" credential and check "${field}".` : undefined,
		});
	}
}

/** Builds (or reuses) the provider for a config; also used by the credential test. */
export function cachedProvider(input: CrmProviderInput): CrmProvider {
	const key = sha256Hex(canonicalJson(input));
	const cached = providerCache.get(key);
	if (cached) return cached;
	const created = createCrmProvider(input);
	if (providerCache.size >= MAX_CACHED_PROVIDERS) {
		const oldest = providerCache.keys().next().value;
		if (oldest !== undefined) providerCache.delete(oldest);
	}
	providerCache.set(key, created);
	return created;
}

/** Forgets every cached provider (tests; credential edits produce a new hash anyway). */
export function clearCrmProviderCache(): void {
	providerCache.clear();
}

/**
 * Maps decrypted credential data to the connector config: trims values, resolves the Salesforce
 * environment to its login URL and checks the fields each auth type needs, naming the field when one is missing.
 */
export function crmConfigFromCredentials(provider: CrmProviderName, credentials: ICredentialDataDecryptedObject): CrmProviderInput {
	for (const secret of secretsOf(credentials, ...SECRET_FIELDS)) registerSecret(secret);
	if (provider === 'salesforce') return { provider, salesforce: salesforceConfig(credentials) };
	if (provider === 'hubspot') return { provider, hubspot: hubspotConfig(credentials) };
	throw validationError('provider', '"salesforce" or "hubspot"', provider);
}

function salesforceConfig(credentials: ICredentialDataDecryptedObject): SalesforceConfig {
	const auth = text(credentials, 'authentication') || 'refreshToken';
	if (auth !== 'refreshToken' && auth !== 'jwtBearer') throw validationError('authentication', '"refreshToken" or "jwtBearer"', auth);
	const environment = text(credentials, 'environment') || 'production';
	let loginUrl: string;
	if (environment === 'custom') loginUrl = required(credentials, 'loginUrl', 'the login URL of the custom My Domain or sandbox');
	else if (environment === 'production' || environment === 'sandbox') loginUrl = SALESFORCE_LOGIN_URLS[environment];
	else throw validationError('environment', '"production", "sandbox" or "custom"', environment);
	const config: SalesforceConfig = {
		auth,
		loginUrl: withoutTrailingSlash(loginUrl),
		clientId: required(credentials, 'clientId', 'the connected app consumer key'),
		apiVersion: text(credentials, 'apiVersion') || DEFAULT_SALESFORCE_API_VERSION,
	};
	const instanceUrl = text(credentials, 'instanceUrl');
	if (instanceUrl) config.instanceUrl = withoutTrailingSlash(instanceUrl);
	if (auth === 'refreshToken') {
		config.clientSecret = required(credentials, 'clientSecret', 'the connected app consumer secret');
		config.refreshToken = required(credentials, 'refreshToken', 'a refresh token of the integration user');
	} else {
		config.username = required(credentials, 'username', 'the Salesforce username the JWT acts as');
		config.privateKey = required(credentials, 'privateKey', 'the RSA private key (PEM) of the connected app certificate');
	}
	return config;
}

function hubspotConfig(credentials: ICredentialDataDecryptedObject): HubspotConfig {
	const auth = text(credentials, 'authentication') || 'privateApp';
	if (auth !== 'privateApp' && auth !== 'oauth') throw validationError('authentication', '"privateApp" or "oauth"', auth);
	const config: HubspotConfig = {
		auth,
		basePath: withoutTrailingSlash(text(credentials, 'basePath') || DEFAULT_HUBSPOT_BASE_PATH),
	};
	const portalId = text(credentials, 'portalId');
	if (portalId) config.portalId = portalId;
	if (auth === 'privateApp') {
		config.accessToken = required(credentials, 'accessToken', 'the private app access token (pat-…)');
	} else {
		const accessToken = text(credentials, 'accessToken');
		if (accessToken) config.accessToken = accessToken;
		config.clientId = required(credentials, 'clientId', 'the OAuth app client id');
		config.clientSecret = required(credentials, 'clientSecret', 'the OAuth app client secret');
		config.refreshToken = required(credentials, 'refreshToken', 'an OAuth refresh token');
	}
	return config;
}

/** The non-empty (trimmed) string values of `fields`, e.g. the current and previous webhook secrets. */
export function secretsOf(credentials: ICredentialDataDecryptedObject, ...fields: string[]): string[] {
	return fields.map((field) => text(credentials, field)).filter((value) => value !== '');
}

function text(credentials: ICredentialDataDecryptedObject, field: string): string {
	const value = credentials[field];
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number') return String(value);
	return '';
}

function required(credentials: ICredentialDataDecryptedObject, field: string, expected: string): string {
	const value = text(credentials, field);
	// Never echo what was received: the field may hold a secret.
	if (value === '') throw validationError(field, expected);
	return value;
}

function withoutTrailingSlash(url: string): string {
	return url.replace(/\/+$/, '');
}
