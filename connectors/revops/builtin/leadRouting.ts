import type { LeadRoutingAttributes, LeadRoutingDecision } from '../attributes';
import type { RevOpsConfig, RouteStrategy } from '../config';
import type { TraceStep } from '../engine';
import { own, tracer, type Evaluation } from './shared';

type Lead = LeadRoutingAttributes['lead'];

/** Region of a country; config validation keeps each country in at most one region. */
export function regionOf(country: string | undefined, config: RevOpsConfig): string | undefined {
	if (country === undefined) return undefined;
	return Object.keys(config.regions).find((region) => config.regions[region].includes(country));
}

/**
 * Territories that contain the lead and have an owner, best first: a subdivision match ("US-CA")
 * beats a country match ("US"); ties go to the territory name in code-point order. (OPA does not
 * keep the config's key order, so "first in the config" cannot be the rule.)
 */
export function matchingTerritories(lead: Lead, config: RevOpsConfig): { name: string; owner: string }[] {
	if (lead.country === undefined) return [];
	const subdivision = lead.state === undefined ? undefined : `${lead.country}-${lead.state}`;
	const { territories, territory_owners: owners } = config.routing;
	return Object.keys(territories)
		.map((name) => {
			const codes = territories[name];
			const specificity = subdivision !== undefined && codes.includes(subdivision) ? 2 : codes.includes(lead.country as string) ? 1 : 0;
			return { name, owner: own(owners, name), specificity };
		})
		.filter((t): t is { name: string; owner: string; specificity: number } => t.specificity > 0 && t.owner !== undefined)
		.sort((a, b) => b.specificity - a.specificity || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
		.map(({ name, owner }) => ({ name, owner }));
}

function missingEnrichment(lead: Lead, config: RevOpsConfig): string[] {
	const { required_enrichment: required, free_email_domains: freeDomains } = config.routing.preflight;
	return required.filter((field) => {
		const value = lead[field];
		// A gmail.com address says nothing about the company, so it does not count as its domain.
		if (field === 'email_domain' && typeof value === 'string' && freeDomains.includes(value)) return true;
		return value === undefined || value === '';
	});
}

function slaMinutes(lead: Lead, region: string | undefined, config: RevOpsConfig): number | undefined {
	const sla = config.sla_minutes;
	if (sla === undefined) return undefined;
	const bySegment = lead.segment === undefined || lead.segment === 'default' ? undefined : own(sla, lead.segment);
	if (typeof bySegment === 'number') return bySegment;
	if (bySegment !== undefined) return own(bySegment, region) ?? own(bySegment, 'default') ?? sla.default;
	return sla.default;
}

interface Route {
	assignee?: string;
	strategy: RouteStrategy;
	conflicts: string[];
}

function roundRobin(attributes: LeadRoutingAttributes, config: RevOpsConfig, trace: ReturnType<typeof tracer>): Route | undefined {
	const { routing } = config;
	const pool = own(routing.segment_pools, attributes.lead.segment) ?? own(routing.segment_pools, 'default');
	const members = own(routing.round_robin_pools, pool);
	if (pool === undefined || members === undefined) {
		trace.skipped('round_robin', `no pool for segment ${attributes.lead.segment ?? '(none)'}`);
		return undefined;
	}
	const counter = own(attributes.routing_state.round_robin_counters, pool) ?? 0;
	let skipped = 0;
	for (let step = 0; step < members.length; step++) {
		const member = members[(counter + step) % members.length];
		const capacity = own(routing.capacity, member) ?? own(routing.capacity, 'default');
		const open = own(attributes.routing_state.open_leads, member) ?? 0;
		if (capacity !== undefined && open >= capacity) {
			trace.skipped('capacity', `${member} has ${open} open leads (capacity ${capacity})`);
			skipped++;
			continue;
		}
		trace.fired('round_robin', `pool ${pool} counter ${counter} → ${member}`);
		return { assignee: member, strategy: skipped > 0 ? 'capacity' : 'round_robin', conflicts: [] };
	}
	trace.fired('capacity_exhausted', `every member of pool ${pool} is at capacity`);
	return { strategy: 'capacity', conflicts: [`capacity_exhausted:${pool}`] };
}

function route(attributes: LeadRoutingAttributes, region: string | undefined, config: RevOpsConfig, trace: ReturnType<typeof tracer>): Route {
	const { lead, account } = attributes;
	const { routing } = config;
	const territories = matchingTerritories(lead, config);

	if (routing.account_owner_follows && account !== undefined && account.customer_status === 'customer') {
		trace.fired('account_owner_follows', `existing customer ${account.id} → ${account.owner_id}`);
		const territory = territories[0];
		// Never resolved silently: the owner wins, the territory owner is listed as a conflict.
		const conflicts = territory !== undefined && territory.owner !== account.owner_id ? [`account_owner_vs_territory:${territory.name}`] : [];
		return { assignee: account.owner_id, strategy: 'account_owner_follows', conflicts };
	}
	trace.skipped('account_owner_follows', account === undefined ? 'no account' : `account ${account.id} is not an existing customer (or the rule is off)`);

	const teams = own(routing.segment_teams, lead.segment);
	const team = own(teams, region) ?? own(teams, 'default');
	if (team !== undefined) {
		trace.fired('segment_team', `segment ${lead.segment} region ${region ?? '(none)'} → ${team}`);
		return { assignee: team, strategy: 'segment', conflicts: [] };
	}
	trace.skipped('segment_team', `no team for segment ${lead.segment ?? '(none)'} in region ${region ?? '(none)'}`);

	if (territories.length > 0) {
		const [winner] = territories;
		trace.fired('territory', `${winner.name} → ${winner.owner}`);
		const owners = new Set(territories.map((t) => t.owner));
		const conflicts = owners.size > 1 ? [`territory_overlap:${territories.map((t) => t.name).join(',')}`] : [];
		return { assignee: winner.owner, strategy: 'territory', conflicts };
	}
	trace.skipped('territory', `no owned territory contains ${lead.country ?? '(no country)'}${lead.state ? `-${lead.state}` : ''}`);

	const byPool = roundRobin(attributes, config, trace);
	if (byPool !== undefined) return byPool;

	trace.fired('no_route', 'no routing rule matched');
	return { strategy: routing.default_strategy, conflicts: ['no_route'] };
}

/** Preflight, enrichment, then the first routing rule that gives an assignee (see the spec's order). */
export function decideLeadRouting(attributes: LeadRoutingAttributes, config: RevOpsConfig): Evaluation<LeadRoutingDecision> {
	const steps: TraceStep[] = [];
	const trace = tracer(steps);
	const { lead } = attributes;
	const preflight = config.routing.preflight;

	// allowed_domains vouches for a partner's leads against country and spam signals, never against a blocked domain.
	const vouched = lead.email_domain !== undefined && preflight.allowed_domains.includes(lead.email_domain);
	const reasons: string[] = [];
	if (lead.email_domain !== undefined && preflight.blocked_domains.includes(lead.email_domain)) reasons.push('domain');
	if (!vouched && lead.country !== undefined && preflight.blocked_countries.includes(lead.country)) reasons.push('country');
	if (!vouched && lead.is_spam_signal) reasons.push('spam');
	if (reasons.length > 0) {
		trace.fired('preflight', `blocked: ${reasons.join(', ')}`);
		return {
			decision: { allow: false, route_strategy: config.routing.default_strategy, conflicts: reasons.map((r) => `blocked:${r}`), required_enrichment: [] },
			trace: steps,
		};
	}
	trace.matched('preflight', vouched ? `allowed domain ${lead.email_domain}` : 'not blocked');

	const requiredEnrichment = missingEnrichment(lead, config);
	if (requiredEnrichment.length > 0) trace.fired('required_enrichment', `missing ${requiredEnrichment.join(', ')}`);
	else trace.skipped('required_enrichment', 'nothing missing');

	const region = regionOf(lead.country, config);
	const chosen = route(attributes, region, config, trace);
	const sla = slaMinutes(lead, region, config);
	if (sla !== undefined) trace.matched('sla_minutes', `${sla} minutes for segment ${lead.segment ?? '(none)'} region ${region ?? '(none)'}`);
	return {
		decision: {
			allow: true,
			...(chosen.assignee === undefined ? {} : { assignee: chosen.assignee }),
			route_strategy: chosen.strategy,
			...(sla === undefined ? {} : { sla_minutes: sla }),
			conflicts: chosen.conflicts,
			required_enrichment: requiredEnrichment,
		},
		trace: steps,
	};
}
