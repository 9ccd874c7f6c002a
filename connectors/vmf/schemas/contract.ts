import { z } from 'zod';
import { businessKeySchema, currencySchema, minorAmountSchema } from '../../core';

/** How often a line item is billed; `one_time` items are charged once. */
export const intervalSchema = z.enum(['month', 'year', 'one_time']);
export type Interval = z.infer<typeof intervalSchema>;

export const contractLineItemSchema = z.object({
	sku: z.string().min(1),
	appId: z.string().min(1).optional(),
	editionId: z.string().min(1).optional(),
	description: z.string().optional(),
	quantity: z.number().int().positive(),
	unitAmount: minorAmountSchema,
	interval: intervalSchema,
});
export type ContractLineItem = z.infer<typeof contractLineItemSchema>;

export const approvalSchema = z.object({
	role: z.string().min(1),
	approvedBy: z.string().optional(),
	approvedAt: z.string().optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

/**
 * The normalized contract every node after the trigger works with. Field names are fixed: workflow
 * templates reference them in expressions.
 */
export const contractSchema = z.object({
	businessKey: businessKeySchema,
	orderId: z.string().min(1),
	partnerId: z.string().min(1),
	accountGroupId: z.string().min(1).optional(),
	status: z.string().min(1),
	customer: z.object({
		name: z.string().min(1),
		email: z.string().email(),
		country: z
			.string()
			.regex(/^[A-Za-z]{2}$/, 'a two-letter ISO 3166 country code')
			.transform((c) => c.toUpperCase())
			.optional(),
	}),
	currency: currencySchema,
	lineItems: z.array(contractLineItemSchema).min(1, 'at least one priced line item'),
	totalAmount: minorAmountSchema,
	termMonths: z.number().int().positive(),
	signature: z.object({
		signed: z.boolean(),
		signedAt: z.string().optional(),
		signerEmail: z.string().optional(),
	}),
	approvals: z.array(approvalSchema),
	jurisdiction: z.string().min(1).optional(),
	tier: z.string().min(1).optional(),
});
export type Contract = z.infer<typeof contractSchema>;
