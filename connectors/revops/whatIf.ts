import { ConnectorError, z } from '../core';
import type { DiscountApprovalsAttributes, DiscountApprovalsDecision } from './attributes';
import { configVersion, type ApprovalRole, type RevOpsConfig } from './config';
import { toCsv, type CsvValue } from './csv';
import type { PolicyEngine } from './engine';
import { parseOrThrow } from './validation';

export { whatIfHtml, type WhatIfHtmlOptions } from './whatIfHtml';

export type WhatIfOutcome = 'auto_approved' | 'needs_approval' | 'denied';
export const WHAT_IF_OUTCOMES: readonly WhatIfOutcome[] = ['auto_approved', 'needs_approval', 'denied'];
export const DEFAULT_MAX_COMBINATIONS = 5000;

const PCT = 'a number between 0 and 1';
const name = z.string().trim().min(1, 'a non-empty name');
const uniqueList = <T extends z.ZodTypeAny>(item: T, what: string, key: (value: z.output<T>) => unknown = (value) => value) =>
	z
		.array(item)
		.min(1, `a list of at least one ${what}`)
		.superRefine((list, ctx) => {
			const seen = list.map(key);
			seen.forEach((value, index) => {
				if (seen.indexOf(value) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `a ${what} not already listed (${JSON.stringify(value)} is repeated)` });
			});
		});

const riskLevelSchema = z
	.object({
		name,
		quote: z
			.object({ has_non_standard_terms: z.boolean().optional(), non_standard_terms: z.array(name).optional() })
			.strict()
			.default({}),
		contract: z
			.object({
				jurisdiction: z.string().trim().regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'a jurisdiction code such as "US" or "US-CA"').optional(),
				liability_cap_multiple: z.number().nonnegative('a non-negative multiple of the contract value').optional(),
			})
			.strict()
			.optional(),
	})
	.strict();

export const whatIfGridSchema = z
	.object({
		segments: uniqueList(name, 'segment').optional(),
		discounts: uniqueList(z.number({ invalid_type_error: PCT, required_error: PCT }).min(0, PCT).max(1, PCT), 'discount'),
		termMonths: uniqueList(z.number().int('a whole number of months').positive('a positive whole number of months'), 'term'),
		productMixes: uniqueList(
			z.object({ name, products: z.array(name).default([]), list_price_total: z.number().nonnegative('a non-negative amount') }).strict(),
			'product mix',
			(mix) => mix.name,
		),
		riskLevels: uniqueList(riskLevelSchema, 'risk level', (risk) => risk.name),
		submitterRole: z.enum(['sdr', 'ae', 'partner_manager', 'sales_manager', 'finance', 'legal']).default('ae'),
	})
	.strict();

export type WhatIfGrid = z.input<typeof whatIfGridSchema>;
type ParsedGrid = z.output<typeof whatIfGridSchema>;

export interface WhatIfRow {
	segment: string;
	discount: number;
	term_months: number;
	product_mix: string;
	risk_level: string;
	outcome: WhatIfOutcome;
	required_approvals: ApprovalRole[];
	max_allowed_discount: number;
	flags: DiscountApprovalsDecision['flags'];
	rationale: string;
	/** The normalised discount_approvals attributes the engine decided on (ARR derived by the engine). */
	attributes: DiscountApprovalsAttributes;
	/** Present when the risk level has a `contract` part: contract_activation with every required approval and receipt granted. */
	activation?: { allow: boolean; blocking_issues: string[] };
}

export type OutcomeCounts = Record<WhatIfOutcome, number>;

export interface WhatIfSummary extends OutcomeCounts {
	total: number;
	by_segment: Record<string, OutcomeCounts>;
}

export interface WhatIfResult {
	rows: WhatIfRow[];
	summary: WhatIfSummary;
	config_version: string;
	generated_at: string;
}

export interface SimulateWhatIfOptions {
	engine: PolicyEngine;
	config: RevOpsConfig;
	grid: unknown;
	maxCombinations?: number;
	/** Engine calls in flight at once (OPA is remote); rows keep grid order whatever the value. */
	concurrency?: number;
	now?: () => Date;
}

