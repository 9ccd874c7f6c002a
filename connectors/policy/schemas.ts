import { z } from 'zod';
import { currencySchema } from '../core';

/** Splits "a, b ,c" into ["a","b","c"]; arrays pass through. Lets the editor's comma-separated fields feed lists. */
function listFromCommaText(value: unknown): unknown {
	if (typeof value === 'string') return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
	return value;
}

const code = z.string().trim().min(1, 'a non-empty code').transform((c) => c.toUpperCase());
const optionalLimit = z.number().int('a whole number').nonnegative().optional();

/**
 * Contract-activation policy, as business users edit it. Every rule is data: thresholds and lists
 * change without code. Limits left out are not enforced; an empty `allowedJurisdictions` means "any".
 */
export const policyConfigSchema = z
	.object({
		requireSignature: z.boolean().default(true),
		requiredApprovals: z.preprocess(listFromCommaText, z.array(code)).default([]),
		allowedJurisdictions: z.preprocess(listFromCommaText, z.array(code)).default([]),
		/** Largest contract amount (minor units per billing interval) that activates without review. */
		maxAmount: optionalLimit,
		minTermMonths: optionalLimit,
		maxTermMonths: optionalLimit,
		/** Receipt types (workflow steps) the activation must leave behind; passed through to the decision. */
		requiredReceipts: z.preprocess(listFromCommaText, z.array(z.string().trim().min(1))).default([]),
	})
	.strict()
	.refine((c) => c.minTermMonths === undefined || c.maxTermMonths === undefined || c.minTermMonths <= c.maxTermMonths, {
		message: 'minTermMonths not greater than maxTermMonths',
		path: ['minTermMonths'],
	});

export type PolicyConfigInput = z.input<typeof policyConfigSchema>;
export type PolicyConfig = z.output<typeof policyConfigSchema>;

/** Accepts true/false and the strings "true"/"false" (what a text expression yields); nothing else. */
const booleanLike = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** Accepts numbers and numeric strings such as "1200"; rejects anything else. */
function numberLike(message: string) {
	return z.preprocess(
		(v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v),
		z.number().int(message).nonnegative(),
	);
}

/** Roles of the approvals present: ["FINANCE"], "FINANCE, LEGAL" or the contract's [{ role: "FINANCE" }]. */
const approvalRoles = z.preprocess(
	(value) => {
		const list = listFromCommaText(value);
		return Array.isArray(list) ? list.map((a) => (a && typeof a === 'object' && 'role' in a ? (a as { role: unknown }).role : a)) : list;
	},
	z.array(code),
);

/** The facts about one contract that the policy is evaluated against. */
export const policyAttributesSchema = z
	.object({
		signed: booleanLike,
		approvals: approvalRoles.default([]),
		jurisdiction: z.preprocess((v) => (v === '' || v === null ? undefined : v), code.optional()),
		amount: numberLike('a whole number of minor units (cents)'),
		termMonths: numberLike('a whole number of months'),
		currency: z.preprocess((v) => (v === '' || v === null ? undefined : v), currencySchema.optional()),
	})
	.strict();

export type PolicyAttributesInput = z.input<typeof policyAttributesSchema>;
export type PolicyAttributes = z.output<typeof policyAttributesSchema>;

export type BlockingIssueCode =
	| 'SIGNATURE_MISSING'
	| 'APPROVAL_MISSING'
	| 'JURISDICTION_MISSING'
	| 'JURISDICTION_NOT_ALLOWED'
	| 'AMOUNT_OVER_LIMIT'
	| 'TERM_TOO_SHORT'
	| 'TERM_TOO_LONG';

export interface BlockingIssue {
	code: BlockingIssueCode;
	message: string;
	/** The attribute at fault, e.g. "approvals". */
	field: keyof PolicyAttributes;
}

/** The decision, shaped like the seed's `contract_activation.rego` output plus traceability fields. */
export interface PolicyDecision {
	policy: 'contract_activation';
	allow: boolean;
	blocking_issues: BlockingIssue[];
	/** Blocking issue messages joined with "; " (empty when allowed), for notifications without code. */
	summary: string;
	required_receipts: string[];
	allowed_jurisdictions: string[];
	/** The attributes after normalisation: exactly what the rules saw. */
	evaluated: PolicyAttributes;
	/** The normalised configuration the decision was made under. */
	config: PolicyConfig;
	/** sha256 of the canonical configuration: which version of the policy decided. */
	policy_version: string;
}
