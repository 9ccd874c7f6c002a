import type { ApprovalRole } from './config';
import type { WhatIfOutcome, WhatIfResult, WhatIfRow } from './whatIf';

export interface WhatIfHtmlOptions {
	title?: string;
}

/** Background and text colour per outcome; a RevOps lead reads the page by colour first. */
export const WHAT_IF_COLOURS: Record<WhatIfOutcome, { background: string; text: string; label: string; meaning: string }> = {
	auto_approved: { background: '#c8f0d0', text: '#0f5132', label: 'Auto-approved', meaning: 'allowed, no approval needed' },
	needs_approval: { background: '#ffe8a3', text: '#664d03', label: 'Needs approval', meaning: 'allowed once the listed roles approve' },
	denied: { background: '#f8c6cb', text: '#842029', label: 'Denied', meaning: 'outside policy (ceiling, term range or activation terms)' },
};

const ROLE_LABELS: Record<ApprovalRole, string> = { SALES_MANAGER: 'Sales manager', FINANCE: 'Finance', LEGAL: 'Legal', VP_SALES: 'VP Sales' };

export function escapeHtml(value: unknown): string {
	return String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const percent = (fraction: number) => `${Number((fraction * 100).toFixed(2))}%`;

/** Values in first-seen order: rows come in grid order, so this is the grid's own order. */
function distinct<T>(rows: readonly WhatIfRow[], pick: (row: WhatIfRow) => T): T[] {
	return [...new Set(rows.map(pick))];
}

function cell(row: WhatIfRow | undefined): string {
	if (row === undefined) return '<td class="missing">–</td>';
	const colour = WHAT_IF_COLOURS[row.outcome];
	let body = escapeHtml(colour.label);
	if (row.outcome === 'needs_approval') body = row.required_approvals.map((role) => escapeHtml(ROLE_LABELS[role] ?? role)).join('<br>');
	if (row.outcome === 'denied' && row.activation !== undefined && !row.activation.allow) {
		body += `<br><small>${row.activation.blocking_issues.map(escapeHtml).join('<br>')}</small>`;
	}
	const flags = [row.flags.legal_required ? 'legal' : '', row.flags.strategic ? 'strategic' : ''].filter(Boolean);
	if (flags.length > 0) body += `<br><small>${escapeHtml(flags.join(', '))}</small>`;
	return `<td class="outcome ${row.outcome}" title="${escapeHtml(row.rationale)}">${body}</td>`;
}

function segmentTable(segment: string, rows: readonly WhatIfRow[]): string {
	const mine = rows.filter((row) => row.segment === segment);
	const terms = distinct(mine, (row) => row.term_months);
	const discounts = distinct(mine, (row) => row.discount);
	const lines = distinct(mine, (row) => JSON.stringify([row.product_mix, row.risk_level])).map((key) => JSON.parse(key) as [string, string]);
	const byKey = new Map(mine.map((row) => [JSON.stringify([row.product_mix, row.risk_level, row.term_months, row.discount]), row]));
	const counts = (outcome: WhatIfOutcome) => mine.filter((row) => row.outcome === outcome).length;
	const head = [
		`<tr><th rowspan="2">Product mix</th><th rowspan="2">Risk level</th>${terms.map((term) => `<th colspan="${discounts.length}" class="term">${escapeHtml(term)} months</th>`).join('')}</tr>`,
		`<tr>${terms.map(() => discounts.map((d) => `<th>${escapeHtml(percent(d))}</th>`).join('')).join('')}</tr>`,
	];
	const body = lines.map(([mix, risk]) => {
		const cells = terms.map((term) => discounts.map((d) => cell(byKey.get(JSON.stringify([mix, risk, term, d])))).join('')).join('');
		return `<tr><th scope="row">${escapeHtml(mix)}</th><th scope="row">${escapeHtml(risk)}</th>${cells}</tr>`;
	});
	const tally = (['auto_approved', 'needs_approval', 'denied'] as const).map((outcome) => `${counts(outcome)} ${escapeHtml(WHAT_IF_COLOURS[outcome].label.toLowerCase())}`).join(' · ');
	return [
		`<section class="segment"><h2>Segment: ${escapeHtml(segment)}</h2><p class="tally">${tally}</p>`,
		`<table><thead>${head.join('')}</thead><tbody>${body.join('')}</tbody></table></section>`,
	].join('\n');
}

function legend(): string {
	const items = (Object.keys(WHAT_IF_COLOURS) as WhatIfOutcome[]).map(
		(outcome) => `<li><span class="swatch outcome ${outcome}">${escapeHtml(WHAT_IF_COLOURS[outcome].label)}</span> ${escapeHtml(WHAT_IF_COLOURS[outcome].meaning)}</li>`,
	);
	return `<ul class="legend">${items.join('')}</ul>`;
}

function styles(): string {
	const outcomeRules = (Object.keys(WHAT_IF_COLOURS) as WhatIfOutcome[]).map((outcome) => {
		const { background, text } = WHAT_IF_COLOURS[outcome];
		return `.outcome.${outcome}{background:${background};color:${text}}`;
	});
	return [
		'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#212529}',
		'table{border-collapse:collapse;margin-bottom:1.5rem;font-size:.85rem}',
		'th,td{border:1px solid #ced4da;padding:.3rem .5rem;text-align:center;vertical-align:middle}',
		'thead th{background:#f1f3f5}th.term{background:#e9ecef}',
		'.legend{list-style:none;padding:0}.legend li{margin:.2rem 0}.swatch{display:inline-block;padding:.1rem .5rem;border-radius:3px;min-width:8rem}',
		'.meta{color:#6c757d;font-size:.85rem}.tally{margin:.2rem 0 .5rem}',
		...outcomeRules,
	].join('\n');
}

/**
 * A self-contained page (inline CSS, no scripts): one table per segment, product mix × risk level down,
 * term × discount across, each cell coloured by outcome with the rationale as its tooltip.
 */
export function whatIfHtml(result: Pick<WhatIfResult, 'rows' | 'summary' | 'config_version'> & { generated_at?: string }, options: WhatIfHtmlOptions = {}): string {
	const title = options.title ?? 'RevOps discount what-if';
	const { summary } = result;
	const segments = distinct(result.rows, (row) => row.segment);
	const role = result.rows[0]?.attributes.user.role;
	const meta = [
		`Config version <code>${escapeHtml(result.config_version)}</code>`,
		`generated ${escapeHtml(result.generated_at ?? new Date().toISOString())}`,
		role === undefined ? '' : `submitted by role <code>${escapeHtml(role)}</code>`,
		`${summary.total} combinations: ${summary.auto_approved} auto-approved, ${summary.needs_approval} need approval, ${summary.denied} denied`,
	].filter(Boolean);
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(title)}</title>`,
		`<style>\n${styles()}\n</style></head><body>`,
		`<h1>${escapeHtml(title)}</h1>`,
		`<p class="meta">${meta.join(' · ')}</p>`,
		legend(),
		...segments.map((segment) => segmentTable(segment, result.rows)),
		'</body></html>',
		'',
	].join('\n');
}
