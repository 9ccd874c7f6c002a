import type { GoldenCase } from './cases';

// Default profile: smb AE ≤ 0.2 / manager > 0.2 / finance > 0.3 / max 0.5; mid_market 0.15/0.15/0.3/0.5;
// enterprise AE ≤ 0.1 / finance > 0.3 / max 0.6 / legal for non-standard; high ARR 250000 → [SALES_MANAGER, FINANCE];
// strategic at 1000000; non-standard chain [LEGAL]; terms 12..36 months.
const NONE = 'No approval required: the quote is within policy.';
const aeLimit = (d: number, limit: number, segment: string) => `Discount ${d} is above the self-approval limit of ${limit} for ${segment}.`;
const managerLimit = (d: number, limit: number, segment: string) => `Discount ${d} is above the manager approval threshold of ${limit} for ${segment}.`;
const financeLimit = (d: number, limit: number, segment: string) => `Discount ${d} is above the finance approval threshold of ${limit} for ${segment}.`;
const highArr = (threshold: number) => `ARR reaches the high-ARR threshold of ${threshold}.`;
const strategicArr = (threshold: number) => `Strategic deal: ARR reaches the strategic threshold of ${threshold}.`;
const nonStandard = (roles: string) => `Non-standard terms require ${roles} approval.`;
const ceiling = (d: number, max: number, segment: string) => `Discount ${d} exceeds the maximum of ${max} for ${segment}.`;

function quote(segment: string, list_price_total: number, discount_percentage: number, extra: Record<string, unknown> = {}) {
	return { id: `q-${segment}-${discount_percentage}`, segment, list_price_total, discount_percentage, term_length_months: 12, ...extra };
}

function deal(
	name: string,
	config: GoldenCase['config'],
	attributes: Record<string, unknown>,
	[allow, max_allowed_discount, required_approvals, legal_required, strategic, ...sentences]: [boolean, number, string[], boolean, boolean, ...string[]],
): GoldenCase {
	return {
		name,
		kind: 'discount_approvals',
		config,
		attributes,
		expected: { allow, max_allowed_discount, required_approvals, flags: { legal_required, strategic }, rationale: sentences.length > 0 ? sentences.join(' ') : NONE },
	};
}

const ae = { id: 'user:ae-1', role: 'ae' };
const withOverride = (override: Record<string, unknown>) => ({ base: 'default', override });

