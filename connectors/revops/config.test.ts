import { parse as parseYaml } from 'yaml';
import { ConnectorError } from '../core';
import { createBuiltinEngine } from './builtin';
import { configVersion, listProfiles, loadProfile, parseRevOpsConfig } from './config';

const SEED_SAMPLE_YAML = `
tenant: acme
segments:
  - name: smb
    arr_max: 50000
  - name: enterprise
    arr_min: 250000
routing:
  default_strategy: territory
  territories:
    na_west: ["US-CA", "US-OR", "US-WA"]
  round_robin_pools:
    sdr_global: ["user:sdr-1", "user:sdr-2"]
discounts:
  smb:
    ae_self_approve_pct: 0.2
    manager_required_pct: 0.2
    finance_required_pct: 0.3
  enterprise:
    ae_self_approve_pct: 0.1
    finance_required_pct: 0.3
    legal_required_for_non_standard: true
approvals:
  high_arr_threshold: 250000
  approval_chains:
    default: ["SALES_MANAGER"]
    over_high_arr: ["SALES_MANAGER", "FINANCE"]
    non_standard_terms: ["LEGAL"]
connectors:
  crm: salesforce
  esign: docusign
  billing: stripe
`;

/** A small valid config that each error test breaks in one place. */
function base(): Record<string, any> {
	return {
		tenant: 't1',
		segments: [{ name: 'smb', arr_max: 50000 }, { name: 'enterprise', arr_min: 250000 }],
		regions: { na: ['US', 'CA'], eu: ['GB', 'DE'] },
		routing: {
			default_strategy: 'territory',
			territories: { na_west: ['US-CA'] },
			territory_owners: { na_west: 'user:ae-west' },
			segment_teams: { enterprise: { eu: 'team:ent-eu', default: 'team:ent' } },
			round_robin_pools: { sdr_global: ['user:sdr-1'] },
			segment_pools: { default: 'sdr_global' },
		},
		sla_minutes: { default: 240, enterprise: { eu: 45 } },
		discounts: {
			smb: { ae_self_approve_pct: 0.2, manager_required_pct: 0.2, finance_required_pct: 0.3 },
			enterprise: { ae_self_approve_pct: 0.1, finance_required_pct: 0.3 },
		},
		terms: { min_term_months: 12, max_term_months: 36 },
	};
}

function errorOf(source: unknown): ConnectorError {
	try {
		parseRevOpsConfig(source);
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		expect((error as ConnectorError).kind).toBe('validation');
		return error as ConnectorError;
	}
	throw new Error('expected the config to be rejected');
}

function broken(edit: (config: Record<string, any>) => void): string {
	const config = base();
	edit(config);
	return errorOf(config).message;
}

describe('shipped profiles', () => {
	it('lists and parses the three profiles, each with its own tenant', () => {
		expect(listProfiles()).toEqual(['revops_default_profile', 'revops_smb_profile', 'revops_enterprise_profile']);
		expect(listProfiles().map((name) => loadProfile(name).tenant)).toEqual(['default', 'smb', 'enterprise']);
		expect(loadProfile('smb')).toEqual(loadProfile('revops_smb_profile'));
	});

	it('fills defaults so engines need not know them', () => {
		const smb = loadProfile('smb');
		expect(smb.routing.territories).toEqual({});
		expect(smb.discounts.starter.legal_required_for_non_standard).toBe(false);
		expect(loadProfile('default').activation).toEqual({ required_receipts: ['contract.signed'], required_approvals_present: true });
	});

	it('the default profile contains the seed sample values', () => {
		// The seed's text as written (no defaults filled), so only values the seed states are compared.
		const seed = parseYaml(SEED_SAMPLE_YAML);
		const profile = loadProfile('default');
		expect(profile.discounts).toMatchObject(seed.discounts);
		expect(profile.routing.territories).toMatchObject(seed.routing.territories);
		expect(profile.routing.round_robin_pools).toMatchObject(seed.routing.round_robin_pools);
		expect(profile.approvals).toMatchObject(seed.approvals);
		expect(profile.connectors).toEqual(seed.connectors);
		expect(profile.segments).toEqual(expect.arrayContaining(seed.segments));
	});

	it('rejects an unknown profile name', () => {
		expect(() => loadProfile('startup')).toThrow('profile: expected one of revops_default_profile, revops_smb_profile, revops_enterprise_profile (received "startup")');
		expect(() => loadProfile('toString')).toThrow(ConnectorError);
	});

	it('hands out a fresh copy each time', () => {
		const first = loadProfile('default');
		first.discounts.smb.ae_self_approve_pct = 0.9;
		expect(loadProfile('default').discounts.smb.ae_self_approve_pct).toBe(0.2);
	});
});

