import { z } from '../core';
import { APPROVAL_ROLES, normaliseCountry, ROUTE_STRATEGIES, type RevOpsConfig } from './config';
import type { DecisionKind } from './engine';
import { parseOrThrow, throwValidation } from './validation';

const lowerCase = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const upperCase = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const id = z.string().trim().min(1, 'a non-empty id');
const text = z.string().trim().min(1, 'non-empty text');
const amount = z.number().nonnegative('a non-negative amount');
const PCT = 'a number between 0 and 1';
const role = z.preprocess(upperCase, z.enum(APPROVAL_ROLES));

// ---- Decision inputs -------------------------------------------------------------------------

export const leadSchema = z
	.object({
		id,
		email: z.string().trim().regex(/^[^@\s]+@[^@\s]+$/, 'an email address such as "ana@acme.com"').optional(),
		email_domain: z.preprocess(lowerCase, text).optional(),
		country: z.preprocess(upperCase, z.string().regex(/^[A-Z]{2}$/, 'a two-letter ISO 3166 country code such as "GB"')).optional(),
		state: z.preprocess(upperCase, text).optional(),
		company_size: z.number().int('a whole number of employees').nonnegative().optional(),
		industry: text.optional(),
		segment: text.optional(),
		arr_estimate: amount.optional(),
		source: text.optional(),
		utm_campaign: text.optional(),
		is_spam_signal: z.boolean().default(false),
	})
	.strict();

export const accountSchema = z
	.object({
		id,
		owner_id: z.string().trim().min(1, 'a user or team id such as "user:ae-7"'),
		customer_status: z.preprocess(lowerCase, z.enum(['customer', 'prospect', 'churned'])),
		region: text.optional(),
		domain: z.preprocess(lowerCase, text).optional(),
	})
	.strict();

export const leadRoutingAttributesSchema = z
	.object({
		lead: leadSchema,
		account: accountSchema.nullish().transform((account) => account ?? undefined),
		routing_state: z
			.object({
				round_robin_counters: z.record(z.number().int('a whole number').nonnegative()).default({}),
				open_leads: z.record(z.number().int('a whole number').nonnegative()).default({}),
			})
			.strict()
			.default({}),
	})
	.strict();

export const discountApprovalsAttributesSchema = z
	.object({
		quote: z
			.object({
				id,
				segment: text,
				list_price_total: amount,
				discount_percentage: z.number({ invalid_type_error: PCT, required_error: PCT }).min(0, PCT).max(1, PCT),
				term_length_months: z.number().int('a whole number of months').positive('a positive whole number of months'),
				has_non_standard_terms: z.boolean().default(false),
				non_standard_terms: z.array(text).default([]),
				arr: amount.optional(),
				product_mix: z.array(text).optional(),
			})
			.strict(),
		user: z
			.object({
				id: id.optional(),
				role: z.preprocess(lowerCase, z.enum(['sdr', 'ae', 'partner_manager', 'sales_manager', 'finance', 'legal'])),
			})
			.strict(),
	})
	.strict();

export const contractActivationAttributesSchema = z
	.object({
		contract: z
			.object({
				id,
				signed: z.boolean(),
				jurisdiction: z.preprocess(upperCase, text).optional(),
				term_length_months: z.number().int('a whole number of months').positive('a positive whole number of months').optional(),
				liability_cap_multiple: z.number().nonnegative('a non-negative multiple of the contract value').optional(),
				has_non_standard_terms: z.boolean().default(false),
			})
			.strict(),
		approvals: z.array(role).default([]),
		required_approvals: z.array(role).default([]),
		receipts: z.array(text).default([]),
	})
	.strict();

export type LeadRoutingAttributes = z.output<typeof leadRoutingAttributesSchema>;
export type DiscountApprovalsAttributes = z.output<typeof discountApprovalsAttributesSchema>;
export type ContractActivationAttributes = z.output<typeof contractActivationAttributesSchema>;
export type Lead = LeadRoutingAttributes['lead'];

// ---- Decisions (exactly the seed's fields; also used to validate OPA answers) ---------------

export const leadRoutingDecisionSchema = z.object({
	allow: z.boolean(),
	assignee: z.string().min(1).optional(),
	route_strategy: z.enum(ROUTE_STRATEGIES),
	sla_minutes: z.number().int().positive().optional(),
	conflicts: z.array(z.string()),
	required_enrichment: z.array(z.string()),
});

export const discountApprovalsDecisionSchema = z.object({
	allow: z.boolean(),
	max_allowed_discount: z.number().min(0).max(1),
	required_approvals: z.array(z.enum(APPROVAL_ROLES)),
	flags: z.object({ legal_required: z.boolean(), strategic: z.boolean() }),
	rationale: z.string(),
});

export const contractActivationDecisionSchema = z.object({
	allow: z.boolean(),
	blocking_issues: z.array(z.string()),
	required_receipts: z.array(z.string()),
	allowed_jurisdictions: z.array(z.string()),
});

export type LeadRoutingDecision = z.output<typeof leadRoutingDecisionSchema>;
export type DiscountApprovalsDecision = z.output<typeof discountApprovalsDecisionSchema>;
export type ContractActivationDecision = z.output<typeof contractActivationDecisionSchema>;

