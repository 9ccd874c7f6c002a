import { type HttpTransport, idempotencyKey, parseInput } from '../../core';
import { segment } from '../client';
import { type ApiKeyInfo, apiKeyInfoSchema, type RevokeApiKeyInput, revokeApiKeyInputSchema } from '../schemas/apiKey';

export function revokeApiKeyStep(keyId: string): string {
	return `superadmin.apiKey.revoke.${keyId}`;
}

export interface RevokeApiKeyResult {
	tenantId: string;
	businessKey: string;
	apiKey: ApiKeyInfo;
	idempotencyKey: string;
}

/** DELETE /v1/tenants/{tenantId}/api-keys/{keyId}; revoking a revoked key answers 200 with the same key. */
export async function revokeApiKey(transport: HttpTransport, input: RevokeApiKeyInput): Promise<RevokeApiKeyResult> {
	const { tenantId, businessKey, keyId } = parseInput(revokeApiKeyInputSchema, input, '');
	const key = idempotencyKey(businessKey, revokeApiKeyStep(keyId));
	const apiKey = await transport.request({
		method: 'DELETE',
		path: `/v1/tenants/${segment(tenantId)}/api-keys/${segment(keyId)}`,
		idempotencyKey: key,
		responseSchema: apiKeyInfoSchema,
	});
	return { tenantId, businessKey, apiKey, idempotencyKey: key };
}