/** The seed's table: AE discount bands × common terms for every segment, one mix, low vs non-standard risk. */
export function defaultWhatIfGrid(config: RevOpsConfig): WhatIfGrid {
	const firstArrMax = config.segments.find((segment) => segment.arr_max !== undefined)?.arr_max;
	return {
		segments: config.segments.map((segment) => segment.name),
		discounts: [0, 0.1, 0.2, 0.25, 0.3, 0.4],
		termMonths: [12, 24, 36],
		productMixes: [{ name: 'core platform', products: ['platform'], list_price_total: firstArrMax ?? 50000 }],
		riskLevels: [
			{ name: 'low' },
			{ name: 'high', quote: { has_non_standard_terms: true, non_standard_terms: ['uncapped liability'] } },
		],
		submitterRole: 'ae',
	};
}

function parseGrid(input: unknown, config: RevOpsConfig): ParsedGrid & { segments: string[] } {
	// Wrapped so error paths read `grid.discounts.2: expected …`.
	const { grid } = parseOrThrow(z.object({ grid: whatIfGridSchema }), { grid: input }, 'what-if grid');
	const declared = config.segments.map((segment) => segment.name);
	const segments = grid.segments ?? declared;
	segments.forEach((segment, index) => {
		if (!declared.includes(segment)) {
			const expected = `a segment declared in the config: ${declared.map((n) => JSON.stringify(n)).join(', ')}`;
			throw new ConnectorError('validation', `Invalid what-if grid: grid.segments.${index}: expected ${expected} (received ${JSON.stringify(segment)})`, {
				field: `grid.segments.${index}`,
				expected,
			});
		}
	});
	return { ...grid, segments };
}

interface Combination {
	segment: string;
	discount: number;
	term: number;
	mix: ParsedGrid['productMixes'][number];
	risk: ParsedGrid['riskLevels'][number];
}

/** Segment, then product mix, risk level, term and discount: the order the HTML table reads in. */
function combinations(grid: ParsedGrid & { segments: string[] }): Combination[] {
	const out: Combination[] = [];
	for (const segment of grid.segments)
		for (const mix of grid.productMixes)
			for (const risk of grid.riskLevels)
				for (const term of grid.termMonths) for (const discount of grid.discounts) out.push({ segment, discount, term, mix, risk });
	return out;
}

async function evaluateCombination(engine: PolicyEngine, config: RevOpsConfig, role: string, c: Combination): Promise<WhatIfRow> {
	const quote = {
		id: `what-if:${c.segment}:${c.mix.name}:${c.risk.name}:${c.term}:${c.discount}`,
		segment: c.segment,
		list_price_total: c.mix.list_price_total,
		discount_percentage: c.discount,
		term_length_months: c.term,
		product_mix: c.mix.products,
		...c.risk.quote,
	};
	const result = await engine.evaluate('discount_approvals', { quote, user: { role } }, config);
	const decision = result.decision;
	const attributes = result.attributes as DiscountApprovalsAttributes;
	let activation: WhatIfRow['activation'];
	if (c.risk.contract !== undefined) {
		// Grant everything the deal desk would collect; what still blocks is the deal's shape itself.
		const activated = await engine.evaluate(
			'contract_activation',
			{
				contract: { id: quote.id, signed: true, term_length_months: c.term, has_non_standard_terms: attributes.quote.has_non_standard_terms, ...c.risk.contract },
				approvals: decision.required_approvals,
				required_approvals: decision.required_approvals,
				receipts: config.activation.required_receipts,
			},
			config,
		);
		activation = { allow: activated.decision.allow, blocking_issues: activated.decision.blocking_issues };
	}
	const denied = !decision.allow || (activation !== undefined && !activation.allow);
	const row: WhatIfRow = {
		segment: c.segment,
		discount: c.discount,
		term_months: c.term,
		product_mix: c.mix.name,
		risk_level: c.risk.name,
		outcome: denied ? 'denied' : decision.required_approvals.length > 0 ? 'needs_approval' : 'auto_approved',
		required_approvals: decision.required_approvals,
		max_allowed_discount: decision.max_allowed_discount,
		flags: decision.flags,
		rationale: decision.rationale,
		attributes,
	};
	if (activation !== undefined) row.activation = activation;
	return row;
}

