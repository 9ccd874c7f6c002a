import { ConnectorError } from '../core';
import { deriveSegment, normaliseAttributes } from './attributes';
import { createBuiltinEngine } from './builtin';
import { loadProfile } from './config';
import { evaluateWith } from './engine';

const config = loadProfile('default');

function messageOf(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		expect((error as ConnectorError).kind).toBe('validation');
		return (error as ConnectorError).message;
	}
	throw new Error('expected a validation error');
}

describe('normaliseAttributes', () => {
	it('derives the email domain, GB for UK, the bare state and the segment', () => {
		const normalised = normaliseAttributes('lead_routing', { lead: { id: 'l', email: 'Ana@Acme.CO.UK', country: 'uk', state: 'gb-lnd', arr_estimate: 300000 }, account: null }, config);
		expect(normalised).toEqual({
			lead: { id: 'l', email: 'Ana@Acme.CO.UK', email_domain: 'acme.co.uk', country: 'GB', state: 'LND', arr_estimate: 300000, segment: 'enterprise', is_spam_signal: false },
			routing_state: { round_robin_counters: {}, open_leads: {} },
		});
		expect(normaliseAttributes('lead_routing', normalised, config)).toEqual(normalised);
	});

	it('keeps a given email domain and segment', () => {
		const { lead } = normaliseAttributes('lead_routing', { lead: { id: 'l', email: 'a@b.com', email_domain: 'Corp.com', segment: 'smb', arr_estimate: 900000 } }, config);
		expect(lead.email_domain).toBe('corp.com');
		expect(lead.segment).toBe('smb');
	});

	it('derives quote ARR in whole cents and the non-standard flag from the list', () => {
		const { quote, user } = normaliseAttributes(
			'discount_approvals',
			{ quote: { id: 'q', segment: 'smb', list_price_total: 333.33, discount_percentage: 0.1, term_length_months: 12, non_standard_terms: ['mfn'] }, user: { role: 'AE' } },
			config,
		);
		expect(quote.arr).toBe(300);
		expect(quote.has_non_standard_terms).toBe(true);
		expect(user.role).toBe('ae');
	});

	it('upper-cases roles and de-duplicates lists for activation', () => {
		const normalised = normaliseAttributes('contract_activation', { contract: { id: 'c', signed: true, jurisdiction: 'us-ca' }, approvals: ['legal', 'LEGAL'], receipts: ['a', 'a'] }, config);
		expect(normalised).toEqual({
			contract: { id: 'c', signed: true, jurisdiction: 'US-CA', has_non_standard_terms: false },
			approvals: ['LEGAL'],
			required_approvals: [],
			receipts: ['a'],
		});
	});

	it.each<[string, 'lead_routing' | 'discount_approvals' | 'contract_activation', unknown, string]>([
		['unknown quote segment', 'discount_approvals', { quote: { id: 'q', segment: 'startup', list_price_total: 1, discount_percentage: 0.1, term_length_months: 1 }, user: { role: 'ae' } }, 'quote.segment: expected a segment declared in the config: "smb", "enterprise", "mid_market" (received "startup")'],
		['discount above 1', 'discount_approvals', { quote: { id: 'q', segment: 'smb', list_price_total: 1, discount_percentage: 25, term_length_months: 1 }, user: { role: 'ae' } }, 'quote.discount_percentage: expected a number between 0 and 1'],
		['unknown role', 'discount_approvals', { quote: { id: 'q', segment: 'smb', list_price_total: 1, discount_percentage: 0.1, term_length_months: 1 }, user: { role: 'ceo' } }, 'user.role: expected one of "sdr", "ae"'],
		['unknown lead segment', 'lead_routing', { lead: { id: 'l', segment: 'startup' } }, 'lead.segment: expected a segment declared in the config'],
		['bad country', 'lead_routing', { lead: { id: 'l', country: 'Germany' } }, 'lead.country: expected a two-letter ISO 3166 country code such as "GB"'],
		['missing lead id', 'lead_routing', { lead: {} }, 'lead.id: expected a string'],
		['missing signed', 'contract_activation', { contract: { id: 'c' } }, 'contract.signed: expected a boolean'],
		['unknown approval role', 'contract_activation', { contract: { id: 'c', signed: true }, approvals: ['CFO'] }, 'approvals.0: expected one of "SALES_MANAGER"'],
	])('rejects %s naming the path', (_label, kind, attributes, message) => {
		expect(messageOf(() => normaliseAttributes(kind, attributes, config))).toContain(message);
	});

	it('rejects an unknown decision kind', () => {
		expect(messageOf(() => normaliseAttributes('pricing' as never, {}, config))).toContain('kind: expected one of "lead_routing"');
	});
});

describe('deriveSegment', () => {
	const enterprise = loadProfile('enterprise');
	it('needs every bound it can check, ignores bounds on figures the lead lacks', () => {
		expect(deriveSegment({ arr_estimate: 300000, company_size: 5000 }, enterprise)).toBe('enterprise');
		expect(deriveSegment({ arr_estimate: 300000 }, enterprise)).toBe('enterprise');
		expect(deriveSegment({ arr_estimate: 300000, company_size: 10 }, enterprise)).toBeUndefined();
		expect(deriveSegment({ company_size: 10 }, enterprise)).toBeUndefined();
		expect(deriveSegment({}, enterprise)).toBeUndefined();
	});
	it('a segment without bounds catches every lead', () => {
		const withCatchAll = { ...enterprise, segments: [...enterprise.segments, { name: 'other' }] };
		expect(deriveSegment({}, withCatchAll)).toBe('other');
	});
});

describe('evaluateWith', () => {
	it('parses a YAML config and passes normalised attributes to the engine', async () => {
		const yaml = 'tenant: t\nsegments: [{ name: smb }]\nrouting: { default_strategy: segment }\ndiscounts: { smb: { ae_self_approve_pct: 0.1 } }\n';
		const result = await evaluateWith(createBuiltinEngine(), 'lead_routing', { lead: { id: 'l', email: 'a@B.io' } }, yaml);
		expect(result.decision).toEqual({ allow: true, route_strategy: 'segment', conflicts: ['no_route'], required_enrichment: [] });
		expect(result.attributes).toMatchObject({ lead: { email_domain: 'b.io', segment: 'smb' } });
		expect(result.trace.map((step) => step.rule)).toEqual(['preflight', 'required_enrichment', 'account_owner_follows', 'segment_team', 'territory', 'round_robin', 'no_route']);
	});
});