describe('parseRevOpsConfig', () => {
	it('reads YAML and JSON text to the same config and version', () => {
		const fromYaml = parseRevOpsConfig(SEED_SAMPLE_YAML);
		const fromJson = parseRevOpsConfig(JSON.stringify(fromYaml));
		expect(fromJson).toEqual(fromYaml);
		expect(configVersion(fromJson)).toBe(configVersion(fromYaml));
		expect(fromYaml.routing.account_owner_follows).toBe(true);
		expect(fromYaml.regions).toEqual({});
	});

	it('normalises codes and domains', () => {
		const config = base();
		config.regions.eu = ['uk', 'de'];
		config.routing.territories.na_west = ['us-ca'];
		config.routing.preflight = { blocked_domains: ['Spam.COM'] };
		const parsed = parseRevOpsConfig(config);
		expect(parsed.regions.eu).toEqual(['GB', 'DE']);
		expect(parsed.routing.territories.na_west).toEqual(['US-CA']);
		expect(parsed.routing.preflight.blocked_domains).toEqual(['spam.com']);
	});

	it('versions by content, not key order', () => {
		const a = base();
		const reordered = Object.fromEntries(Object.entries(base()).reverse());
		expect(configVersion(parseRevOpsConfig(reordered))).toBe(configVersion(parseRevOpsConfig(a)));
		a.discounts.smb.finance_required_pct = 0.35;
		expect(configVersion(parseRevOpsConfig(a))).not.toBe(configVersion(parseRevOpsConfig(base())));
		expect(configVersion(parseRevOpsConfig(a))).toMatch(/^[0-9a-f]{64}$/);
	});

	it('keeps several tenants side by side, each deciding by its own rules', async () => {
		const engine = createBuiltinEngine();
		const acme = parseRevOpsConfig(SEED_SAMPLE_YAML);
		const globex = parseRevOpsConfig({ ...base(), tenant: 'globex', discounts: { smb: { ae_self_approve_pct: 0.3 }, enterprise: { ae_self_approve_pct: 0.1 } } });
		const quote = { quote: { id: 'q', segment: 'smb', list_price_total: 1000, discount_percentage: 0.25, term_length_months: 12 }, user: { role: 'ae' } };
		const [forAcme, forGlobex] = await Promise.all([engine.evaluate('discount_approvals', quote, acme), engine.evaluate('discount_approvals', quote, globex)]);
		expect(forAcme.decision.required_approvals).toEqual(['SALES_MANAGER']);
		expect(forGlobex.decision.required_approvals).toEqual([]);
		expect(forAcme.config_version).not.toBe(forGlobex.config_version);
		const lead = { lead: { id: 'l', country: 'US', state: 'CA', arr_estimate: 1000 } };
		// The seed's na_west has no owner and no pool serves smb, so acme has no route where globex has one.
		expect((await engine.evaluate('lead_routing', lead, acme)).decision.conflicts).toEqual(['no_route']);
		expect((await engine.evaluate('lead_routing', lead, globex)).decision.assignee).toBe('user:ae-west');
	});
});

