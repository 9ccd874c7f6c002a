import type Stripe from 'stripe';
import { canonicalJson, idempotencyKey, isConnectorError, parseInput, sha256Hex, stepForAttempt, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { summarizeCheckoutSession, type CheckoutSessionSummary } from './checkoutSummary';
import { VENDOR } from './errors';
import { findPricesByLookupKeys, forgetPrices, priceNotFound } from './prices';
import { businessKeySchema, contractMetadata, customerIdSchema, lookupKeySchema, METADATA_TIER, metadataSchema } from './schemas';

export const CHECKOUT_CREATE_STEP = 'billing.checkout.create';
/** Stripe's placeholder, replaced by the session id when it redirects to the success URL. */
export const CHECKOUT_SESSION_ID_PLACEHOLDER = '{CHECKOUT_SESSION_ID}';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL (http only for a local development host), without credentials in it. */
function redirectUrlSchema(what: string) {
	const expected = `an https URL for the ${what} page (http only for localhost)`;
	return z
		.string()
		.trim()
		.max(5000, `${expected}, at most 5000 characters`)
		.superRefine((value, ctx) => {
			let url: URL;
			try {
				url = new URL(value);
			} catch {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: expected });
				return;
			}
			const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
			if ((url.protocol !== 'https:' && !local) || url.username || url.password) ctx.addIssue({ code: z.ZodIssueCode.custom, message: expected });
		});
}

/** Stripe puts the session id into the success URL only where the placeholder stands; we add it when missing. */
export function withSessionIdPlaceholder(successUrl: string): string {
	if (successUrl.includes(CHECKOUT_SESSION_ID_PLACEHOLDER)) return successUrl;
	const hashAt = successUrl.indexOf('#');
	const base = hashAt < 0 ? successUrl : successUrl.slice(0, hashAt);
	const fragment = hashAt < 0 ? '' : successUrl.slice(hashAt);
	const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
	return `${base}${separator}session_id=${CHECKOUT_SESSION_ID_PLACEHOLDER}${fragment}`;
}

export const createCheckoutSessionInput = z
	.object({
		/** The signup or order this checkout pays for; sent as client_reference_id and in the subscription's metadata. */
		businessKey: businessKeySchema,
		tier: z.string().trim().min(1, 'the plan tier chosen, such as "professional"').max(100),
		/** The tier's price first; metered prices take no quantity. */
		lineItems: z
			.array(z.object({ lookupKey: lookupKeySchema, quantity: z.number().int('a whole number').min(1, 'a quantity of at least 1').max(10_000).optional() }).strict())
			.min(1, 'at least one price (by lookup_key)')
			.max(20),
		customerId: customerIdSchema.optional(),
		customerEmail: z.string().trim().email('an email address').optional(),
		successUrl: redirectUrlSchema('success').transform(withSessionIdPlaceholder),
		cancelUrl: redirectUrlSchema('cancel'),
		trialPeriodDays: z.number().int('a whole number of days').min(1).max(730).optional(),
		paymentMethodCollection: z.enum(['always', 'if_required']).optional(),
		metadata: metadataSchema,
		/** Which attempt at this signup (0 first): a later attempt with other prices gets fresh idempotency keys. */
		attempt: z.number().int().min(0).max(1000).default(0),
	})
	.refine((data) => !(data.customerId && data.customerEmail), { message: 'either customerId or customerEmail, not both', path: ['customerEmail'] });
export type CreateCheckoutSessionInput = z.input<typeof createCheckoutSessionInput>;
type CheckoutData = z.output<typeof createCheckoutSessionInput>;

export interface CreateCheckoutSessionResult extends CheckoutSessionSummary {
	/** False when this business key's session already existed (returned as it is now). */
	created: boolean;
	/** The expired session this one replaced, when a repeat found the earlier one expired. */
	replacedSessionId: string | null;
}

/** How many expired sessions in a row a single call replaces (each one lived up to 24 h). */
const MAX_REPLACEMENTS = 3;

/**
 * Creates the hosted Checkout page for a self-service signup (subscription mode), priced by lookup keys.
 * A repeat with the same business key gets Stripe's stored answer (idempotency key) re-read as it is now: an open
 * or completed session is returned, never a second one; an expired one is replaced by a new session whose key is
 * derived from the expired one's id, so concurrent repeats still create only one.
 */
