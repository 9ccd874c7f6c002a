import { z } from '../../core';
import { businessKeySchema, tierSchema } from './common';

export const tenantSchema = z
	.object({
		id: z.string().min(1),
		name: z.string(),
		status: z.string(),
		tier: z.string().nullish(),
		edition: z.string().nullish(),
		ownerEmail: z.string().nullish(),
		businessKey: z.string().nullish(),
		country: z.string().nullish(),
		subdomain: z.string().nullish(),
		createdAt: z.string().nullish(),
	})
	.passthrough();
export type Tenant = z.infer<typeof tenantSchema>;

export const tenantListSchema = z.object({
	data: z.array(tenantSchema),
	nextCursor: z.string().nullish(),
});
export type TenantList = z.infer<typeof tenantListSchema>;

export const listTenantsInputSchema = z.object({
	query: z.string().trim().max(200).optional(),
	limit: z.number().int().min(1).max(100).default(50),
	cursor: z.string().min(1).optional(),
});
export type ListTenantsInput = z.input<typeof listTenantsInputSchema>;

/** Seed 004: enterprise (World Class) contracts must run at least two years. */
export const ENTERPRISE_MIN_TERM_MONTHS = 24;

export const createTenantInputSchema = z
	.object({
		businessKey: businessKeySchema,
		name: z.string().trim().min(1, 'a non-empty organisation name').max(200),
		ownerEmail: z.string().trim().email('an email address such as "owner@club.example"'),
		ownerName: z.string().trim().min(1).max(200).optional(),
		tier: tierSchema,
		edition: z.string().trim().min(1).optional(),
		country: z
			.string()
			.regex(/^[A-Za-z]{2}$/, 'an ISO-3166 alpha-2 country code such as "GB"')
			.transform((c) => c.toUpperCase())
			.optional(),
		subdomain: z
			.string()
			.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a DNS label such as "myclub" (lower-case letters, digits, hyphens)')
			.optional(),
		contractEndDate: z.string().date('a date such as "2027-12-31"').optional(),
	})
	.strict();
export type CreateTenantInput = z.input<typeof createTenantInputSchema>;
