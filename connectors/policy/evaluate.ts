import { canonicalJson, parseInput, sha256Hex } from '../core';
import {
	policyAttributesSchema,
	policyConfigSchema,
	type BlockingIssue,
	type PolicyAttributes,
	type PolicyConfig,
	type PolicyDecision,
} from './schemas';

/** Validates and normalises a policy configuration; the error names the config field at fault. */
export function parsePolicyConfig(config: unknown): PolicyConfig {
	return parseInput(policyConfigSchema, config, 'policy');
}

/** Validates and normalises contract attributes; the error names the attribute at fault. */
export function parsePolicyAttributes(attributes: unknown): PolicyAttributes {
	return parseInput(policyAttributesSchema, attributes, 'attributes');
}

/** sha256 of the canonical (key-sorted) normalised configuration: equal rules, equal version. */
export function policyVersion(config: PolicyConfig): string {
	return sha256Hex(canonicalJson(config));
}

/** True if `jurisdiction` is allowed: exact match, or a region of an allowed country ("US-CA" under "US"). */
export function jurisdictionAllowed(jurisdiction: string, allowed: readonly string[]): boolean {
	return allowed.some((code) => code === '*' || jurisdiction === code || jurisdiction.startsWith(`${code}-`));
}

/** The rules; pure and deterministic, so the same contract and policy always give the same decision. */
function blockingIssues(config: PolicyConfig, facts: PolicyAttributes): BlockingIssue[] {
	const issues: BlockingIssue[] = [];
	if (config.requireSignature && !facts.signed) {
		issues.push({ code: 'SIGNATURE_MISSING', field: 'signed', message: 'The contract is not signed' });
	}
	const present = new Set(facts.approvals);
	for (const role of config.requiredApprovals) {
		if (!present.has(role)) {
			issues.push({ code: 'APPROVAL_MISSING', field: 'approvals', message: `The required approval "${role}" is missing` });
		}
	}
	if (config.allowedJurisdictions.length > 0) {
		if (facts.jurisdiction === undefined) {
			issues.push({ code: 'JURISDICTION_MISSING', field: 'jurisdiction', message: 'The contract has no jurisdiction to check' });
		} else if (!jurisdictionAllowed(facts.jurisdiction, config.allowedJurisdictions)) {
			issues.push({
				code: 'JURISDICTION_NOT_ALLOWED',
				field: 'jurisdiction',
				message: `Jurisdiction "${facts.jurisdiction}" is not one of ${config.allowedJurisdictions.join(', ')}`,
			});
		}
	}
	if (config.maxAmount !== undefined && facts.amount > config.maxAmount) {
		issues.push({
			code: 'AMOUNT_OVER_LIMIT',
			field: 'amount',
			message: `Amount ${facts.amount} is over the limit of ${config.maxAmount} (minor units)`,
		});
	}
	if (config.minTermMonths !== undefined && facts.termMonths < config.minTermMonths) {
		issues.push({
			code: 'TERM_TOO_SHORT',
			field: 'termMonths',
			message: `Term of ${facts.termMonths} months is shorter than the minimum of ${config.minTermMonths}`,
		});
	}
	if (config.maxTermMonths !== undefined && facts.termMonths > config.maxTermMonths) {
		issues.push({
			code: 'TERM_TOO_LONG',
			field: 'termMonths',
			message: `Term of ${facts.termMonths} months is longer than the maximum of ${config.maxTermMonths}`,
		});
	}
	return issues;
}

/**
 * Decides whether a contract may be activated (billed and provisioned). Bad configuration or
 * attributes throw a validation ConnectorError naming the field; a failed rule is never an exception,
 * it is a blocking issue in the decision.
 */
export function evaluateContractActivation(config: unknown, attributes: unknown): PolicyDecision {
	const policy = parsePolicyConfig(config);
	const facts = parsePolicyAttributes(attributes);
	const issues = blockingIssues(policy, facts);
	return {
		policy: 'contract_activation',
		allow: issues.length === 0,
		blocking_issues: issues,
		summary: issues.map((issue) => issue.message).join('; '),
		required_receipts: [...policy.requiredReceipts],
		allowed_jurisdictions: [...policy.allowedJurisdictions],
		evaluated: facts,
		config: policy,
		policy_version: policyVersion(policy),
	};
}
