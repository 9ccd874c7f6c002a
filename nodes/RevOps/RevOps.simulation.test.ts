import { NodeOperationError, type IBinaryData } from 'n8n-workflow';
import { credential, nodeContext } from './__tests__/context';
import { RevOps } from './RevOps.node';

const node = new RevOps();
const whatIf = (params: Record<string, unknown>, continueOnFail = false) =>
	node.execute.call(nodeContext({ params: { resource: 'simulation', operation: 'whatIf', ...params }, credentials: credential(), continueOnFail }));
const grid = { segments: 'smb', discounts: '0.1, 0.25, 0.35', termMonths: '12' };
const decode = (binary: IBinaryData) => Buffer.from(binary.data, 'base64').toString('utf8');

describe('RevOps node: Simulation → What-If', () => {
	it('outputs one item per combination of the grid, with the decision of each', async () => {
		const [rows] = await whatIf({ ...grid, output: 'rows' });
		// 1 segment × 3 discounts × 1 term × the default product mix × the default low and high risk levels.
		expect(rows).toHaveLength(6);
		const low = rows.filter((row) => row.json.risk_level === 'low').map((row) => [row.json.discount, row.json.outcome, row.json.required_approvals]);
		expect(low).toEqual([
			[0.1, 'auto_approved', []],
			[0.25, 'needs_approval', ['SALES_MANAGER']],
			[0.35, 'needs_approval', ['SALES_MANAGER', 'FINANCE']],
		]);
		expect(rows[0].json).toMatchObject({ tenant: 'acme', segment: 'smb', term_months: 12, config_version: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(rows.every((row) => (row.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('takes product mixes, risk levels and the submitter role from its parameters', async () => {
		const productMixes = [{ name: 'big', products: ['platform', 'support'], list_price_total: 300_000 }];
		const riskLevels = [{ name: 'offshore', contract: { jurisdiction: 'BR' } }];
		const [rows] = await whatIf({ ...grid, discounts: '0.1', productMixes: JSON.stringify(productMixes), riskLevels, submitterRole: 'sales_manager' });
		expect(rows).toHaveLength(1);
		expect(rows[0].json).toMatchObject({ product_mix: 'big', risk_level: 'offshore', outcome: 'denied', activation: { allow: false, blocking_issues: ['jurisdiction_not_allowed:BR'] } });
		expect(rows[0].json.attributes).toMatchObject({ user: { role: 'sales_manager' }, quote: { product_mix: ['platform', 'support'] } });
	});

	it('can output one item with the summary and the table as CSV and HTML files', async () => {
		const [[report]] = await whatIf({ ...grid, output: 'files' });
		const [rows] = await whatIf({ ...grid, output: 'rows' });
		const count = (outcome: string) => rows.filter((row) => row.json.outcome === outcome).length;
		const counts = { auto_approved: count('auto_approved'), needs_approval: count('needs_approval'), denied: count('denied') };
		expect(counts.auto_approved).toBeGreaterThan(0);
		expect(report.json).toMatchObject({ tenant: 'acme', combinations: 6, summary: { total: 6, ...counts, by_segment: { smb: counts } } });
		const csv = decode(report.binary!.csv).trim().split(/\r?\n/);
		expect(csv[0].startsWith('segment,discount,term_months')).toBe(true);
		expect(csv).toHaveLength(7);
		expect(report.binary!.csv).toMatchObject({ fileName: 'what-if.csv', mimeType: 'text/csv' });
		expect(report.binary!.html).toMatchObject({ fileName: 'what-if.html', mimeType: 'text/html' });
		expect(decode(report.binary!.html)).toMatch(/<title>RevOps what-if: acme<\/title>[\s\S]*<table>/);
	});

	it('names the grid entry that is wrong, and refuses a grid over Max Combinations', async () => {
		const error = await whatIf({ ...grid, discounts: '0.1, 25' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('grid.discounts.1: expected a number between 0 and 1');
		const tooBig = await whatIf({ ...grid, maxCombinations: 5 }).catch((e: unknown) => e);
		expect((tooBig as Error).message).toMatch(/at most 5 combinations \(received 6/);
		const [[failed]] = await whatIf({ ...grid, segments: 'nope' }, true);
		expect(failed.json).toMatchObject({ field: 'grid.segments.0' });
	});
});
