import { ConnectorError } from '../core';
import { createBuiltinEngine } from './builtin';
import { configVersion, loadProfile } from './config';
import { parseCsv } from './csv';
import type { PolicyEngine } from './engine';
import { defaultWhatIfGrid, simulateWhatIf, whatIfCsv, whatIfHtml, WHAT_IF_CSV_COLUMNS, WHAT_IF_OUTCOMES, type WhatIfGrid, type WhatIfRow } from './whatIf';
import { WHAT_IF_COLOURS } from './whatIfHtml';

const config = loadProfile('default');
const engine = createBuiltinEngine({ now: () => new Date('2025-01-15T10:00:00Z') });
const now = () => new Date('2025-02-01T09:30:00Z');

const grid: WhatIfGrid = {
	segments: ['smb', 'enterprise'],
	discounts: [0, 0.15, 0.25, 0.35, 0.55],
	termMonths: [12, 48],
	productMixes: [
		{ name: 'core', products: ['platform'], list_price_total: 40000 },
		{ name: 'suite', products: ['platform', 'analytics'], list_price_total: 400000 },
	],
	riskLevels: [
		{ name: 'low' },
		{ name: 'high', quote: { has_non_standard_terms: true, non_standard_terms: ['uncapped liability'] } },
		{ name: 'offshore', contract: { jurisdiction: 'KY', liability_cap_multiple: 5 } },
	],
};

async function thrown(promise: Promise<unknown>): Promise<ConnectorError> {
	try {
		await promise;
	} catch (error) {
		return error as ConnectorError;
	}
	throw new Error('expected a rejection');
}

/** The outcome rule, recomputed from direct engine calls for one row. */
async function directOutcome(row: WhatIfRow, risk: (typeof grid.riskLevels)[number]) {
	const mix = grid.productMixes.find((m) => m.name === row.product_mix)!;
	const quote = { id: 'direct', segment: row.segment, list_price_total: mix.list_price_total, discount_percentage: row.discount, term_length_months: row.term_months, ...risk.quote };
	const { decision } = await engine.evaluate('discount_approvals', { quote, user: { role: 'ae' } }, config);
	let activationAllows = true;
	if (risk.contract) {
		const activation = await engine.evaluate(
			'contract_activation',
			{ contract: { id: 'direct', signed: true, term_length_months: row.term_months, ...risk.contract }, approvals: decision.required_approvals, required_approvals: decision.required_approvals, receipts: config.activation.required_receipts },
			config,
		);
		activationAllows = activation.decision.allow;
	}
	const outcome = !decision.allow || !activationAllows ? 'denied' : decision.required_approvals.length > 0 ? 'needs_approval' : 'auto_approved';
	return { decision, outcome };
}

