import { z } from '../../core';
import { businessKeySchema, tenantIdSchema } from './common';

export const tenantDatabaseSchema = z
	.object({
		tenantId: z.string().min(1),
		backend: z.enum(['shared', 'dedicated']),
		connectionSecretRef: z.string().nullish(),
		switchedAt: z.string().nullish(),
		changed: z.boolean().optional(),
	})
	.passthrough();
export type TenantDatabase = z.infer<typeof tenantDatabaseSchema>;

export const switchTenantDatabaseInputSchema = z
	.object({
		tenantId: tenantIdSchema,
		businessKey: businessKeySchema,
		backend: z.enum(['shared', 'dedicated']),
		/** The secret holding the dedicated database's connection string (never the string itself). */
		connectionSecretRef: z.string().trim().min(1).max(2048).optional(),
	})
	.strict()
	.superRefine((input, ctx) => {
		if (input.backend === 'dedicated' && !input.connectionSecretRef) ctx.addIssue({ code: 'custom', path: ['connectionSecretRef'], message: 'the secret reference of the dedicated connection string' });
	});
export type SwitchTenantDatabaseInput = z.input<typeof switchTenantDatabaseInputSchema>;
