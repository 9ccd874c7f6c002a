import { type HttpTransport, idempotencyKey, parseInput, z } from '../../core';
import { segment } from '../client';
import { businessKeySchema, idSchema } from '../schemas/common';

/** Seed 003's customer profile (what onboarding learnt), kept by the platform for SysOps. */
export const customerKeySchema = idSchema('customer key');

const isoDate = (what: string) => z.string().trim().refine((value) => !Number.isNaN(Date.parse(value)), `${what} as an ISO date such as 2027-01-31`);
const optionalText = z.string().trim().max(500).nullish();

export const customerProfileInputSchema = z.object({
	customerKey: customerKeySchema,
	businessKey: businessKeySchema,
	/** Names this update (`account`, `contract`): each stage of a business key is one write, so a rerun repeats it exactly. */
	stage: z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, 'a short stage name such as "account" or "contract"').default('profile'),
	name: z.string().trim().min(1).max(200),
	email: z.string().trim().email(),
	preferredEmail: z.string().trim().email().nullish(),
	address: z.object({ line1: optionalText, city: optionalText, postalCode: optionalText, country: optionalText }).nullish(),
	contacts: z.array(z.object({ name: z.string().trim().min(1).max(200), email: z.string().trim().email(), role: optionalText, phone: optionalText })).max(50).optional(),
	payment: z
		.object({
			method: optionalText,
			brand: optionalText,
			last4: z.string().regex(/^\d{4}$/).nullish(),
			cardExpMonth: z.number().int().min(1).max(12).nullish(),
			cardExpYear: z.number().int().min(2000).max(2100).nullish(),
			schedule: z.enum(['monthly', 'yearly']).nullish(),
			nextPaymentAt: isoDate('payment.nextPaymentAt').nullish(),
			stripeCustomerId: optionalText,
			subscriptionId: optionalText,
		})
		.nullish(),
	contract: z.object({ id: z.string().trim().min(1).max(200), signedAt: isoDate('contract.signedAt').nullish(), startsAt: isoDate('contract.startsAt').nullish(), endsAt: isoDate('contract.endsAt') }).nullish(),
	product: z.object({ name: z.string().trim().min(1).max(200), since: isoDate('product.since') }).nullish(),
});
export type CustomerProfileInput = z.input<typeof customerProfileInputSchema>;

export const customerProfileSchema = z.object({ customerKey: z.string(), businessKey: z.string(), updatedAt: z.string() }).passthrough();

export const customer360Schema = z
	.object({
		customerKey: z.string(),
		name: z.string(),
		email: z.string(),
		preferredEmail: z.string(),
		address: z.record(z.unknown()).nullable(),
		contacts: z.array(z.record(z.unknown())),
		payment: z.object({ method: z.string().nullable(), schedule: z.string().nullable(), cardExpiry: z.string().nullable(), cardExpiresInDays: z.number().nullable() }).passthrough(),
		contract: z.object({ id: z.string(), endsAt: z.string(), ageDays: z.number().nullable(), daysToExpiry: z.number().nullable() }).passthrough().nullable(),
		product: z.object({ name: z.string(), since: z.string(), ageDays: z.number().nullable() }).passthrough().nullable(),
		supportRequests: z.array(z.object({ id: z.string(), kind: z.string(), summary: z.string(), status: z.string(), openedAt: z.string() }).passthrough()),
		complete: z.boolean(),
		missing: z.array(z.string()),
	})
	.passthrough();
export type Customer360 = z.infer<typeof customer360Schema>;

export const CUSTOMER_PROFILE_STEP = 'superadmin.customer.upsertProfile';

/** PUT /v1/customers/{customerKey}/profile: registers (or updates) the customer with SysOps. */
export async function upsertCustomerProfile(transport: HttpTransport, input: CustomerProfileInput) {
	const { customerKey, stage, ...body } = parseInput(customerProfileInputSchema, input, '');
	const key = idempotencyKey(body.businessKey, `${CUSTOMER_PROFILE_STEP}.${customerKey}.${stage}`);
	const profile = await transport.request({ method: 'PUT', path: `/v1/customers/${segment(customerKey)}/profile`, body, idempotencyKey: key, responseSchema: customerProfileSchema });
	return { profile, customerKey, stage, businessKey: body.businessKey, idempotencyKey: key };
}

/** GET /v1/customers/{customerKey}/360: the full customer view (a `not_found` error when SysOps does not know them). */
export async function getCustomer360(transport: HttpTransport, customerKey: string): Promise<Customer360> {
	const key = parseInput(customerKeySchema, customerKey, 'customerKey');
	return transport.request({ method: 'GET', path: `/v1/customers/${segment(key)}/360`, responseSchema: customer360Schema });
}
