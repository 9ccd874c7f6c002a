import { z } from 'zod';

/** Order statuses of the Platform API (`orders.attributes.statusCode`). */
export const ORDER_STATUSES = ['draft', 'submitted', 'processing', 'declined', 'fulfilled', 'error', 'archived', 'NotReady'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const lineItemSchema = z
	.object({
		sku: z.string(),
		type: z.string().optional(),
		quantity: z.number().int().optional(),
		amount: z.number().int().optional(),
		intervalCode: z.string().optional(),
		isPackage: z.boolean().optional(),
		containedInPackage: z.string().optional(),
		description: z.string().optional(),
		name: z.string().optional(),
	})
	.passthrough();
export type OrderLineItem = z.infer<typeof lineItemSchema>;

const relationshipSchema = z
	.object({
		data: z.object({ id: z.string(), type: z.string() }).passthrough().nullish(),
		links: z.record(z.string()).optional(),
	})
	.passthrough();

/** JSON:API resource object for an order (vendasta-platform-api.yaml `#/components/schemas/orders`). */
export const orderSchema = z
	.object({
		id: z.string().min(1),
		type: z.literal('orders').default('orders'),
		attributes: z
			.object({
				currencyCode: z.string().optional(),
				lineItems: z.array(lineItemSchema).default([]),
				statusCode: z.string().optional(),
				tags: z.array(z.string()).optional(),
				notes: z.string().optional(),
			})
			.passthrough()
			.default({}),
		relationships: z.record(relationshipSchema).optional(),
	})
	.passthrough();
export type Order = z.infer<typeof orderSchema>;

export const orderDocumentSchema = z.object({ data: orderSchema }).passthrough();

export const orderListDocumentSchema = z
	.object({
		data: z.array(orderSchema).default([]),
		links: z.object({ next: z.string().optional(), self: z.string().optional() }).passthrough().optional(),
	})
	.passthrough();

/** One partner-defined custom field on an order (`orderCustomFields.attributes.partnerFields[]`). */
export const partnerFieldSchema = z
	.object({
		fieldID: z.string().optional(),
		fieldId: z.string().optional(),
		externalId: z.string().optional(),
		title: z.string().optional(),
		fieldType: z.string().optional(),
		stringValue: z.string().nullish(),
		integerValue: z.number().nullish(),
		dateValue: z.string().nullish(),
		booleanValue: z.boolean().nullish(),
		currencyValue: z.unknown().optional(),
		dropdownValue: z.unknown().optional(),
	})
	.passthrough();
export type PartnerField = z.infer<typeof partnerFieldSchema>;

export const customFieldsDocumentSchema = z
	.object({
		data: z
			.object({
				id: z.string().optional(),
				type: z.string().optional(),
				attributes: z.object({ partnerFields: z.array(partnerFieldSchema).default([]) }).passthrough().default({}),
			})
			.passthrough(),
	})
	.passthrough();