export const discountApprovalCases: GoldenCase[] = [
	// Roles and thresholds
	deal('da_smb_at_ae_limit_needs_nothing', 'default', { quote: quote('smb', 10000, 0.2), user: ae }, [true, 0.2, [], false, false]),
	deal('da_smb_25_percent_ae_needs_manager', 'default', { quote: quote('smb', 40000, 0.25), user: ae }, [true, 0.2, ['SALES_MANAGER'], false, false, aeLimit(0.25, 0.2, 'smb'), managerLimit(0.25, 0.2, 'smb')]),
	deal('da_smb_35_percent_ae_needs_manager_and_finance', 'default', { quote: quote('smb', 40000, 0.35), user: ae }, [
		true, 0.2, ['SALES_MANAGER', 'FINANCE'], false, false, aeLimit(0.35, 0.2, 'smb'), managerLimit(0.35, 0.2, 'smb'), financeLimit(0.35, 0.3, 'smb'),
	]),
	deal('da_smb_25_percent_sales_manager_self_approves', 'default', { quote: quote('smb', 40000, 0.25), user: { role: 'sales_manager' } }, [true, 0.3, [], false, false]),
	deal('da_smb_35_percent_sales_manager_needs_finance', 'default', { quote: quote('smb', 40000, 0.35), user: { role: 'sales_manager' } }, [true, 0.3, ['FINANCE'], false, false, financeLimit(0.35, 0.3, 'smb')]),
	deal('da_finance_submitter_does_not_approve_itself', 'default', { quote: quote('smb', 40000, 0.4), user: { role: 'finance' } }, [
		true, 0.5, ['SALES_MANAGER', 'FINANCE'], false, false, managerLimit(0.4, 0.2, 'smb'), financeLimit(0.4, 0.3, 'smb'),
	]),
	deal('da_legal_submitter_within_policy', 'default', { quote: quote('smb', 40000, 0.1), user: { role: 'legal' } }, [true, 0.5, [], false, false]),
	deal('da_partner_manager_is_a_seller', 'default', { quote: quote('smb', 40000, 0.21), user: { role: 'partner_manager' } }, [true, 0.2, ['SALES_MANAGER'], false, false, aeLimit(0.21, 0.2, 'smb'), managerLimit(0.21, 0.2, 'smb')]),
	deal('da_sdr_is_a_seller', 'default', { quote: quote('smb', 40000, 0.3), user: { role: 'sdr' } }, [true, 0.2, ['SALES_MANAGER'], false, false, aeLimit(0.3, 0.2, 'smb'), managerLimit(0.3, 0.2, 'smb')]),
	deal('da_enterprise_ae_above_self_approval', 'default', { quote: quote('enterprise', 200000, 0.15), user: ae }, [true, 0.1, ['SALES_MANAGER'], false, false, aeLimit(0.15, 0.1, 'enterprise')]),
	deal('da_mid_market_ae_at_finance_threshold', 'default', { quote: quote('mid_market', 100000, 0.3), user: ae }, [
		true, 0.15, ['SALES_MANAGER'], false, false, aeLimit(0.3, 0.15, 'mid_market'), managerLimit(0.3, 0.15, 'mid_market'),
	]),

	// ARR thresholds
	deal('da_high_arr_uses_over_high_arr_chain', 'default', { quote: quote('enterprise', 400000, 0.05), user: ae }, [true, 0.1, ['SALES_MANAGER', 'FINANCE'], false, false, highArr(250000)]),
	deal('da_high_arr_threshold_is_inclusive_on_given_arr', 'default', { quote: quote('smb', 10000, 0.1, { arr: 250000 }), user: ae }, [true, 0.2, ['SALES_MANAGER', 'FINANCE'], false, false, highArr(250000)]),
	deal('da_arr_defaults_to_discounted_list_price', 'default', { quote: quote('enterprise', 260000, 0.05), user: ae }, [true, 0.1, [], false, false]),
	deal('da_strategic_deal', 'default', { quote: quote('enterprise', 1200000, 0.1), user: ae }, [true, 0.1, ['SALES_MANAGER', 'FINANCE'], false, true, highArr(250000), strategicArr(1000000)]),
	deal('da_strategic_threshold_defaults_to_high_arr', withOverride({ approvals: { strategic_arr_threshold: null } }), { quote: quote('enterprise', 300000, 0), user: ae }, [
		true, 0.1, ['SALES_MANAGER', 'FINANCE'], false, true, highArr(250000), strategicArr(250000),
	]),
	deal('da_high_arr_without_chain_goes_to_finance', withOverride({ approvals: { approval_chains: { over_high_arr: null } } }), { quote: quote('enterprise', 300000, 0), user: ae }, [
		true, 0.1, ['FINANCE'], false, false, highArr(250000),
	]),
	deal('da_without_approvals_config_no_arr_rules', withOverride({ approvals: null }), { quote: quote('enterprise', 2000000, 0.2), user: ae }, [true, 0.1, ['SALES_MANAGER'], false, false, aeLimit(0.2, 0.1, 'enterprise')]),

	// Non-standard terms
	deal('da_enterprise_non_standard_terms_require_legal', 'default', { quote: quote('enterprise', 100000, 0.05, { has_non_standard_terms: true }), user: ae }, [true, 0.1, ['LEGAL'], true, false, nonStandard('LEGAL')]),
	deal('da_non_standard_terms_list_implies_flag', 'default', { quote: quote('enterprise', 100000, 0.05, { non_standard_terms: ['mfn_clause'] }), user: ae }, [true, 0.1, ['LEGAL'], true, false, nonStandard('LEGAL')]),
	deal('da_smb_non_standard_terms_use_chain', 'default', { quote: quote('smb', 10000, 0.1, { has_non_standard_terms: true }), user: ae }, [true, 0.2, ['LEGAL'], true, false, nonStandard('LEGAL')]),
	deal(
		'da_non_standard_terms_without_chain_or_legal_flag',
		withOverride({ approvals: { approval_chains: { non_standard_terms: null } } }),
		{ quote: quote('smb', 10000, 0.1, { has_non_standard_terms: true }), user: ae },
		[true, 0.2, [], false, false],
	),
	deal(
		'da_legal_flag_adds_legal_to_chain',
		withOverride({ approvals: { approval_chains: { non_standard_terms: ['VP_SALES'] } } }),
		{ quote: quote('enterprise', 100000, 0.05, { has_non_standard_terms: true }), user: ae },
		[true, 0.1, ['LEGAL', 'VP_SALES'], true, false, nonStandard('LEGAL, VP_SALES')],
	),

	// Ceiling and term range (deny)
	deal('da_ceiling_denies', 'default', { quote: quote('smb', 10000, 0.55), user: ae }, [
		false, 0.2, ['SALES_MANAGER', 'FINANCE'], false, false, ceiling(0.55, 0.5, 'smb'), aeLimit(0.55, 0.2, 'smb'), managerLimit(0.55, 0.2, 'smb'), financeLimit(0.55, 0.3, 'smb'),
	]),
	deal('da_ceiling_defaults_to_100_percent', withOverride({ discounts: { smb: { max_discount_pct: null } } }), { quote: quote('smb', 10000, 0.9), user: { role: 'finance' } }, [
		true, 1, ['SALES_MANAGER', 'FINANCE'], false, false, managerLimit(0.9, 0.2, 'smb'), financeLimit(0.9, 0.3, 'smb'),
	]),
	deal('da_term_below_minimum_denies', 'default', { quote: quote('smb', 10000, 0.1, { term_length_months: 6 }), user: ae }, [false, 0.2, [], false, false, 'Term of 6 months is below the minimum of 12 months.']),
	deal('da_term_above_maximum_denies', 'default', { quote: quote('smb', 10000, 0.1, { term_length_months: 48 }), user: ae }, [false, 0.2, [], false, false, 'Term of 48 months is above the maximum of 36 months.']),

	// Enterprise profile: longer chains, roles ordered and deduplicated
	deal('da_enterprise_profile_full_chain_in_role_order', 'enterprise', { quote: quote('enterprise', 1000000, 0.3, { term_length_months: 36, has_non_standard_terms: true }), user: ae }, [
		true, 0.1, ['SALES_MANAGER', 'FINANCE', 'LEGAL', 'VP_SALES'], true, false,
		aeLimit(0.3, 0.1, 'enterprise'), financeLimit(0.3, 0.25, 'enterprise'), highArr(500000), nonStandard('FINANCE, LEGAL'),
	]),
	deal('da_sales_manager_dropped_from_chains', 'enterprise', { quote: quote('enterprise', 800000, 0.1), user: { role: 'sales_manager' } }, [true, 0.25, ['FINANCE', 'VP_SALES'], false, false, highArr(500000)]),
	deal('da_strategic_segment_manager_threshold', 'enterprise', { quote: quote('strategic', 2000000, 0.15), user: ae }, [
		true, 0.05, ['SALES_MANAGER', 'FINANCE', 'VP_SALES'], false, true,
		aeLimit(0.15, 0.05, 'strategic'), managerLimit(0.15, 0.1, 'strategic'), highArr(500000), strategicArr(1000000),
	]),
];
