import { ConnectorError, type HttpTransport, idempotencyKey, parseInput, registerSecret } from '../../core';
import { segment } from '../client';
import { VENDOR } from '../errors';
import { type ApiKeyInfo, type GenerateApiKeyInput, generateApiKeyInputSchema, generatedApiKeySchema } from '../schemas/apiKey';
import { revokeApiKey } from './revoke';

/** Generation 0 keeps the step of keys generated before replacement existed, so their replays still match. */
export function generateApiKeyStep(name: string, generation = 0): string {
	return `superadmin.apiKey.generate.${name}${generation > 0 ? `.gen${generation}` : ''}`;
}

/** Replacements one call may walk through (each needs a revoked or lost key) before it gives up. */
const MAX_GENERATIONS = 10;
/** Failures after which the platform may have created the key while its answer never reached us. */
const MAYBE_RECEIVED_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_BAD_RESPONSE']);
/** A key created this long before the call began is an earlier run's, whatever the clocks say. */
const CLOCK_SKEW_MS = 5 * 60_000;

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
	/** 0 for the first key of this business key and name; n once n keys before it were revoked. */
	generation: number;
	/** Keys this call revoked because nobody had their secret (the answer was lost), oldest first. */
	replacedKeyIds: string[];
}

/**
 * POST /v1/tenants/{tenantId}/api-keys. The platform returns a secret once and never stores it, so a key whose
 * first answer was lost in transit (the retry gets the secret-less replay) is live but useless: it is revoked
 * and the next generation is generated under its own idempotency key, whose answer carries a new secret. A
 * replay of a revoked key leads on to the next generation the same way, so a rerun finds the live key.
 */
export async function generateApiKey(transport: HttpTransport, input: GenerateApiKeyInput): Promise<GenerateApiKeyResult> {
	const { tenantId, businessKey, name, scopes, expiresAt, ifSecretNotShown } = parseInput(generateApiKeyInputSchema, input, '');
	const startedAt = Date.now();
	const replacedKeyIds: string[] = [];
	for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
		const key = idempotencyKey(businessKey, generateApiKeyStep(name, generation));
		let answerLost = false;
		const { secret, secretReturned, ...apiKey } = await transport.request({
			method: 'POST',
			path: `/v1/tenants/${segment(tenantId)}/api-keys`,
			body: { businessKey, name, scopes, ...(expiresAt ? { expiresAt } : {}) },
			idempotencyKey: key,
			responseSchema: generatedApiKeySchema,
			onRetry: ({ error }) => {
				if (error.status === 502 || error.status === 504 || (error.status === undefined && MAYBE_RECEIVED_CODES.has(error.code ?? ''))) answerLost = true;
			},
		});
		const result = { tenantId, businessKey, apiKey, idempotencyKey: key, generation, replacedKeyIds };
		if (secret && secretReturned !== false) {
			registerSecret(secret);
			return { ...result, secret, secretReturned: true };
		}
		if (apiKey.revokedAt) continue;
		const createdAt = Date.parse(apiKey.createdAt ?? '');
		const ours = answerLost && !(createdAt < startedAt - CLOCK_SKEW_MS);
		if (!ours && ifSecretNotShown === 'keep') return { ...result, secretReturned: false };
		await revokeLost(transport, { tenantId, businessKey, keyId: apiKey.id });
		replacedKeyIds.push(apiKey.id);
	}
	throw new ConnectorError('conflict', `${VENDOR}: the last ${MAX_GENERATIONS} generations of API key "${name}" of ${businessKey} were all revoked or lost their secret; generate it under another name`, {
		vendor: VENDOR,
		field: 'name',
	});
}

/** Revoking is what keeps a secret nobody has from staying live; if it fails, say which key is left. */
async function revokeLost(transport: HttpTransport, input: { tenantId: string; businessKey: string; keyId: string }): Promise<void> {
	try {
		await revokeApiKey(transport, input);
	} catch (error) {
		const cause = error instanceof Error ? error.message : String(error);
		throw new ConnectorError(error instanceof ConnectorError ? error.kind : 'permanent', `${VENDOR}: API key ${input.keyId} was created but its secret never arrived, and revoking it failed (${cause}); revoke it before generating again`, {
			vendor: VENDOR,
			code: 'api_key_secret_lost',
			details: { keyId: input.keyId },
			cause: error,
		});
	}
}
