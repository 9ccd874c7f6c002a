import type { GoldenCase } from './cases';

// Default profile: receipts [contract.signed]; jurisdictions US, CA, GB, IE, DE, FR, NL (subdivisions allowed under
// their country); terms 12..36 months; liability cap 2×; enterprise requires legal for non-standard terms.
const DEFAULT_JURISDICTIONS = ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'NL'];
const ENTERPRISE_JURISDICTIONS = ['US', 'CA', 'GB', 'IE', 'DE', 'NL', 'CH'];
const goodContract = { id: 'c-1', signed: true, jurisdiction: 'US-NY', term_length_months: 24, liability_cap_multiple: 1 };
const good = { contract: goodContract, approvals: ['SALES_MANAGER'], required_approvals: ['SALES_MANAGER'], receipts: ['contract.signed'] };

function activation(
	name: string,
	config: GoldenCase['config'],
	attributes: Record<string, unknown>,
	blocking_issues: string[],
	{ receipts = ['contract.signed'], jurisdictions = DEFAULT_JURISDICTIONS } = {},
): GoldenCase {
	return {
		name,
		kind: 'contract_activation',
		config,
		attributes,
		expected: { allow: blocking_issues.length === 0, blocking_issues, required_receipts: receipts, allowed_jurisdictions: jurisdictions },
	};
}

const contract = (changes: Record<string, unknown>) => ({ ...good, contract: { ...goodContract, ...changes } });

export const contractActivationCases: GoldenCase[] = [
	activation('ca_signed_approved_in_policy_activates', 'default', good, []),
	activation('ca_not_signed_blocks', 'default', { ...contract({ signed: false }), receipts: [] }, ['contract_not_signed', 'missing_receipt:contract.signed']),
	activation('ca_signed_flag_without_receipt_blocks', 'default', { ...good, receipts: ['contract.sent'] }, ['missing_receipt:contract.signed']),
	activation('ca_missing_approvals_in_required_order', 'default', { ...good, approvals: ['finance'], required_approvals: ['SALES_MANAGER', 'FINANCE', 'LEGAL'] }, [
		'missing_approval:SALES_MANAGER',
		'missing_approval:LEGAL',
	]),
	activation('ca_approval_check_can_be_switched_off', { base: 'default', override: { activation: { required_approvals_present: false } } }, { ...good, approvals: [], required_approvals: ['FINANCE'] }, []),
	activation(
		'ca_every_required_receipt_type_checked',
		'enterprise',
		{ ...good, contract: { ...goodContract, jurisdiction: 'CH' } },
		['missing_receipt:order_form.countersigned'],
		{ receipts: ['contract.signed', 'order_form.countersigned'], jurisdictions: ENTERPRISE_JURISDICTIONS },
	),
	activation('ca_jurisdiction_not_allowed', 'default', contract({ jurisdiction: 'jp' }), ['jurisdiction_not_allowed:JP']),
	activation('ca_jurisdiction_subdivision_allowed_under_country', 'default', contract({ jurisdiction: 'CA-ON' }), []),
	activation('ca_jurisdiction_prefix_must_be_whole_code', 'default', contract({ jurisdiction: 'USA' }), ['jurisdiction_not_allowed:USA']),
	activation('ca_jurisdiction_missing_blocks_when_list_configured', 'default', { ...good, contract: { id: 'c-1', signed: true, term_length_months: 24 } }, ['jurisdiction_missing']),
	activation('ca_any_jurisdiction_without_list', { base: 'default', override: { terms: { allowed_jurisdictions: null } } }, contract({ jurisdiction: 'JP' }), [], { jurisdictions: [] }),
	activation('ca_term_below_minimum', 'default', contract({ term_length_months: 6 }), ['term_out_of_range']),
	activation('ca_term_above_maximum', 'default', contract({ term_length_months: 48 }), ['term_out_of_range']),
	activation('ca_liability_at_cap_is_fine', 'default', contract({ liability_cap_multiple: 2 }), []),
	activation('ca_liability_above_cap', 'default', contract({ liability_cap_multiple: 2.5 }), ['liability_above_cap']),
	activation('ca_non_standard_terms_need_legal', 'default', contract({ has_non_standard_terms: true }), ['legal_approval_required']),
	activation('ca_non_standard_terms_with_legal_approval', 'default', { ...contract({ has_non_standard_terms: true }), approvals: ['SALES_MANAGER', 'LEGAL'] }, []),
	activation(
		'ca_non_standard_terms_without_legal_policy',
		'smb',
		{ ...contract({ has_non_standard_terms: true, jurisdiction: 'JP' }), receipts: ['contract.signed', 'payment_method.attached'] },
		[],
		{ receipts: ['contract.signed', 'payment_method.attached'], jurisdictions: [] },
	),
	activation(
		'ca_every_blocking_issue_in_order',
		'default',
		{
			contract: { id: 'c-bad', signed: false, jurisdiction: 'JP', term_length_months: 60, liability_cap_multiple: 5, has_non_standard_terms: true },
			approvals: [],
			required_approvals: ['FINANCE'],
			receipts: [],
		},
		['contract_not_signed', 'missing_approval:FINANCE', 'missing_receipt:contract.signed', 'jurisdiction_not_allowed:JP', 'term_out_of_range', 'liability_above_cap', 'legal_approval_required'],
	),
];
