import { z } from '../../core';
import { businessKeySchema, changedSchema, tenantIdSchema, tierSchema } from './common';

export const subscriptionSchema = z
	.object({
		tenantId: z.string().min(1),
		status: z.enum(['active', 'disabled', 'pending']),
		edition: z.string().nullish(),
		tier: z.string().nullish(),
		businessKey: z.string().nullish(),
		updatedAt: z.string().nullish(),
	})
	.passthrough();
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionResultSchema = z.object({ subscription: subscriptionSchema, changed: changedSchema });
export type SubscriptionResult = z.infer<typeof subscriptionResultSchema>;

const editionSchema = z.string().trim().min(1, 'a non-empty edition id such as "EDITION-PRO"').max(200);

/** Which attempt at the contract (0 first): after a compensated attempt, fresh idempotency keys. */
const attemptSchema = z.number().int().min(0).max(1000).optional();

export const enableSubscriptionInputSchema = z
	.object({ tenantId: tenantIdSchema, businessKey: businessKeySchema, edition: editionSchema, tier: tierSchema, attempt: attemptSchema })
	.strict();
export type EnableSubscriptionInput = z.input<typeof enableSubscriptionInputSchema>;

export const changeEditionInputSchema = enableSubscriptionInputSchema;
export type ChangeEditionInput = EnableSubscriptionInput;

export const disableSubscriptionInputSchema = z
	.object({
		tenantId: tenantIdSchema,
		businessKey: businessKeySchema,
		reason: z.string().trim().max(500).optional(),
		attempt: attemptSchema,
	})
	.strict();
export type DisableSubscriptionInput = z.input<typeof disableSubscriptionInputSchema>;
