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

/** `secret` is present only on the first response; an idempotent replay omits it. */
export const generatedApiKeySchema = apiKeyInfoSchema.extend({ secret: z.string().min(1).nullish() });

export const generateApiKeyInputSchema = z
	.object({
		tenantId: tenantIdSchema,
		businessKey: businessKeySchema,
		name: z.string().trim().min(1, 'a non-empty key name such as "billing-sync"').max(100),
		scopes: z.array(z.string().trim().min(1)).default([]),
		expiresAt: isoDateTimeSchema.optional(),
	})
	.strict();
export type GenerateApiKeyInput = z.input<typeof generateApiKeyInputSchema>;

export const revokeApiKeyInputSchema = z
	.object({ tenantId: tenantIdSchema, businessKey: businessKeySchema, keyId: idSchema('API key id') })
	.strict();
export type RevokeApiKeyInput = z.input<typeof revokeApiKeyInputSchema>;