describe('validation errors name the path and the expectation', () => {
	it.each<[string, (c: Record<string, any>) => void, string]>([
		['pct out of range', (c) => (c.discounts.smb.finance_required_pct = 1.5), 'discounts.smb.finance_required_pct: expected a number between 0 and 1'],
		['pct not a number', (c) => (c.discounts.enterprise.ae_self_approve_pct = '10%'), 'discounts.enterprise.ae_self_approve_pct: expected a number between 0 and 1'],
		['tenant missing', (c) => delete c.tenant, 'tenant: expected a string'],
		['empty segment list', (c) => (c.segments = []), 'segments: expected a list of at least one segment'],
		['duplicate segment', (c) => c.segments.push({ name: 'smb' }), 'segments.2.name: expected a segment name not used by another segment ("smb" is repeated)'],
		['segment bounds reversed', (c) => (c.segments[1].arr_max = 1000), 'segments.1.arr_max: expected a number not less than arr_min (250000)'],
		['bad strategy', (c) => (c.routing.default_strategy = 'random'), 'routing.default_strategy: expected one of "territory", "segment", "round_robin", "account_owner_follows", "capacity"'],
		['bad country code', (c) => (c.regions.eu = ['GB', 'Germany']), 'regions.eu.1: expected a two-letter ISO 3166 country code such as "GB"'],
		['country in two regions', (c) => c.regions.eu.push('US'), 'regions.eu.2: expected a country not already in region "na" (US)'],
		['bad territory code', (c) => (c.routing.territories.na_west = ['California']), 'routing.territories.na_west.0: expected a country code ("GB") or country-subdivision code ("US-CA")'],
		['owner of an unknown territory', (c) => (c.routing.territory_owners.na_south = 'user:x'), 'routing.territory_owners.na_south: expected a territory declared in routing.territories: "na_west"'],
		['team for an unknown segment', (c) => (c.routing.segment_teams.startup = { default: 'team:x' }), 'routing.segment_teams.startup: expected a declared segment: "smb", "enterprise"'],
		['team for an unknown region', (c) => (c.routing.segment_teams.enterprise.mars = 'team:x'), 'routing.segment_teams.enterprise.mars: expected "default" or a region declared in regions: "na", "eu"'],
		['pool that does not exist', (c) => (c.routing.segment_pools.default = 'sdr_west'), 'routing.segment_pools.default: expected a pool declared in routing.round_robin_pools: "sdr_global"'],
		['pool for an unknown segment', (c) => (c.routing.segment_pools.startup = 'sdr_global'), 'routing.segment_pools.startup: expected "default" or a declared segment: "smb", "enterprise"'],
		['empty pool', (c) => (c.routing.round_robin_pools.sdr_global = []), 'routing.round_robin_pools.sdr_global: expected a list of at least 1 item(s)'],
		['unknown enrichment field', (c) => (c.routing.preflight = { required_enrichment: ['phone'] }), 'routing.preflight.required_enrichment.0: expected one of "email"'],
		['sla without default', (c) => delete c.sla_minutes.default, 'sla_minutes.default: expected a number'],
		['sla for an unknown segment', (c) => (c.sla_minutes.startup = 10), 'sla_minutes.startup: expected "default" or a declared segment: "smb", "enterprise"'],
		['sla for an unknown region', (c) => (c.sla_minutes.enterprise.mars = 10), 'sla_minutes.enterprise.mars: expected "default" or a region declared in regions: "na", "eu"'],
		['sla not whole minutes', (c) => (c.sla_minutes.smb = 1.5), 'sla_minutes.smb: expected a whole number of minutes'],
		['discounts for an unknown segment', (c) => (c.discounts.startup = { ae_self_approve_pct: 0.1 }), 'discounts.startup: expected a declared segment: "smb", "enterprise"'],
		['segment without discounts', (c) => delete c.discounts.enterprise, 'discounts.enterprise: expected discount thresholds for every declared segment'],
		['thresholds out of order', (c) => (c.discounts.smb.finance_required_pct = 0.1), 'discounts.smb.finance_required_pct: expected a number not less than manager_required_pct (0.2)'],
		['ceiling below a threshold', (c) => (c.discounts.enterprise.max_discount_pct = 0.2), 'discounts.enterprise.max_discount_pct: expected a number not less than finance_required_pct (0.3)'],
		['unknown role in a chain', (c) => (c.approvals = { high_arr_threshold: 1, approval_chains: { default: ['CEO'] } }), 'approvals.approval_chains.default.0: expected one of "SALES_MANAGER", "FINANCE", "LEGAL", "VP_SALES"'],
		['terms reversed', (c) => (c.terms.min_term_months = 48), 'terms.max_term_months: expected a number not less than min_term_months (48)'],
		['misspelt field', (c) => (c.discounts.smb.finance_requierd_pct = 0.3), 'discounts.smb.finance_requierd_pct: expected no such field'],
		['unknown connector', (c) => (c.connectors = { crm: 'pipedrive' }), 'connectors.crm: expected one of "salesforce", "hubspot"'],
	])('%s', (_label, edit, message) => {
		expect(broken(edit)).toContain(message);
	});

	it('records the field and expectation on the error', () => {
		const error = errorOf({ ...base(), discounts: { ...base().discounts, smb: { ae_self_approve_pct: -0.1 } } });
		expect(error.field).toBe('discounts.smb.ae_self_approve_pct');
		expect(error.expected).toBe('a number between 0 and 1');
		expect(error.message).toBe('Invalid RevOps config: discounts.smb.ae_self_approve_pct: expected a number between 0 and 1 (received -0.1)');
		expect(errorOf({ ...base(), tenant: '', segments: [] }).message).toMatch(/^Invalid RevOps config: tenant: expected a non-empty tenant id \(received ""\) \(\+\d+ more\)$/);
	});

	it('reports unreadable text and non-objects', () => {
		expect(errorOf('tenant: [unclosed').message).toContain('(root): expected a RevOps config as JSON or YAML text');
		expect(errorOf('{"tenant": ').message).toContain('(root): expected a RevOps config as JSON or YAML text');
		expect(errorOf(42).message).toContain('(root): expected an object');
	});
});
