import type { ContractActivationAttributes, ContractActivationDecision } from '../attributes';
import type { RevOpsConfig } from '../config';
import type { TraceStep } from '../engine';
import { tracer, type Evaluation } from './shared';

/** "US-CA" is allowed under "US"; exact codes match themselves. */
export function jurisdictionAllowed(jurisdiction: string, allowed: readonly string[]): boolean {
	return allowed.some((code) => jurisdiction === code || jurisdiction.startsWith(`${code}-`));
}

/** Activation gate: every blocking issue is listed (in a fixed order), none is an exception. */
export function decideContractActivation(attributes: ContractActivationAttributes, config: RevOpsConfig): Evaluation<ContractActivationDecision> {
	const steps: TraceStep[] = [];
	const trace = tracer(steps);
	const { contract, approvals, receipts } = attributes;
	const issues: string[] = [];
	const block = (rule: string, issue: string, detail: string) => {
		issues.push(issue);
		trace.fired(rule, detail);
	};

	if (!contract.signed) block('signed', 'contract_not_signed', `contract ${contract.id} is not signed`);
	else trace.matched('signed', `contract ${contract.id} is signed`);

	if (config.activation.required_approvals_present) {
		for (const role of attributes.required_approvals) {
			if (!approvals.includes(role)) block('required_approvals', `missing_approval:${role}`, `${role} approval is missing`);
		}
	} else trace.skipped('required_approvals', 'activation.required_approvals_present is false');

	for (const type of config.activation.required_receipts) {
		if (!receipts.includes(type)) block('required_receipts', `missing_receipt:${type}`, `no ${type} receipt`);
	}

	const allowed = config.terms.allowed_jurisdictions ?? [];
	if (allowed.length > 0) {
		// An unknown jurisdiction cannot be shown to be allowed, so it blocks too.
		if (contract.jurisdiction === undefined) block('allowed_jurisdictions', 'jurisdiction_missing', 'the contract has no jurisdiction');
		else if (!jurisdictionAllowed(contract.jurisdiction, allowed)) {
			block('allowed_jurisdictions', `jurisdiction_not_allowed:${contract.jurisdiction}`, `${contract.jurisdiction} is not in ${allowed.join(', ')}`);
		}
	}

	const { min_term_months: minTerm, max_term_months: maxTerm, max_liability_cap_multiple: maxLiability } = config.terms;
	const term = contract.term_length_months;
	if (term !== undefined && ((minTerm !== undefined && term < minTerm) || (maxTerm !== undefined && term > maxTerm))) {
		block('term_range', 'term_out_of_range', `term ${term} months outside ${minTerm ?? '-'}..${maxTerm ?? '-'}`);
	}
	const liability = contract.liability_cap_multiple;
	if (liability !== undefined && maxLiability !== undefined && liability > maxLiability) {
		block('max_liability_cap_multiple', 'liability_above_cap', `liability cap ${liability}× above ${maxLiability}×`);
	}

	const legalReviewsNonStandard = Object.values(config.discounts).some((rule) => rule.legal_required_for_non_standard);
	if (contract.has_non_standard_terms && legalReviewsNonStandard && !approvals.includes('LEGAL')) {
		block('legal_required_for_non_standard', 'legal_approval_required', 'non-standard terms without LEGAL approval');
	}

	return {
		decision: {
			allow: issues.length === 0,
			blocking_issues: issues,
			required_receipts: [...config.activation.required_receipts],
			allowed_jurisdictions: [...allowed],
		},
		trace: steps,
	};
}