describe('simulateWhatIf', () => {
	it('evaluates every combination, in grid order, agreeing with the engine called directly', async () => {
		const result = await simulateWhatIf({ engine, config, grid, now });
		expect(result.rows).toHaveLength(2 * 5 * 2 * 2 * 3);
		expect(result.config_version).toBe(configVersion(config));
		expect(result.generated_at).toBe('2025-02-01T09:30:00.000Z');
		// Segment → mix → risk → term → discount.
		expect(result.rows.slice(0, 6).map((r) => [r.segment, r.product_mix, r.risk_level, r.term_months, r.discount])).toEqual([
			['smb', 'core', 'low', 12, 0],
			['smb', 'core', 'low', 12, 0.15],
			['smb', 'core', 'low', 12, 0.25],
			['smb', 'core', 'low', 12, 0.35],
			['smb', 'core', 'low', 12, 0.55],
			['smb', 'core', 'low', 48, 0],
		]);
		const keys = new Set(result.rows.map((r) => JSON.stringify([r.segment, r.product_mix, r.risk_level, r.term_months, r.discount])));
		expect(keys.size).toBe(result.rows.length);

		for (const index of [0, 2, 3, 4, 5, 13, 22, 37, 50, 66, 79, 91, 104, 119]) {
			const row = result.rows[index];
			const { decision, outcome } = await directOutcome(row, grid.riskLevels.find((r) => r.name === row.risk_level)!);
			expect({ index, outcome: row.outcome }).toEqual({ index, outcome });
			expect(row.required_approvals).toEqual(decision.required_approvals);
			expect(row.max_allowed_discount).toBe(decision.max_allowed_discount);
			expect(row.flags).toEqual(decision.flags);
			expect(row.rationale).toBe(decision.rationale);
		}
		// The grid exercises all three outcomes, and the summary counts what the rows say.
		for (const outcome of ['auto_approved', 'needs_approval', 'denied'] as const) {
			const count = result.rows.filter((r) => r.outcome === outcome).length;
			expect(count).toBeGreaterThan(0);
			expect(result.summary[outcome]).toBe(count);
			expect(result.summary.by_segment.smb[outcome]).toBe(result.rows.filter((r) => r.outcome === outcome && r.segment === 'smb').length);
		}
		expect(result.summary.total).toBe(result.rows.length);
	});

	it('lets the engine derive ARR from list price and discount, and passes the product mix and risk terms', async () => {
		const result = await simulateWhatIf({ engine, config, grid: { ...grid, segments: ['enterprise'], discounts: [0.25], termMonths: [12] } });
		const suiteHigh = result.rows.find((r) => r.product_mix === 'suite' && r.risk_level === 'high')!;
		expect(suiteHigh.attributes.quote).toMatchObject({ arr: 300000, product_mix: ['platform', 'analytics'], has_non_standard_terms: true, non_standard_terms: ['uncapped liability'] });
		expect(suiteHigh.required_approvals).toContain('LEGAL');
		expect(suiteHigh.flags.legal_required).toBe(true);
		const offshore = result.rows.find((r) => r.product_mix === 'core' && r.risk_level === 'offshore')!;
		expect(offshore.outcome).toBe('denied');
		expect(offshore.activation).toEqual({ allow: false, blocking_issues: ['jurisdiction_not_allowed:KY', 'liability_above_cap'] });
		expect(result.rows.find((r) => r.risk_level === 'low')!.activation).toBeUndefined();
	});

	it('uses the submitter role and defaults segments to every config segment', async () => {
		const { rows } = await simulateWhatIf({ engine, config, grid: { ...grid, segments: undefined, submitterRole: 'sales_manager', riskLevels: [{ name: 'low' }] } });
		expect([...new Set(rows.map((r) => r.segment))]).toEqual(config.segments.map((s) => s.name));
		const smb25 = rows.find((r) => r.segment === 'smb' && r.discount === 0.25 && r.term_months === 12 && r.product_mix === 'core')!;
		expect(smb25.attributes.user.role).toBe('sales_manager');
		expect(smb25.required_approvals).not.toContain('SALES_MANAGER');
	});

	it('keeps grid order whatever the engine latency and concurrency', async () => {
		let calls = 0;
		const slow: PolicyEngine = {
			name: 'builtin',
			evaluate: async (kind, attributes, cfg) => {
				calls++;
				await new Promise((resolve) => setTimeout(resolve, calls % 3 === 0 ? 5 : 0));
				return engine.evaluate(kind, attributes, cfg);
			},
		};
		const small = { ...grid, riskLevels: [{ name: 'low' }] };
		const fast = await simulateWhatIf({ engine, config, grid: small, concurrency: 1, now });
		const shuffled = await simulateWhatIf({ engine: slow, config, grid: small, concurrency: 7, now });
		expect(shuffled.rows).toEqual(fast.rows);
	});

	it('ships a default grid: the seed bands, terms and low/high risk for every segment', async () => {
		const defaults = defaultWhatIfGrid(config);
		expect(defaults.discounts).toEqual([0, 0.1, 0.2, 0.25, 0.3, 0.4]);
		expect(defaults.termMonths).toEqual([12, 24, 36]);
		expect(defaults.riskLevels.map((r) => r.name)).toEqual(['low', 'high']);
		const result = await simulateWhatIf({ engine, config, grid: defaults });
		expect(result.rows).toHaveLength(config.segments.length * 6 * 3 * 1 * 2);
		// Seed example: an AE's 25% smb discount needs the sales manager, 35% adds finance.
		const smb = result.rows.find((r) => r.segment === 'smb' && r.discount === 0.25 && r.risk_level === 'low')!;
		expect(smb).toMatchObject({ outcome: 'needs_approval', required_approvals: ['SALES_MANAGER'] });
		expect(defaultWhatIfGrid(loadProfile('enterprise')).productMixes[0].list_price_total).toBeGreaterThan(0);
	});
});