/**
 * The seed's what-if table: the discount decision for every segment × discount × term × product mix ×
 * risk level. A risk level's `contract` part is checked with contract_activation (approvals and receipts
 * granted); a remaining blocking issue (jurisdiction, liability cap) makes the combination `denied`.
 */
export async function simulateWhatIf(options: SimulateWhatIfOptions): Promise<WhatIfResult> {
	const { engine, config } = options;
	const grid = parseGrid(options.grid, config);
	const max = options.maxCombinations ?? DEFAULT_MAX_COMBINATIONS;
	const dimensions = [grid.segments.length, grid.discounts.length, grid.termMonths.length, grid.productMixes.length, grid.riskLevels.length];
	const total = dimensions.reduce((product, size) => product * size, 1);
	if (total > max) {
		const expected = `at most ${max} combinations`;
		throw new ConnectorError(
			'validation',
			`Invalid what-if grid: grid: expected ${expected} (received ${total}: ${describeDimensions(dimensions)}); remove values from a dimension or raise maxCombinations`,
			{ field: 'grid', expected },
		);
	}
	const todo = combinations(grid);
	const rows: WhatIfRow[] = new Array(todo.length);
	let next = 0;
	const worker = async () => {
		while (next < todo.length) {
			const index = next++;
			rows[index] = await evaluateCombination(engine, config, grid.submitterRole, todo[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, todo.length)) }, worker));
	return { rows, summary: summarise(rows, grid.segments), config_version: configVersion(config), generated_at: (options.now ?? (() => new Date()))().toISOString() };
}

function describeDimensions(sizes: number[]): string {
	const names = ['segments', 'discounts', 'terms', 'product mixes', 'risk levels'];
	return sizes.map((size, index) => `${size} ${names[index]}`).join(' × ');
}

function summarise(rows: WhatIfRow[], segments: string[]): WhatIfSummary {
	const empty = (): OutcomeCounts => ({ auto_approved: 0, needs_approval: 0, denied: 0 });
	const summary: WhatIfSummary = { total: rows.length, ...empty(), by_segment: Object.fromEntries(segments.map((segment) => [segment, empty()])) };
	for (const row of rows) {
		summary[row.outcome]++;
		summary.by_segment[row.segment][row.outcome]++;
	}
	return summary;
}

export const WHAT_IF_CSV_COLUMNS = [
	'segment',
	'discount',
	'term_months',
	'product_mix',
	'products',
	'list_price_total',
	'arr',
	'risk_level',
	'has_non_standard_terms',
	'outcome',
	'required_approvals',
	'max_allowed_discount',
	'legal_required',
	'strategic',
	'activation_blocking_issues',
	'rationale',
] as const;

/** A spreadsheet runs a cell that starts with = + - @ as a formula; a leading apostrophe keeps it text. */
function safeText(text: string): string {
	return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV line per combination (RFC 4180 quoting), lists joined with "; ". */
export function whatIfCsv(rows: readonly WhatIfRow[]): string {
	const lines: CsvValue[][] = [[...WHAT_IF_CSV_COLUMNS]];
	for (const row of rows) {
		const { quote } = row.attributes;
		lines.push([
			safeText(row.segment),
			row.discount,
			row.term_months,
			safeText(row.product_mix),
			safeText((quote.product_mix ?? []).join('; ')),
			quote.list_price_total,
			quote.arr,
			safeText(row.risk_level),
			quote.has_non_standard_terms,
			row.outcome,
			row.required_approvals.join('; '),
			row.max_allowed_discount,
			row.flags.legal_required,
			row.flags.strategic,
			(row.activation?.blocking_issues ?? []).join('; '),
			safeText(row.rationale),
		]);
	}
	return toCsv(lines);
}
