import { parse as parseYaml } from 'yaml';
import { canonicalJson, sha256Hex, z } from '../core';
import defaultProfile from './profiles/revops_default_profile.json';
import enterpriseProfile from './profiles/revops_enterprise_profile.json';
import smbProfile from './profiles/revops_smb_profile.json';
import { checkCrossFields } from './configChecks';
import { parseOrThrow, throwValidation } from './validation';

export const ROUTE_STRATEGIES = ['territory', 'segment', 'round_robin', 'account_owner_follows', 'capacity'] as const;
export const APPROVAL_ROLES = ['SALES_MANAGER', 'FINANCE', 'LEGAL', 'VP_SALES'] as const;
/** Lead attributes a tenant may require before routing (`routing.preflight.required_enrichment`). */
export const ENRICHABLE_LEAD_FIELDS = [
	'email',
	'email_domain',
	'country',
	'state',
	'company_size',
	'industry',
	'segment',
	'arr_estimate',
	'source',
	'utm_campaign',
] as const;

export type RouteStrategy = (typeof ROUTE_STRATEGIES)[number];
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];

const PCT = 'a number between 0 and 1';
const pct = z.number({ invalid_type_error: PCT, required_error: PCT }).min(0, PCT).max(1, PCT);
const money = z.number().nonnegative('a non-negative amount');
const count = z.number().int('a whole number').nonnegative('a whole number of at least 0');
const minutes = z.number().int('a whole number of minutes').positive('a positive whole number of minutes');
const nonEmpty = z.string().trim().min(1, 'a non-empty name');

/** "UK" is not ISO 3166 but every CRM export has it; it always means GB. */
export function normaliseCountry(code: string): string {
	const upper = code.trim().toUpperCase();
	return upper === 'UK' ? 'GB' : upper;
}
const countryCode = z
	.string()
	.trim()
	.regex(/^[A-Za-z]{2}$/, 'a two-letter ISO 3166 country code such as "GB"')
	.transform(normaliseCountry);
/** Territory codes: a country ("GB") or a country subdivision ("US-CA"). */
const territoryCode = z
	.string()
	.trim()
	.regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'a country code ("GB") or country-subdivision code ("US-CA")')
	.transform((code) => {
		const [country, ...rest] = code.split('-');
		return [normaliseCountry(country), ...rest.map((part) => part.toUpperCase())].join('-');
	});
const jurisdiction = z
	.string()
	.trim()
	.regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'a jurisdiction code such as "US" or "US-CA"')
	.transform((code) => code.toUpperCase());
const domain = z
	.string()
	.trim()
	.min(1, 'a domain such as "example.com"')
	.transform((d) => d.toLowerCase());
const role = z.enum(APPROVAL_ROLES);
const assignee = z.string().trim().min(1, 'a user or team id such as "user:ae-1" or "team:sdr-west"');

const segmentSchema = z
	.object({
		name: nonEmpty,
		arr_min: money.optional(),
		arr_max: money.optional(),
		company_size_min: count.optional(),
		company_size_max: count.optional(),
	})
	.strict();

const preflightSchema = z
	.object({
		blocked_domains: z.array(domain).default([]),
		allowed_domains: z.array(domain).default([]),
		blocked_countries: z.array(countryCode).default([]),
		free_email_domains: z.array(domain).default([]),
		required_enrichment: z.array(z.enum(ENRICHABLE_LEAD_FIELDS)).default([]),
	})
	.strict();

const routingSchema = z
	.object({
		default_strategy: z.enum(ROUTE_STRATEGIES),
		account_owner_follows: z.boolean().default(true),
		territories: z.record(z.array(territoryCode).min(1)).default({}),
		territory_owners: z.record(assignee).default({}),
		segment_teams: z.record(z.record(assignee)).default({}),
		round_robin_pools: z.record(z.array(assignee).min(1)).default({}),
		segment_pools: z.record(nonEmpty).default({}),
		capacity: z.record(count).default({}),
		preflight: preflightSchema.default({}),
	})
	.strict();

const slaSchema = z.object({ default: minutes }).catchall(z.union([minutes, z.record(minutes)]));

const discountSchema = z
	.object({
		ae_self_approve_pct: pct,
		manager_required_pct: pct.optional(),
		finance_required_pct: pct.optional(),
		max_discount_pct: pct.default(1),
		legal_required_for_non_standard: z.boolean().default(false),
	})
	.strict();

