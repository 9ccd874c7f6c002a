import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonValue } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';
import { evaluateForItem } from './common';

const show = { resource: ['policy'], operation: ['evaluateQuote'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Quote (JSON)',
		name: 'quote',
		type: 'json',
		required: true,
		default: '={{ $json.quote }}',
		description: 'The quote: its ID, segment, list_price_total, discount_percentage (0–1), term_length_months, has_non_standard_terms, non_standard_terms, arr, product_mix',
		displayOptions: { show },
	},
	{
		displayName: 'Submitted By Role',
		name: 'userRole',
		type: 'options',
		default: 'ae',
		// Sorted by name, as n8n's lint wants; the roles' order of authority is in the rules, not here.
		options: [
			{ name: 'Account Executive', value: 'ae' },
			{ name: 'Finance', value: 'finance' },
			{ name: 'Legal', value: 'legal' },
			{ name: 'Partner Manager', value: 'partner_manager' },
			{ name: 'Sales Development Rep', value: 'sdr' },
			{ name: 'Sales Manager', value: 'sales_manager' },
		],
		description: "The submitter's role: it sets their self-approval limit, and their own role never counts as an approval",
		displayOptions: { show },
	},
	{
		displayName: 'Submitted By User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'user:ae-7',
		description: 'Optional; recorded with the decision',
		displayOptions: { show },
	},
];

export async function execute(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime): Promise<RevOpsOutput[]> {
	const userId = String(context.getNodeParameter('userId', itemIndex, '') ?? '').trim();
	const user = { role: context.getNodeParameter('userRole', itemIndex), ...(userId ? { id: userId } : {}) };
	return evaluateForItem(context, itemIndex, runtime, 'discount_approvals', { quote: jsonValue(context, 'quote', itemIndex), user });
}
