/**
 * A RevOps Config credential turned into what the nodes evaluate with: the tenant's parsed config and its policy
 * engine. Shared by the RevOps node and the Contract Policy node (in "RevOps Config" mode).
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { ConnectorError, HttpTransport } from '../../connectors/core';
import { configVersion, createBuiltinEngine, loadProfile, parseConfigText, parseRevOpsConfig, type PolicyEngine, type RevOpsConfig } from '../../connectors/revops';
import { createOpaEngine, DEFAULT_OPA_PACKAGE_PATH } from '../../connectors/revops/opa';

export const REVOPS_CREDENTIAL = 'revOpsConfigApi';

export interface RevOpsSettings {
	tenant: string;
	config: RevOpsConfig;
	engine: PolicyEngine;
	/** Where OPA runs (engine "opa" only), for the credential test. */
	opa?: { baseUrl: string; token?: string };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(field: string, expected: string, suffix = ''): never {
	throw new ConnectorError('validation', `Invalid RevOps config: ${field}: expected ${expected}${suffix}`, { field, expected });
}

/** RFC 7396 JSON Merge Patch: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) return patch;
	const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete result[key];
		else result[key] = mergePatch(result[key], value);
	}
	return result;
}

/** The credential's config text as an object ({} when blank): the connector's JSON/YAML reading, one mapping expected. */
function parseOverrideText(text: string): Record<string, unknown> {
	if (text.trim() === '') return {};
	const parsed = parseConfigText(text);
	if (parsed === null || parsed === undefined) return {};
	if (!isObject(parsed)) return invalid('(root)', 'a JSON object or YAML mapping of config fields');
	return parsed;
}

/**
 * The tenant's config: the chosen profile with the text merged over it, or (profile "custom") the text alone. The
 * credential's Tenant ID is the config's `tenant`; a text naming another tenant is a mistake worth stopping on.
 */
export function revOpsConfigFrom(credential: ICredentialDataDecryptedObject): RevOpsConfig {
	const tenant = String(credential.tenant ?? '').trim();
	if (tenant === '') invalid('tenant', 'the Tenant ID of the credential (a non-empty tenant id)');
	const text = parseOverrideText(String(credential.config ?? ''));
	if (text.tenant !== undefined && text.tenant !== tenant) {
		invalid('tenant', `the credential's Tenant ID ${JSON.stringify(tenant)} or no tenant`, ` (the config text says ${JSON.stringify(text.tenant)})`);
	}
	const profile = String(credential.profile ?? 'default');
	const base = profile === 'custom' ? {} : loadProfile(profile);
	return parseRevOpsConfig({ ...(mergePatch(base, text) as Record<string, unknown>), tenant });
}

/** Config and engine of a RevOps Config credential; throws a validation ConnectorError naming the config path. */
export function revOpsSettings(credential: ICredentialDataDecryptedObject): RevOpsSettings {
	const config = revOpsConfigFrom(credential);
	if (credential.engine !== 'opa') return { tenant: config.tenant, config, engine: createBuiltinEngine() };
	const baseUrl = String(credential.opaUrl ?? '').trim();
	const token = String(credential.opaToken ?? '').trim() || undefined;
	const packagePath = String(credential.opaPackagePath ?? '').trim() || DEFAULT_OPA_PACKAGE_PATH;
	return { tenant: config.tenant, config, engine: createOpaEngine({ baseUrl, packagePath, token }), opa: { baseUrl, token } };
}

/**
 * Settings per credential, made once per execution: parsing a config is cheap but not free, and a CSV of thousands
 * of leads should not parse it per row.
 */
export function settingsCache(): (credential: ICredentialDataDecryptedObject) => RevOpsSettings {
	const made = new Map<string, RevOpsSettings>();
	return (credential) => {
		const key = JSON.stringify(credential);
		let settings = made.get(key);
		if (!settings) {
			settings = revOpsSettings(credential);
			made.set(key, settings);
		}
		return settings;
	};
}

/** GET /health on the OPA server; OPA answers 200 once its policies are loaded. */
async function opaHealth(baseUrl: string, token: string | undefined): Promise<void> {
	const transport = new HttpTransport({
		vendor: 'OPA',
		baseUrl,
		timeoutMs: 5000,
		headers: (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {}),
		secrets: [token],
		retry: { retries: 0 },
	});
	await transport.request({ method: 'GET', path: '/health' });
}

/** The credential test: the config must parse (the error names the path), and OPA, when chosen, must be up. */
export async function revOpsConfigApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	let settings: RevOpsSettings;
	try {
		settings = revOpsSettings(credential.data ?? {});
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
	const summary = `RevOps config for tenant "${settings.tenant}" is valid (version ${configVersion(settings.config).slice(0, 12)})`;
	if (!settings.opa) return { status: 'OK', message: `${summary}; built-in engine` };
	const shownUrl = settings.opa.baseUrl.replace(/\/+$/, '');
	try {
		await opaHealth(settings.opa.baseUrl, settings.opa.token);
	} catch (error) {
		return { status: 'Error', message: `${summary}, but OPA at ${shownUrl}/health did not answer: ${error instanceof Error ? error.message : String(error)}` };
	}
	return { status: 'OK', message: `${summary}; OPA at ${shownUrl} is healthy` };
}
