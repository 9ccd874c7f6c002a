import { type HttpTransport, idempotencyKey, parseInput, registerSecret } from '../../core';
import { segment } from '../client';
import { type ApiKeyInfo, type GenerateApiKeyInput, generateApiKeyInputSchema, generatedApiKeySchema } from '../schemas/apiKey';

export function generateApiKeyStep(name: string): string {
	return `superadmin.apiKey.generate.${name}`;
}

export interface GenerateApiKeyResult {
	tenantId: string;
	businessKey: string;
	apiKey: ApiKeyInfo;
	/**
	 * The new key's secret, present only the first time the platform answers. This is the one field
	 * the pack lets through unredacted; it is registered as a secret so logs, errors and receipts mask it.
	 */
	secret?: string;
	/** false on an idempotent replay: the platform never returns a secret twice. */
	secretReturned: boolean;
	idempotencyKey: string;
}

/** POST /v1/tenants/{tenantId}/api-keys */
export async function generateApiKey(transport: HttpTransport, input: GenerateApiKeyInput): Promise<GenerateApiKeyResult> {
	const { tenantId, businessKey, name, scopes, expiresAt } = parseInput(generateApiKeyInputSchema, input, '');
	const key = idempotencyKey(businessKey, generateApiKeyStep(name));
	const { secret, ...apiKey } = await transport.request({
		method: 'POST',
		path: `/v1/tenants/${segment(tenantId)}/api-keys`,
		body: { businessKey, name, scopes, ...(expiresAt ? { expiresAt } : {}) },
		idempotencyKey: key,
		responseSchema: generatedApiKeySchema,
	});
	if (secret) registerSecret(secret);
	return { tenantId, businessKey, apiKey, ...(secret ? { secret } : {}), secretReturned: Boolean(secret), idempotencyKey: key };
}
