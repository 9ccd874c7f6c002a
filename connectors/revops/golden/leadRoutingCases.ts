import type { GoldenCase } from './cases';

// Default profile: smb ≤ 50k ARR, enterprise ≥ 250k, mid_market between; na_west (US-CA/OR/WA) → user:ae-west,
// na_east (US-NY/MA/NJ) → user:ae-east; enterprise teams by region; SDR pool sdr_global [sdr-1, sdr-2] for everything
// but mid_market (pool mid_market_ae [ae-mm-1..3]); capacity 25 each; SLA smb 120, mid 60, enterprise na 30 / eu 45 / 60.
const smbLead = { id: 'lead-smb', email: 'owner@bakery.de', country: 'DE', company_size: 12, arr_estimate: 20000 };
const westLead = { id: 'lead-west', email: 'ops@surfco.com', country: 'US', state: 'CA', company_size: 40, arr_estimate: 30000 };
const enterpriseAnywhere = { id: 'lead-ent', email: 'cio@megacorp.com', company_size: 20000, arr_estimate: 900000 };
const enterpriseLead = { ...enterpriseAnywhere, country: 'US', state: 'NY' };
const customer = { id: 'acct-1', owner_id: 'user:ae-7', customer_status: 'customer' };

function lead(name: string, config: GoldenCase['config'], attributes: Record<string, unknown>, expected: Record<string, unknown>): GoldenCase {
	return { name, kind: 'lead_routing', config, attributes, expected };
}
const routed = (assignee: string, route_strategy: string, sla_minutes: number, extra: Record<string, unknown> = {}) => ({
	allow: true,
	assignee,
	route_strategy,
	sla_minutes,
	conflicts: [],
	required_enrichment: [],
	...extra,
});
const blocked = (route_strategy: string, ...reasons: string[]) => ({ allow: false, route_strategy, conflicts: reasons.map((r) => `blocked:${r}`), required_enrichment: [] });

