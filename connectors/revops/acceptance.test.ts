import { createBuiltinEngine, loadProfile } from './index';

/** The seed's acceptance examples, against the shipped default profile and the built-in engine. */
const config = loadProfile('revops_default_profile');
const engine = createBuiltinEngine({ now: () => new Date('2025-01-15T10:00:00Z') });

test('lead_routing_existing_customer_goes_to_account_owner', async () => {
	const result = await engine.evaluate(
		'lead_routing',
		{
			lead: { id: 'lead-1', email: 'cfo@globex.de', country: 'DE', company_size: 80, arr_estimate: 30000 },
			account: { id: 'acct-9', owner_id: 'user:ae-7', customer_status: 'customer', domain: 'globex.de' },
			routing_state: { round_robin_counters: { sdr_global: 3 } },
		},
		config,
	);
	expect(result.decision).toEqual({
		allow: true,
		assignee: 'user:ae-7',
		route_strategy: 'account_owner_follows',
		sla_minutes: 120,
		conflicts: [],
		required_enrichment: [],
	});
	// The same lead as a prospect falls through to the SDR round robin: the owner rule is what routed it.
	const prospect = await engine.evaluate(
		'lead_routing',
		{ lead: { id: 'lead-1', email: 'cfo@globex.de', country: 'DE', company_size: 80, arr_estimate: 30000 }, account: { id: 'acct-9', owner_id: 'user:ae-7', customer_status: 'prospect' } },
		config,
	);
	expect(prospect.decision.assignee).toBe('user:sdr-1');
	expect(result.trace).toContainEqual({ rule: 'account_owner_follows', outcome: 'fired', detail: 'existing customer acct-9 → user:ae-7' });
});

test('lead_routing_enterprise_uk_goes_to_enterprise_team_eu', async () => {
	const result = await engine.evaluate(
		'lead_routing',
		{ lead: { id: 'lead-2', email: 'it@bigbank.co.uk', country: 'UK', company_size: 12000, arr_estimate: 400000 } },
		config,
	);
	expect(result.decision).toEqual({
		allow: true,
		assignee: 'team:enterprise-eu',
		route_strategy: 'segment',
		sla_minutes: 45,
		conflicts: [],
		required_enrichment: [],
	});
	expect(result.attributes).toMatchObject({ lead: { country: 'GB', segment: 'enterprise', email_domain: 'bigbank.co.uk' } });
});

test('quote_discount_25_percent_smb_requires_manager_approval', async () => {
	const quote = { id: 'q-1', segment: 'smb', list_price_total: 40000, discount_percentage: 0.25, term_length_months: 12 };
	const result = await engine.evaluate('discount_approvals', { quote, user: { id: 'user:ae-3', role: 'ae' } }, config);
	expect(result.decision.allow).toBe(true);
	expect(result.decision.required_approvals).toEqual(['SALES_MANAGER']);
	expect(result.decision.max_allowed_discount).toBe(0.2);
	expect(result.decision.flags).toEqual({ legal_required: false, strategic: false });
	// Within the AE's limit nothing is needed; above finance's threshold finance joins.
	const small = await engine.evaluate('discount_approvals', { quote: { ...quote, discount_percentage: 0.15 }, user: { role: 'ae' } }, config);
	expect(small.decision.required_approvals).toEqual([]);
	const large = await engine.evaluate('discount_approvals', { quote: { ...quote, discount_percentage: 0.35 }, user: { role: 'ae' } }, config);
	expect(large.decision.required_approvals).toEqual(['SALES_MANAGER', 'FINANCE']);
});

test('enterprise_contract_with_nonstandard_liability_requires_legal', async () => {
	const quote = {
		id: 'q-2',
		segment: 'enterprise',
		list_price_total: 300000,
		discount_percentage: 0.05,
		term_length_months: 36,
		non_standard_terms: ['liability_cap_3x'],
	};
	const approval = await engine.evaluate('discount_approvals', { quote, user: { role: 'ae' } }, config);
	expect(approval.decision.required_approvals).toContain('LEGAL');
	expect(approval.decision.flags.legal_required).toBe(true);

	const contract = { id: 'c-2', signed: true, jurisdiction: 'GB', term_length_months: 36, liability_cap_multiple: 3, has_non_standard_terms: true };
	const activation = await engine.evaluate(
		'contract_activation',
		{ contract, approvals: ['SALES_MANAGER', 'FINANCE'], required_approvals: approval.decision.required_approvals, receipts: ['contract.signed'] },
		config,
	);
	expect(activation.decision.allow).toBe(false);
	expect(activation.decision.blocking_issues).toEqual(['missing_approval:LEGAL', 'liability_above_cap', 'legal_approval_required']);
});

test('no_provisioning_without_signed_contract_receipt', async () => {
	const attributes = { contract: { id: 'c-3', signed: true, jurisdiction: 'US-CA', term_length_months: 12 }, approvals: ['SALES_MANAGER'], required_approvals: ['SALES_MANAGER'], receipts: [] as string[] };
	const blocked = await engine.evaluate('contract_activation', attributes, config);
	expect(blocked.decision).toEqual({
		allow: false,
		blocking_issues: ['missing_receipt:contract.signed'],
		required_receipts: ['contract.signed'],
		allowed_jurisdictions: ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'NL'],
	});
	const withReceipt = await engine.evaluate('contract_activation', { ...attributes, receipts: ['contract.signed'] }, config);
	expect(withReceipt.decision.allow).toBe(true);
	expect(withReceipt.decision.blocking_issues).toEqual([]);
});
