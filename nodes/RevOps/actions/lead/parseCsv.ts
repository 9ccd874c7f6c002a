import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import { DEFAULT_MAX_CSV_ROWS, parseLeadCsv, type LeadSource } from '../../../../connectors/revops/leads';
import { inputItem } from '../../fields';
import type { RevOpsOutput } from '../../router';
import { sourceOptions } from './normalise';

const show = { resource: ['lead'], operation: ['parseCsv'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Read CSV From',
		name: 'csvFrom',
		type: 'options',
		default: 'binary',
		options: [
			{ name: 'File (Binary Field)', value: 'binary' },
			{ name: 'Text', value: 'text' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the CSV, e.g. a Form Trigger file field',
		displayOptions: { show: { ...show, csvFrom: ['binary'] } },
	},
	{
		displayName: 'CSV Text',
		name: 'csvText',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		placeholder: 'email,first_name,company,country\nana@acme.com,Ana,Acme,GB',
		displayOptions: { show: { ...show, csvFrom: ['text'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Max Rows',
				name: 'maxRows',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_CSV_ROWS,
				description: 'A larger file fails as a whole (split it) rather than flooding the workflow',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				default: 'csv',
				options: sourceOptions,
				description: 'Recorded as lead.source; part of the lead ID when a row has none',
			},
		],
	},
];

async function csvText(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	if (context.getNodeParameter('csvFrom', itemIndex, 'binary') === 'text') return String(context.getNodeParameter('csvText', itemIndex, '') ?? '');
	const name = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (!inputItem(context, itemIndex).binary?.[name]) throw validationError(name || 'binaryPropertyName', `a CSV file in the input's binary field "${name}"`);
	return (await context.helpers.getBinaryDataBuffer(itemIndex, name)).toString('utf8');
}

/** One item per lead on "Leads"; one item per rejected row (row number, column, why) on "Invalid Rows". */
export async function execute(context: IExecuteFunctions, itemIndex: number): Promise<RevOpsOutput[]> {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { leads, errors } = parseLeadCsv(await csvText(context, itemIndex), {
		maxRows: typeof options.maxRows === 'number' ? options.maxRows : undefined,
		source: (options.source as LeadSource | undefined) ?? 'csv',
	});
	return [
		...leads.map(({ row, lead, context: leadContext }) => ({ json: { row, lead: lead as IDataObject, lead_context: leadContext as unknown as IDataObject } })),
		...errors.map((error) => ({ json: { ...error } as IDataObject, secondary: true })),
	];
}