export async function createCheckoutSession(client: StripeBillingClient, input: CreateCheckoutSessionInput): Promise<CreateCheckoutSessionResult> {
	const data = parseInput(createCheckoutSessionInput, input, 'checkout', VENDOR);
	let params = sessionParams(data, await resolvePrices(client, data, true));
	const step = stepForAttempt(CHECKOUT_CREATE_STEP, data.attempt);
	let key = idempotencyKey(data.businessKey, step);
	let session: Stripe.Response<Stripe.Checkout.Session>;
	try {
		session = await client.write(key, (stripe, options) => stripe.checkout.sessions.create(params, options));
	} catch (error) {
		// A cached price archived or moved since: look the prices up again and, if that prices differently, retry.
		if (!(isConnectorError(error) && (error.kind === 'not_found' || error.kind === 'validation') && /^line_items\[/.test(error.field ?? ''))) throw error;
		await forgetPrices(client, data.lineItems.map((item) => item.lookupKey));
		const fresh = sessionParams(data, await resolvePrices(client, data, false));
		if (canonicalJson(fresh.line_items) === canonicalJson(params.line_items)) throw error;
		params = fresh;
		key = idempotencyKey(data.businessKey, `${step}.repriced-${sha256Hex(canonicalJson(fresh.line_items)).slice(0, 16)}`);
		session = await client.write(key, (stripe, options) => stripe.checkout.sessions.create(params, options));
	}

	let replacedSessionId: string | null = null;
	for (let replacements = 0; session.lastResponse?.headers?.['idempotent-replayed'] === 'true'; replacements++) {
		const now = await client.read((stripe) => stripe.checkout.sessions.retrieve(session.id));
		if (now.status !== 'expired' || replacements >= MAX_REPLACEMENTS) return { ...summarizeCheckoutSession(now), created: false, replacedSessionId };
		replacedSessionId = now.id;
		session = await client.write(idempotencyKey(data.businessKey, `${step}.after-${now.id}`), (stripe, options) => stripe.checkout.sessions.create(params, options));
	}
	return { ...summarizeCheckoutSession(session), created: true, replacedSessionId };
}

async function resolvePrices(client: StripeBillingClient, data: CheckoutData, useCache: boolean): Promise<Stripe.Price[]> {
	const found = await findPricesByLookupKeys(client, data.lineItems.map((item) => item.lookupKey), { useCache });
	return data.lineItems.map((item, index) => {
		const price = found.get(item.lookupKey);
		if (!price) throw priceNotFound(item.lookupKey, `checkout.lineItems.${index}.lookupKey`);
		if (isMetered(price) && item.quantity !== undefined) {
			throw validationError(`checkout.lineItems.${index}.quantity`, `no quantity: "${item.lookupKey}" is a metered price, billed by reported usage`, item.quantity, VENDOR);
		}
		return price;
	});
}

function isMetered(price: Stripe.Price): boolean {
	return price.recurring?.usage_type === 'metered';
}

function sessionParams(data: CheckoutData, prices: Stripe.Price[]): Stripe.Checkout.SessionCreateParams {
	const metadata = contractMetadata(data.businessKey, CHECKOUT_CREATE_STEP, { ...data.metadata, [METADATA_TIER]: data.tier });
	const params: Stripe.Checkout.SessionCreateParams = {
		mode: 'subscription',
		client_reference_id: data.businessKey,
		line_items: prices.map((price, index) => (isMetered(price) ? { price: price.id } : { price: price.id, quantity: data.lineItems[index].quantity ?? 1 })),
		success_url: data.successUrl,
		cancel_url: data.cancelUrl,
		metadata,
		subscription_data: { metadata, ...(data.trialPeriodDays ? { trial_period_days: data.trialPeriodDays } : {}) },
	};
	if (data.customerId) params.customer = data.customerId;
	if (data.customerEmail) params.customer_email = data.customerEmail;
	if (data.paymentMethodCollection) params.payment_method_collection = data.paymentMethodCollection;
	return params;
}
