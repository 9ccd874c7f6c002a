import type { DiscountApprovalsAttributes, DiscountApprovalsDecision } from '../attributes';
import { APPROVAL_ROLES, type ApprovalRole, type RevOpsConfig } from '../config';
import type { TraceStep } from '../engine';
import { tracer, type Evaluation } from './shared';

const SELF_APPROVING_SELLERS = ['ae', 'sdr', 'partner_manager'];

/**
 * Deal-desk rules: the ceiling and term range decide `allow`; thresholds, ARR and non-standard terms
 * build the approval chain. Each rule that fires adds one sentence to the rationale, in a fixed order.
 */
export function decideDiscountApprovals(attributes: DiscountApprovalsAttributes, config: RevOpsConfig): Evaluation<DiscountApprovalsDecision> {
	const steps: TraceStep[] = [];
	const trace = tracer(steps);
	const { quote, user } = attributes;
	const segment = quote.segment;
	const rule = config.discounts[segment];
	const d = quote.discount_percentage;
	const arr = quote.arr ?? quote.list_price_total * (1 - d);
	const chains = config.approvals?.approval_chains;
	const required = new Set<ApprovalRole>();
	const sentences: string[] = [];
	const fire = (name: string, sentence: string, roles: readonly ApprovalRole[] = []) => {
		roles.forEach((role) => required.add(role));
		sentences.push(sentence);
		trace.fired(name, roles.length > 0 ? `${sentence} Requires ${roles.join(', ')}.` : sentence);
	};

	const withinCeiling = d <= rule.max_discount_pct;
	if (!withinCeiling) fire('max_discount_pct', `Discount ${d} exceeds the maximum of ${rule.max_discount_pct} for ${segment}.`);
	else trace.matched('max_discount_pct', `${d} ≤ ${rule.max_discount_pct}`);

	const { min_term_months: minTerm, max_term_months: maxTerm } = config.terms;
	const term = quote.term_length_months;
	const termTooShort = minTerm !== undefined && term < minTerm;
	const termTooLong = maxTerm !== undefined && term > maxTerm;
	if (termTooShort) fire('term_range', `Term of ${term} months is below the minimum of ${minTerm} months.`);
	if (termTooLong) fire('term_range', `Term of ${term} months is above the maximum of ${maxTerm} months.`);

	if (SELF_APPROVING_SELLERS.includes(user.role) && d > rule.ae_self_approve_pct) {
		fire('ae_self_approve_pct', `Discount ${d} is above the self-approval limit of ${rule.ae_self_approve_pct} for ${segment}.`, [
			'SALES_MANAGER',
			...(chains?.default ?? []),
		]);
	} else trace.skipped('ae_self_approve_pct', `role ${user.role}, discount ${d}`);

	// A sales manager submitting is the manager approval; the submitter's role satisfies nothing else.
	const manager = rule.manager_required_pct;
	if (manager !== undefined && d > manager && user.role !== 'sales_manager') {
		fire('manager_required_pct', `Discount ${d} is above the manager approval threshold of ${manager} for ${segment}.`, ['SALES_MANAGER']);
	} else trace.skipped('manager_required_pct', manager === undefined ? 'no manager threshold' : `discount ${d}, role ${user.role}`);

	const finance = rule.finance_required_pct;
	if (finance !== undefined && d > finance) {
		fire('finance_required_pct', `Discount ${d} is above the finance approval threshold of ${finance} for ${segment}.`, ['FINANCE']);
	} else trace.skipped('finance_required_pct', finance === undefined ? 'no finance threshold' : `discount ${d} ≤ ${finance}`);

	const approvals = config.approvals;
	if (approvals !== undefined && arr >= approvals.high_arr_threshold) {
		// Without an explicit chain, a high-ARR deal goes to finance (the seed's "finance above … ARR threshold").
		fire('high_arr_threshold', `ARR reaches the high-ARR threshold of ${approvals.high_arr_threshold}.`, chains?.over_high_arr ?? ['FINANCE']);
	} else trace.skipped('high_arr_threshold', approvals === undefined ? 'no approvals config' : `ARR ${arr} below ${approvals.high_arr_threshold}`);

	const strategicThreshold = approvals === undefined ? undefined : (approvals.strategic_arr_threshold ?? approvals.high_arr_threshold);
	const strategic = strategicThreshold !== undefined && arr >= strategicThreshold;
	if (strategic) fire('strategic_arr_threshold', `Strategic deal: ARR reaches the strategic threshold of ${strategicThreshold}.`);

	if (quote.has_non_standard_terms) {
		// legal_required_for_non_standard always adds LEGAL, even to a chain that forgot it.
		const roles = [...(chains?.non_standard_terms ?? []), ...(rule.legal_required_for_non_standard ? (['LEGAL'] as const) : [])];
		const ordered = APPROVAL_ROLES.filter((role) => roles.includes(role));
		if (ordered.length > 0) fire('non_standard_terms', `Non-standard terms require ${ordered.join(', ')} approval.`, ordered);
		else trace.skipped('non_standard_terms', 'no non-standard-terms chain and legal review not required for this segment');
	}

	if (user.role === 'sales_manager') required.delete('SALES_MANAGER');
	const requiredApprovals = APPROVAL_ROLES.filter((role) => required.has(role));
	const maxAllowed = SELF_APPROVING_SELLERS.includes(user.role)
		? rule.ae_self_approve_pct
		: user.role === 'sales_manager'
			? (finance ?? rule.max_discount_pct)
			: rule.max_discount_pct;

	return {
		decision: {
			allow: withinCeiling && !termTooShort && !termTooLong,
			max_allowed_discount: maxAllowed,
			required_approvals: requiredApprovals,
			flags: { legal_required: required.has('LEGAL'), strategic },
			rationale: sentences.length > 0 ? sentences.join(' ') : 'No approval required: the quote is within policy.',
		},
		trace: steps,
	};
}