export const leadRoutingCases: GoldenCase[] = [
	// Preflight
	lead('lr_preflight_blocked_domain', 'default', { lead: { ...westLead, email: 'x@Mailinator.com' } }, blocked('territory', 'domain')),
	lead('lr_preflight_blocked_country', 'default', { lead: { ...smbLead, country: 'KP' } }, blocked('territory', 'country')),
	lead('lr_preflight_spam_signal', 'default', { lead: { ...smbLead, is_spam_signal: true } }, blocked('territory', 'spam')),
	lead('lr_preflight_every_reason_listed', 'default', { lead: { ...smbLead, email: 'a@mailinator.com', country: 'IR', is_spam_signal: true } }, blocked('territory', 'domain', 'country', 'spam')),
	lead('lr_preflight_reports_tenant_default_strategy', 'enterprise', { lead: { ...smbLead, country: 'RU' } }, blocked('account_owner_follows', 'country')),
	lead(
		'lr_preflight_allowed_domain_overrides_country_and_spam',
		{ base: 'default', override: { routing: { preflight: { allowed_domains: ['partner.io'] } } } },
		{ lead: { ...smbLead, email: 'rep@partner.io', country: 'IR', is_spam_signal: true } },
		routed('user:sdr-1', 'round_robin', 120),
	),
	lead(
		'lr_preflight_allowed_domain_does_not_override_blocked_domain',
		{ base: 'default', override: { routing: { preflight: { allowed_domains: ['mailinator.com'] } } } },
		{ lead: { ...smbLead, email: 'a@mailinator.com', is_spam_signal: true } },
		blocked('territory', 'domain'),
	),

	// Enrichment
	lead(
		'lr_enrichment_missing_fields_in_configured_order',
		{ base: 'default', override: { routing: { preflight: { required_enrichment: ['company_size', 'industry', 'country'] } } } },
		{ lead: { id: 'lead-bare', email: 'a@shop.io', arr_estimate: 1000 } },
		routed('user:sdr-1', 'round_robin', 120, { required_enrichment: ['company_size', 'industry', 'country'] }),
	),
	lead('lr_enrichment_free_email_domain_counts_as_missing', 'smb', { lead: { id: 'lead-g', email: 'jo@gmail.com', country: 'US', company_size: 3, arr_estimate: 2000 } }, routed('user:sdr-1', 'round_robin', 480, { required_enrichment: ['email_domain'] })),
	lead('lr_enrichment_email_domain_derived_from_email', 'smb', { lead: { id: 'lead-d', email: 'jo@Acme.IO', country: 'US', company_size: 3, arr_estimate: 2000 } }, routed('user:sdr-1', 'round_robin', 480)),
	lead('lr_enrichment_derived_segment_satisfies_segment_requirement', { base: 'default', override: { routing: { preflight: { required_enrichment: ['segment'] } } } }, { lead: { ...smbLead } }, routed('user:sdr-1', 'round_robin', 120)),

	// Account owner follows
	lead('lr_account_owner_follows_existing_customer', 'default', { lead: smbLead, account: customer }, routed('user:ae-7', 'account_owner_follows', 120)),
	lead('lr_account_owner_conflicts_with_territory_owner', 'default', { lead: westLead, account: customer }, routed('user:ae-7', 'account_owner_follows', 120, { conflicts: ['account_owner_vs_territory:na_west'] })),
	lead('lr_account_owner_is_territory_owner_no_conflict', 'default', { lead: westLead, account: { ...customer, owner_id: 'user:ae-west' } }, routed('user:ae-west', 'account_owner_follows', 120)),
	lead('lr_account_owner_beats_segment_team', 'default', { lead: enterpriseLead, account: customer }, routed('user:ae-7', 'account_owner_follows', 30, { conflicts: ['account_owner_vs_territory:na_east'] })),
	lead('lr_prospect_account_is_not_followed', 'default', { lead: westLead, account: { ...customer, customer_status: 'prospect' } }, routed('user:ae-west', 'territory', 120)),
	lead('lr_churned_account_is_not_followed', 'default', { lead: smbLead, account: { ...customer, customer_status: 'churned' } }, routed('user:sdr-1', 'round_robin', 120)),
	lead('lr_account_owner_follows_disabled', { base: 'default', override: { routing: { account_owner_follows: false } } }, { lead: westLead, account: customer }, routed('user:ae-west', 'territory', 120)),

	// Segment teams by region
	lead('lr_segment_team_enterprise_na_beats_territory', 'default', { lead: enterpriseLead }, routed('team:enterprise-na', 'segment', 30)),
	lead('lr_segment_team_enterprise_uk_means_gb_eu', 'default', { lead: { ...enterpriseAnywhere, country: 'uk' } }, routed('team:enterprise-eu', 'segment', 45)),
	lead('lr_segment_team_region_without_team_uses_default', 'default', { lead: { ...enterpriseAnywhere, country: 'JP' } }, routed('team:enterprise-global', 'segment', 60)),
	lead('lr_segment_team_without_country_uses_default', 'default', { lead: { id: 'lead-nc', company_size: 5000, arr_estimate: 500000 } }, routed('team:enterprise-global', 'segment', 60, { required_enrichment: ['country'] })),
	lead('lr_segment_strategic_team_enterprise_profile', 'enterprise', { lead: { id: 'lead-s', country: 'DE', company_size: 50000, industry: 'banking', arr_estimate: 2000000 } }, routed('team:strategic-accounts', 'segment', 15)),

	// Territories
	lead('lr_territory_state_match', 'default', { lead: westLead }, routed('user:ae-west', 'territory', 120)),
	lead('lr_territory_state_with_country_prefix', 'default', { lead: { ...westLead, state: 'us-wa' } }, routed('user:ae-west', 'territory', 120)),
	lead('lr_territory_country_match_enterprise_profile', 'enterprise', { lead: { id: 'lead-uk', country: 'GB', company_size: 50, industry: 'retail', arr_estimate: 300000 } }, routed('team:commercial-ukie', 'territory', 120)),
	lead(
		'lr_territory_overlap_conflict_subdivision_wins',
		{ base: 'default', override: { routing: { territories: { us_all: ['US'] }, territory_owners: { us_all: 'user:ae-us' } } } },
		{ lead: westLead },
		routed('user:ae-west', 'territory', 120, { conflicts: ['territory_overlap:na_west,us_all'] }),
	),
	lead(
		'lr_territory_overlap_same_owner_no_conflict',
		{ base: 'default', override: { routing: { territories: { us_all: ['US'] }, territory_owners: { us_all: 'user:ae-west' } } } },
		{ lead: westLead },
		routed('user:ae-west', 'territory', 120),
	),
	lead(
		'lr_territory_tie_goes_to_first_name_in_code_point_order',
		{ base: 'default', override: { routing: { territories: { uk_b: ['GB'], uk_a: ['GB', 'IE'] }, territory_owners: { uk_b: 'user:ae-b', uk_a: 'user:ae-a' } } } },
		{ lead: { ...smbLead, country: 'GB' } },
		routed('user:ae-a', 'territory', 120, { conflicts: ['territory_overlap:uk_a,uk_b'] }),
	),
	lead('lr_territory_without_owner_is_ignored', { base: 'default', override: { routing: { territories: { uk: ['GB'] } } } }, { lead: { ...smbLead, country: 'GB' } }, routed('user:sdr-1', 'round_robin', 120)),

	// Round robin and capacity
	lead('lr_round_robin_starts_at_counter', 'default', { lead: smbLead, routing_state: { round_robin_counters: { sdr_global: 1 } } }, routed('user:sdr-2', 'round_robin', 120)),
	lead('lr_round_robin_wraps_around', 'default', { lead: { ...smbLead, arr_estimate: 120000 }, routing_state: { round_robin_counters: { mid_market_ae: 7 } } }, routed('user:ae-mm-2', 'round_robin', 60)),
	lead('lr_round_robin_segment_pool_not_default', 'default', { lead: { ...smbLead, segment: 'mid_market' }, routing_state: { round_robin_counters: { sdr_global: 1 } } }, routed('user:ae-mm-1', 'round_robin', 60)),
	lead('lr_capacity_skips_full_member', 'default', { lead: smbLead, routing_state: { open_leads: { 'user:sdr-1': 25 } } }, routed('user:sdr-2', 'capacity', 120)),
	lead('lr_capacity_skip_wraps_to_first_member', 'default', { lead: smbLead, routing_state: { round_robin_counters: { sdr_global: 3 }, open_leads: { 'user:sdr-2': 30, 'user:sdr-1': 24 } } }, routed('user:sdr-1', 'capacity', 120)),
	lead(
		'lr_capacity_per_user_overrides_default',
		{ base: 'default', override: { routing: { capacity: { 'user:sdr-1': 5 } } } },
		{ lead: smbLead, routing_state: { open_leads: { 'user:sdr-1': 5, 'user:sdr-2': 24 } } },
		routed('user:sdr-2', 'capacity', 120),
	),
	lead('lr_capacity_unlimited_without_capacity_config', { base: 'default', override: { routing: { capacity: null } } }, { lead: smbLead, routing_state: { open_leads: { 'user:sdr-1': 500 } } }, routed('user:sdr-1', 'round_robin', 120)),
	lead(
		'lr_capacity_exhausted',
		'default',
		{ lead: smbLead, routing_state: { open_leads: { 'user:sdr-1': 25, 'user:sdr-2': 26 } } },
		{ allow: true, route_strategy: 'capacity', sla_minutes: 120, conflicts: ['capacity_exhausted:sdr_global'], required_enrichment: [] },
	),

	// No route
	lead(
		'lr_no_route',
		{ base: 'default', override: { routing: { segment_pools: null } } },
		{ lead: smbLead },
		{ allow: true, route_strategy: 'territory', sla_minutes: 120, conflicts: ['no_route'], required_enrichment: [] },
	),

	// Segment derivation and SLA
	lead('lr_segment_boundary_50k_is_smb', 'default', { lead: { ...smbLead, arr_estimate: 50000 } }, routed('user:sdr-1', 'round_robin', 120)),
	lead('lr_segment_boundary_250k_is_enterprise', 'default', { lead: { ...smbLead, arr_estimate: 250000 } }, routed('team:enterprise-eu', 'segment', 45)),
	lead('lr_no_segment_figures_uses_default_pool_and_sla', 'default', { lead: { id: 'lead-x', country: 'DE' } }, routed('user:sdr-1', 'round_robin', 240, { required_enrichment: ['company_size'] })),
	lead(
		'lr_segment_needs_every_known_bound',
		'enterprise',
		{ lead: { id: 'lead-e', country: 'FR', company_size: 50, industry: 'retail', arr_estimate: 300000 } },
		{ allow: true, route_strategy: 'account_owner_follows', sla_minutes: 120, conflicts: ['no_route'], required_enrichment: [] },
	),
	lead('lr_sla_by_segment_and_region_smb_profile', 'smb', { lead: { id: 'lead-g', email: 'a@shop.com', country: 'US', arr_estimate: 50000 } }, routed('user:ae-1', 'round_robin', 60)),
	lead('lr_sla_segment_region_falls_back_to_segment_default', 'smb', { lead: { id: 'lead-g', email: 'a@shop.de', country: 'DE', arr_estimate: 50000 } }, routed('user:ae-1', 'round_robin', 120)),
	lead('lr_sla_omitted_without_sla_config', { base: 'default', override: { sla_minutes: null } }, { lead: smbLead }, { allow: true, assignee: 'user:sdr-1', route_strategy: 'round_robin', conflicts: [], required_enrichment: [] }),
];