const approvalsSchema = z
	.object({
		high_arr_threshold: money,
		strategic_arr_threshold: money.optional(),
		approval_chains: z
			.object({
				default: z.array(role).default([]),
				over_high_arr: z.array(role).optional(),
				non_standard_terms: z.array(role).optional(),
			})
			.strict()
			.default({}),
	})
	.strict();

const termsSchema = z
	.object({
		min_term_months: z.number().int('a whole number of months').positive('a positive whole number of months').optional(),
		max_term_months: z.number().int('a whole number of months').positive('a positive whole number of months').optional(),
		max_liability_cap_multiple: z.number().positive('a positive multiple of the contract value').optional(),
		allowed_jurisdictions: z.array(jurisdiction).optional(),
	})
	.strict();

const activationSchema = z
	.object({
		required_receipts: z.array(z.string().trim().min(1, 'a receipt type such as "contract.signed"')).default(['contract.signed']),
		required_approvals_present: z.boolean().default(true),
	})
	.strict();

/**
 * One tenant's RevOps rules. Keys are snake_case so the parsed config is OPA's `input.config` unchanged.
 * Defaults are filled in here, once, so neither engine has to know them.
 */
export const revOpsConfigSchema = z
	.object({
		tenant: z.string().trim().min(1, 'a non-empty tenant id'),
		segments: z.array(segmentSchema).min(1, 'a list of at least one segment'),
		regions: z.record(z.array(countryCode)).default({}),
		routing: routingSchema,
		sla_minutes: slaSchema.optional(),
		discounts: z.record(discountSchema),
		approvals: approvalsSchema.optional(),
		terms: termsSchema.default({}),
		activation: activationSchema.default({}),
		connectors: z
			.object({
				crm: z.enum(['salesforce', 'hubspot']).optional(),
				esign: z.enum(['docusign']).optional(),
				billing: z.enum(['stripe']).optional(),
			})
			.strict()
			.optional(),
		evidence: z.object({ retention_days: z.number().int('a whole number of days').positive('a positive whole number of days').optional() }).strict().optional(),
	})
	.strict()
	.superRefine(checkCrossFields);

export type RevOpsConfig = z.output<typeof revOpsConfigSchema>;
export type RevOpsConfigInput = z.input<typeof revOpsConfigSchema>;
export type DiscountRule = RevOpsConfig['discounts'][string];

/** Parses a RevOpsConfig from an object, JSON text or YAML text; errors read `path: expected …`. */
export function parseRevOpsConfig(source: unknown): RevOpsConfig {
	return parseOrThrow(revOpsConfigSchema, typeof source === 'string' ? parseConfigText(source) : source, 'RevOps config');
}

/** JSON (when it starts with "{") or YAML config text as a value; unreadable text is a validation error at the root. */
export function parseConfigText(text: string): unknown {
	const trimmed = text.trim();
	try {
		// JSON first: it is what the n8n editor and APIs hand over; YAML is what people write by hand.
		return trimmed.startsWith('{') ? JSON.parse(trimmed) : parseYaml(trimmed);
	} catch (error) {
		const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
		return throwValidation('RevOps config', '(root)', `a RevOps config as JSON or YAML text (${reason})`);
	}
}

/** sha256 of the canonical JSON of the parsed config: equal rules, equal version, whatever the key order. */
export function configVersion(config: RevOpsConfig): string {
	return sha256Hex(canonicalJson(config));
}

const PROFILES = {
	revops_default_profile: defaultProfile,
	revops_smb_profile: smbProfile,
	revops_enterprise_profile: enterpriseProfile,
} as const;

export type ProfileName = keyof typeof PROFILES;

export function listProfiles(): ProfileName[] {
	return Object.keys(PROFILES) as ProfileName[];
}

/** A shipped profile, parsed (a fresh copy each call). Accepts "default" as well as "revops_default_profile". */
export function loadProfile(name: string): RevOpsConfig {
	const key = (Object.hasOwn(PROFILES, name) ? name : `revops_${name}_profile`) as ProfileName;
	if (!Object.hasOwn(PROFILES, key)) return throwValidation('RevOps profile', 'profile', `one of ${listProfiles().join(', ')}`, ` (received ${JSON.stringify(name)})`);
	return parseRevOpsConfig(structuredClone(PROFILES[key]));
}