describe('grid validation', () => {
	const cases: [string, Record<string, unknown>, string][] = [
		['a discount above 1', { discounts: [0, 0.1, 1.5] }, 'grid.discounts.2: expected a number between 0 and 1'],
		['a text discount', { discounts: ['10%'] }, 'grid.discounts.0: expected a number between 0 and 1'],
		['a fractional term', { termMonths: [12, 18.5] }, 'grid.termMonths.1: expected a whole number of months'],
		['an empty dimension', { termMonths: [] }, 'grid.termMonths: expected a list of at least one term'],
		['a repeated discount', { discounts: [0.1, 0.1] }, 'grid.discounts.1: expected a discount not already listed'],
		['a repeated mix name', { productMixes: [grid.productMixes[0], grid.productMixes[0]] }, 'grid.productMixes.1: expected a product mix not already listed'],
		['a negative list price', { productMixes: [{ name: 'x', products: [], list_price_total: -1 }] }, 'grid.productMixes.0.list_price_total: expected a non-negative amount'],
		['a misspelt risk field', { riskLevels: [{ name: 'x', quote: { non_standard: true } }] }, 'grid.riskLevels.0.quote.non_standard: expected no such field'],
		['a bad jurisdiction', { riskLevels: [{ name: 'x', contract: { jurisdiction: 'Cayman' } }] }, 'grid.riskLevels.0.contract.jurisdiction: expected a jurisdiction code'],
		['an unknown role', { submitterRole: 'cfo' }, 'grid.submitterRole: expected one of'],
		['an undeclared segment', { segments: ['smb', 'mid-market'] }, 'grid.segments.1: expected a segment declared in the config: "smb", "enterprise", "mid_market"'],
	];
	it.each(cases)('rejects %s naming the path', async (_label, change, message) => {
		const error = await thrown(simulateWhatIf({ engine, config, grid: { ...grid, ...change } }));
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error.kind).toBe('validation');
		expect(error.message).toContain(message);
	});

	it('rejects a grid that is not an object, or misses a dimension', async () => {
		expect((await thrown(simulateWhatIf({ engine, config, grid: 'all' }))).message).toContain('grid: expected an object');
		expect((await thrown(simulateWhatIf({ engine, config, grid: { ...grid, riskLevels: undefined } }))).message).toContain('grid.riskLevels: expected an array');
	});

	it('refuses more combinations than the limit before calling the engine', async () => {
		let calls = 0;
		const counting: PolicyEngine = { name: 'builtin', evaluate: (kind, attributes, cfg) => (calls++, engine.evaluate(kind, attributes, cfg)) };
		const error = await thrown(simulateWhatIf({ engine: counting, config, grid, maxCombinations: 100 }));
		expect(error.message).toContain('grid: expected at most 100 combinations (received 120: 2 segments × 5 discounts × 2 terms × 2 product mixes × 3 risk levels)');
		expect(calls).toBe(0);
		const big = { ...grid, discounts: Array.from({ length: 101 }, (_, i) => i / 100), termMonths: [12, 24, 36, 48, 60] };
		expect((await thrown(simulateWhatIf({ engine: counting, config, grid: big }))).message).toContain('expected at most 5000 combinations (received 6060');
		expect(calls).toBe(0);
		const exact = await simulateWhatIf({ engine: counting, config, grid, maxCombinations: 120 });
		expect(exact.rows).toHaveLength(120);
	});
});

