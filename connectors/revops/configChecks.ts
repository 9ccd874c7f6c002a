import type { z } from '../core';

/** The parsed config before cross-field checks (structural shape only). */
interface ConfigShape {
	segments: { name: string; arr_min?: number; arr_max?: number; company_size_min?: number; company_size_max?: number }[];
	regions: Record<string, string[]>;
	routing: {
		territories: Record<string, string[]>;
		territory_owners: Record<string, string>;
		segment_teams: Record<string, Record<string, string>>;
		round_robin_pools: Record<string, string[]>;
		segment_pools: Record<string, string>;
	};
	sla_minutes?: Record<string, number | Record<string, number>>;
	discounts: Record<string, { ae_self_approve_pct: number; manager_required_pct?: number; finance_required_pct?: number; max_discount_pct: number }>;
	terms: { min_term_months?: number; max_term_months?: number };
}

const quoted = (names: string[]) => (names.length === 0 ? '(none declared)' : names.map((n) => JSON.stringify(n)).join(', '));

/**
 * References between sections must resolve (a typo in a pool or segment name would otherwise route
 * leads nowhere, silently), and thresholds must be ordered so the approval ladder makes sense.
 */
export function checkCrossFields(config: ConfigShape, ctx: z.RefinementCtx): void {
	const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
	const segments = config.segments.map((s) => s.name);
	const regions = Object.keys(config.regions);
	const isSegment = (key: string) => segments.includes(key);
	const isRegionKey = (key: string) => key === 'default' || regions.includes(key);

	config.segments.forEach((segment, index) => {
		if (segments.indexOf(segment.name) !== index) fail(['segments', index, 'name'], `a segment name not used by another segment ("${segment.name}" is repeated)`);
		if (segment.arr_min !== undefined && segment.arr_max !== undefined && segment.arr_min > segment.arr_max) {
			fail(['segments', index, 'arr_max'], `a number not less than arr_min (${segment.arr_min})`);
		}
		if (segment.company_size_min !== undefined && segment.company_size_max !== undefined && segment.company_size_min > segment.company_size_max) {
			fail(['segments', index, 'company_size_max'], `a number not less than company_size_min (${segment.company_size_min})`);
		}
	});

	// A country in two regions would make "the lead's region" depend on key order, which OPA does not keep.
	const regionOf = new Map<string, string>();
	for (const [region, countries] of Object.entries(config.regions)) {
		countries.forEach((country, index) => {
			const other = regionOf.get(country);
			if (other !== undefined && other !== region) fail(['regions', region, index], `a country not already in region "${other}" (${country})`);
			regionOf.set(country, region);
		});
	}

	const { routing } = config;
	const territories = Object.keys(routing.territories);
	for (const territory of Object.keys(routing.territory_owners)) {
		if (!territories.includes(territory)) fail(['routing', 'territory_owners', territory], `a territory declared in routing.territories: ${quoted(territories)}`);
	}
	for (const [segment, teams] of Object.entries(routing.segment_teams)) {
		if (!isSegment(segment)) fail(['routing', 'segment_teams', segment], `a declared segment: ${quoted(segments)}`);
		for (const region of Object.keys(teams)) {
			if (!isRegionKey(region)) fail(['routing', 'segment_teams', segment, region], `"default" or a region declared in regions: ${quoted(regions)}`);
		}
	}
	const pools = Object.keys(routing.round_robin_pools);
	for (const [segment, pool] of Object.entries(routing.segment_pools)) {
		if (segment !== 'default' && !isSegment(segment)) fail(['routing', 'segment_pools', segment], `"default" or a declared segment: ${quoted(segments)}`);
		if (!pools.includes(pool)) fail(['routing', 'segment_pools', segment], `a pool declared in routing.round_robin_pools: ${quoted(pools)}`);
	}

	for (const [key, value] of Object.entries(config.sla_minutes ?? {})) {
		if (key === 'default') continue;
		if (!isSegment(key)) fail(['sla_minutes', key], `"default" or a declared segment: ${quoted(segments)}`);
		if (typeof value === 'object') {
			for (const region of Object.keys(value)) {
				if (!isRegionKey(region)) fail(['sla_minutes', key, region], `"default" or a region declared in regions: ${quoted(regions)}`);
			}
		}
	}

	for (const segment of Object.keys(config.discounts)) {
		if (!isSegment(segment)) fail(['discounts', segment], `a declared segment: ${quoted(segments)}`);
	}
	for (const segment of segments) {
		if (!(segment in config.discounts)) fail(['discounts', segment], 'discount thresholds for every declared segment (ae_self_approve_pct at least)');
	}
	for (const [segment, rule] of Object.entries(config.discounts)) {
		// The approval ladder: AE ≤ manager ≤ finance ≤ ceiling, where present.
		const ladder: [string, number | undefined][] = [
			['ae_self_approve_pct', rule.ae_self_approve_pct],
			['manager_required_pct', rule.manager_required_pct],
			['finance_required_pct', rule.finance_required_pct],
			['max_discount_pct', rule.max_discount_pct],
		];
		let previous: [string, number] | undefined;
		for (const [name, value] of ladder) {
			if (value === undefined) continue;
			if (previous && value < previous[1]) fail(['discounts', segment, name], `a number not less than ${previous[0]} (${previous[1]})`);
			previous = [name, value];
		}
	}

	const { min_term_months: min, max_term_months: max } = config.terms;
	if (min !== undefined && max !== undefined && min > max) fail(['terms', 'max_term_months'], `a number not less than min_term_months (${min})`);
}
