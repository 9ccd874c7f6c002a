import { isoDateTimeSchema, z } from '../../core';
import { businessKeySchema, idSchema, tenantIdSchema } from './common';

/** Key metadata; never the secret. */
export const apiKeyInfoSchema = z
	.object({
		id: z.string().min(1),
		name: z.string(),
		prefix: z.string().nullish(),
		scopes: z.array(z.string()).default([]),
		createdAt: z.string().nullish(),
		expiresAt: z.string().nullish(),
		revokedAt: z.string().nullish(),
	})
	.passthrough();
export type ApiKeyInfo = z.infer<typeof apiKeyInfoSchema>;

/**
 * `secret` is present only on the first response (`secretReturned: true`); an idempotent replay omits it and
 * says `secretReturned: false` (platforms without the flag: its absence is read from the missing secret).
 */
export const generatedApiKeySchema = apiKeyInfoSchema.extend({ secret: z.string().min(1).nullish(), secretReturned: z.boolean().optional() });

export const generateApiKeyInputSchema = z
	.object({
		tenantId: tenantIdSchema,
		businessKey: businessKeySchema,
		name: z.string().trim().min(1, 'a non-empty key name such as "billing-sync"').max(100),
		scopes: z.array(z.string().trim().min(1)).default([]),
		expiresAt: isoDateTimeSchema.optional(),
		/**
		 * A replay without the secret whose first answer reached no one in this call is always replaced. `keep`
		 * (default) reports a key an earlier run generated; `replace` revokes and replaces that one too (for a
		 * run that retries after a failed try, whose answer may never have arrived).
		 */
		ifSecretNotShown: z.enum(['keep', 'replace']).default('keep'),
	})
	.strict();
export type GenerateApiKeyInput = z.input<typeof generateApiKeyInputSchema>;

export const revokeApiKeyInputSchema = z
	.object({ tenantId: tenantIdSchema, businessKey: businessKeySchema, keyId: idSchema('API key id') })
	.strict();
export type RevokeApiKeyInput = z.input<typeof revokeApiKeyInputSchema>;