describe('whatIfCsv', () => {
	it('writes a header and one parseable line per combination, quoting commas, quotes and newlines', async () => {
		const tricky = { ...grid, segments: ['smb'], productMixes: [{ name: 'core, "plus"\nsupport', products: ['a,b', 'c'], list_price_total: 40000 }] };
		const result = await simulateWhatIf({ engine, config, grid: tricky });
		const csv = whatIfCsv(result.rows);
		const { records, issues } = parseCsv(csv);
		expect(issues).toEqual([]);
		expect(records[0]).toEqual([...WHAT_IF_CSV_COLUMNS]);
		expect(records).toHaveLength(result.rows.length + 1);
		const column = (name: (typeof WHAT_IF_CSV_COLUMNS)[number]) => WHAT_IF_CSV_COLUMNS.indexOf(name);
		result.rows.forEach((row, index) => {
			const record = records[index + 1];
			expect(record[column('product_mix')]).toBe('core, "plus"\nsupport');
			expect(record[column('products')]).toBe('a,b; c');
			expect(record[column('outcome')]).toBe(row.outcome);
			expect(Number(record[column('discount')])).toBe(row.discount);
			expect(record[column('required_approvals')]).toBe(row.required_approvals.join('; '));
			expect(record[column('rationale')]).toBe(row.rationale);
			expect(record[column('activation_blocking_issues')]).toBe((row.activation?.blocking_issues ?? []).join('; '));
		});
	});

	it('keeps a name a spreadsheet would run as a formula as text', async () => {
		const result = await simulateWhatIf({ engine, config, grid: { ...grid, segments: ['smb'], discounts: [0], termMonths: [12], riskLevels: [{ name: '=HYPERLINK("http://x")' }] } });
		const { records } = parseCsv(whatIfCsv(result.rows));
		expect(records[1][WHAT_IF_CSV_COLUMNS.indexOf('risk_level')]).toBe('\'=HYPERLINK("http://x")');
	});
});

describe('whatIfHtml', () => {
	it('renders a self-contained page with a table per segment, colours per outcome, a legend, version and date', async () => {
		const result = await simulateWhatIf({ engine, config, grid, now });
		const html = whatIfHtml(result, { title: 'Q3 pricing review' });
		expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(html).toContain('<title>Q3 pricing review</title>');
		expect(html).not.toMatch(/<script|<link|src=/i);
		expect(html).toContain(result.config_version);
		expect(html).toContain('2025-02-01T09:30:00.000Z');
		expect(html.match(/<section class="segment">/g)).toHaveLength(2);
		for (const outcome of WHAT_IF_OUTCOMES) {
			const colour = WHAT_IF_COLOURS[outcome];
			expect(html).toContain(`.outcome.${outcome}{background:${colour.background}`);
			expect(html).toContain(`<span class="swatch outcome ${outcome}">${colour.label}</span>`);
			const cells = html.match(new RegExp(`<td class="outcome ${outcome}"`, 'g')) ?? [];
			expect(cells).toHaveLength(result.summary[outcome]);
		}
		// Amber cells list the approvers; red ones caused at activation say why.
		expect(html).toMatch(/<td class="outcome needs_approval"[^>]*>Sales manager<br>Finance/);
		expect(html).toContain('jurisdiction_not_allowed:KY');
		expect(html).toContain('<th colspan="5" class="term">48 months</th>');
		expect(html).toContain('<th>35%</th>');
	});

	it('escapes every name, title and rationale', async () => {
		const evil = '<img src=x onerror=alert(1)>&"\'';
		const result = await simulateWhatIf({
			engine,
			config,
			grid: { ...grid, segments: ['smb'], discounts: [0.25], termMonths: [12], productMixes: [{ name: evil, products: [], list_price_total: 1000 }], riskLevels: [{ name: `risk ${evil}` }] },
		});
		const html = whatIfHtml({ ...result, rows: result.rows.map((row) => ({ ...row, segment: `<script>alert("s")</script>`, rationale: `x" onmouseover="alert(2)` })) }, { title: `<b>${evil}</b>` });
		expect(html).not.toContain('<img');
		expect(html).not.toContain('<script>');
		expect(html).not.toContain('<b>');
		expect(html).not.toContain('" onmouseover="');
		expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;&#38;&#34;&#39;');
		expect(html).toContain('Segment: &#60;script&#62;alert(&#34;s&#34;)&#60;/script&#62;');
	});
});