export const decisionSchemas = {
	lead_routing: leadRoutingDecisionSchema,
	discount_approvals: discountApprovalsDecisionSchema,
	contract_activation: contractActivationDecisionSchema,
} as const;

export interface AttributesOf {
	lead_routing: LeadRoutingAttributes;
	discount_approvals: DiscountApprovalsAttributes;
	contract_activation: ContractActivationAttributes;
}

// ---- Normalisation (shared by every engine, run before any rule) ---------------------------

/**
 * The lead's segment when it brings none: the first configured segment whose bounds contain it.
 * Bounds are inclusive; a bound on a figure the lead lacks is ignored, but a segment with bounds
 * must have at least one of them checked (a lead with no figures only lands in a bound-less segment).
 */
export function deriveSegment(lead: Pick<Lead, 'arr_estimate' | 'company_size'>, config: RevOpsConfig): string | undefined {
	const within = (value: number, min?: number, max?: number) => (min === undefined || value >= min) && (max === undefined || value <= max);
	for (const segment of config.segments) {
		const hasArrBounds = segment.arr_min !== undefined || segment.arr_max !== undefined;
		const hasSizeBounds = segment.company_size_min !== undefined || segment.company_size_max !== undefined;
		const arrChecked = hasArrBounds && lead.arr_estimate !== undefined;
		const sizeChecked = hasSizeBounds && lead.company_size !== undefined;
		if ((hasArrBounds || hasSizeBounds) && !arrChecked && !sizeChecked) continue;
		if (arrChecked && !within(lead.arr_estimate as number, segment.arr_min, segment.arr_max)) continue;
		if (sizeChecked && !within(lead.company_size as number, segment.company_size_min, segment.company_size_max)) continue;
		return segment.name;
	}
	return undefined;
}

function assertDeclaredSegment(segment: string | undefined, field: string, config: RevOpsConfig): void {
	const names = config.segments.map((s) => s.name);
	if (segment !== undefined && !names.includes(segment)) {
		throwValidation('attributes', field, `a segment declared in the config: ${names.map((n) => JSON.stringify(n)).join(', ')}`, ` (received ${JSON.stringify(segment)})`);
	}
}

function normaliseLeadRouting(input: unknown, config: RevOpsConfig): LeadRoutingAttributes {
	const attributes = parseOrThrow(leadRoutingAttributesSchema, input, 'lead_routing attributes');
	const lead = { ...attributes.lead };
	if (lead.email_domain === undefined && lead.email !== undefined) lead.email_domain = lead.email.slice(lead.email.lastIndexOf('@') + 1).toLowerCase();
	if (lead.country !== undefined) lead.country = normaliseCountry(lead.country);
	// "US-CA" and "CA" both mean California for a US lead; keep the bare subdivision.
	if (lead.state !== undefined && lead.country !== undefined && lead.state.startsWith(`${lead.country}-`)) lead.state = lead.state.slice(lead.country.length + 1);
	assertDeclaredSegment(lead.segment, 'lead.segment', config);
	if (lead.segment === undefined) {
		const segment = deriveSegment(lead, config);
		if (segment !== undefined) lead.segment = segment;
	}
	const result: LeadRoutingAttributes = { lead, routing_state: attributes.routing_state };
	if (attributes.account !== undefined) result.account = attributes.account;
	return result;
}

function normaliseDiscountApprovals(input: unknown, config: RevOpsConfig): DiscountApprovalsAttributes {
	const attributes = parseOrThrow(discountApprovalsAttributesSchema, input, 'discount_approvals attributes');
	const quote = { ...attributes.quote };
	assertDeclaredSegment(quote.segment, 'quote.segment', config);
	// Annual value after discount, in whole cents so both engines compare the same number.
	if (quote.arr === undefined) quote.arr = Math.round(quote.list_price_total * (1 - quote.discount_percentage) * 100) / 100;
	quote.has_non_standard_terms = quote.has_non_standard_terms || quote.non_standard_terms.length > 0;
	return { quote, user: attributes.user };
}

function normaliseContractActivation(input: unknown): ContractActivationAttributes {
	const attributes = parseOrThrow(contractActivationAttributesSchema, input, 'contract_activation attributes');
	const unique = <T>(list: T[]) => [...new Set(list)];
	return { ...attributes, approvals: unique(attributes.approvals), required_approvals: unique(attributes.required_approvals), receipts: unique(attributes.receipts) };
}

/**
 * Validates and normalises decision attributes (derivations included) before any engine runs, so
 * the built-in engine and OPA see identical input. Idempotent: normalising twice changes nothing.
 */
export function normaliseAttributes<K extends DecisionKind>(kind: K, attributes: unknown, config: RevOpsConfig): AttributesOf[K] {
	switch (kind) {
		case 'lead_routing':
			return normaliseLeadRouting(attributes, config) as AttributesOf[K];
		case 'discount_approvals':
			return normaliseDiscountApprovals(attributes, config) as AttributesOf[K];
		case 'contract_activation':
			return normaliseContractActivation(attributes) as AttributesOf[K];
		default:
			return throwValidation('decision', 'kind', 'one of "lead_routing", "discount_approvals", "contract_activation"', ` (received ${JSON.stringify(kind)})`);
	}
}
