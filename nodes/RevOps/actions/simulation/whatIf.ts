import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { defaultWhatIfGrid, DEFAULT_MAX_COMBINATIONS, simulateWhatIf, whatIfCsv, whatIfHtml, type WhatIfGrid } from '../../../../connectors/revops/whatIf';
import { jsonValue, listParameter } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';

const show = { resource: ['simulation'], operation: ['whatIf'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Leave a dimension empty to use the default grid: every segment of the config, discounts 0–40%, terms of 12, 24 and 36 months, one product mix, low and high risk',
		name: 'whatIfNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Segments',
		name: 'segments',
		type: 'string',
		default: '',
		placeholder: 'smb, enterprise',
		description: 'Comma-separated segments of the config. Empty means all.',
		displayOptions: { show },
	},
	{
		displayName: 'Discounts',
		name: 'discounts',
		type: 'string',
		default: '',
		placeholder: '0, 0.1, 0.2, 0.25, 0.3',
		description: 'Comma-separated discount fractions (0.25 is 25%)',
		displayOptions: { show },
	},
	{
		displayName: 'Terms (Months)',
		name: 'termMonths',
		type: 'string',
		default: '',
		placeholder: '12, 24, 36',
		description: 'Comma-separated contract terms in months',
		displayOptions: { show },
	},
	{
		displayName: 'Product Mixes (JSON)',
		name: 'productMixes',
		type: 'json',
		default: '',
		placeholder: '[{ "name": "core", "products": ["platform"], "list_price_total": 40000 }]',
		description: 'A list of { name, products, list_price_total }',
		displayOptions: { show },
	},
	{
		displayName: 'Risk Levels (JSON)',
		name: 'riskLevels',
		type: 'json',
		default: '',
		placeholder: '[{ "name": "low" }, { "name": "high", "quote": { "has_non_standard_terms": true }, "contract": { "liability_cap_multiple": 3 } }]',
		description:
			'A list of { name, quote?: { has_non_standard_terms, non_standard_terms }, contract?: { jurisdiction, liability_cap_multiple } }. A contract part is also checked against activation.',
		displayOptions: { show },
	},
	{
		displayName: 'Submitted By Role',
		name: 'submitterRole',
		type: 'options',
		default: 'ae',
		options: [
			{ name: 'Account Executive', value: 'ae' },
			{ name: 'Finance', value: 'finance' },
			{ name: 'Legal', value: 'legal' },
			{ name: 'Partner Manager', value: 'partner_manager' },
			{ name: 'Sales Development Rep', value: 'sdr' },
			{ name: 'Sales Manager', value: 'sales_manager' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		options: [
			{ name: 'One Item per Combination', value: 'rows' },
			{ name: 'One Item with CSV and HTML Files', value: 'files', description: 'The summary as JSON, the table as what-if.csv (binary "csv") and what-if.html (binary "html")' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Max Combinations',
		name: 'maxCombinations',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_COMBINATIONS,
		description: 'A larger grid fails before anything is evaluated',
		displayOptions: { show },
	},
];

/** "0.1, x" → [0.1, "x"]: numbers where they are numbers, so the grid's validation names the bad entry. */
function numberList(context: IExecuteFunctions, name: string, itemIndex: number): unknown[] {
	return listParameter(context, name, itemIndex).map((entry) => (entry !== '' && Number.isFinite(Number(entry)) ? Number(entry) : entry));
}

/** The default grid with each dimension the user filled in replaced. */
function gridFrom(context: IExecuteFunctions, itemIndex: number, defaults: WhatIfGrid): Record<string, unknown> {
	const grid: Record<string, unknown> = { ...defaults, submitterRole: context.getNodeParameter('submitterRole', itemIndex, 'ae') };
	const lists: Record<string, unknown[]> = {
		segments: listParameter(context, 'segments', itemIndex),
		discounts: numberList(context, 'discounts', itemIndex),
		termMonths: numberList(context, 'termMonths', itemIndex),
	};
	for (const [name, list] of Object.entries(lists)) if (list.length > 0) grid[name] = list;
	for (const name of ['productMixes', 'riskLevels']) {
		const value = jsonValue(context, name, itemIndex);
		if (value !== undefined) grid[name] = value;
	}
	return grid;
}

export async function execute(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime): Promise<RevOpsOutput[]> {
	const { tenant, config, engine } = await runtime.settings(itemIndex);
	const maxCombinations = Number(context.getNodeParameter('maxCombinations', itemIndex, DEFAULT_MAX_COMBINATIONS));
	const result = await simulateWhatIf({ engine, config, grid: gridFrom(context, itemIndex, defaultWhatIfGrid(config)), maxCombinations });
	if (context.getNodeParameter('output', itemIndex, 'rows') !== 'files') {
		return result.rows.map((row) => ({ json: { tenant, ...row, config_version: result.config_version } as unknown as IDataObject }));
	}
	const csv = await context.helpers.prepareBinaryData(Buffer.from(whatIfCsv(result.rows), 'utf8'), 'what-if.csv', 'text/csv');
	const html = await context.helpers.prepareBinaryData(Buffer.from(whatIfHtml(result, { title: `RevOps what-if: ${tenant}` }), 'utf8'), 'what-if.html', 'text/html');
	return [
		{
			json: { tenant, summary: result.summary as unknown as IDataObject, combinations: result.rows.length, config_version: result.config_version, generated_at: result.generated_at },
			binary: { csv, html },
		},
	];
}
