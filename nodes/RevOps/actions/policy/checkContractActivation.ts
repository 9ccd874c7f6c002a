import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonValue, listParameter } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';
import { evaluateForItem } from './common';

const show = { resource: ['policy'], operation: ['checkContractActivation'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Contract (JSON)',
		name: 'contract',
		type: 'json',
		required: true,
		default: '={{ $json.contract }}',
		description: 'The contract: its ID and signed (both required), jurisdiction, term_length_months, liability_cap_multiple, has_non_standard_terms',
		displayOptions: { show },
	},
	{
		displayName: 'Approvals Present',
		name: 'approvals',
		type: 'string',
		default: '={{ $json.approvals }}',
		placeholder: 'SALES_MANAGER, FINANCE',
		description: 'Approval roles granted on the deal: a list, or comma-separated text',
		displayOptions: { show },
	},
	{
		displayName: 'Approvals Required',
		name: 'requiredApprovals',
		type: 'string',
		default: '={{ $json.required_approvals }}',
		placeholder: 'SALES_MANAGER, FINANCE',
		description: 'Approval roles the deal needed (e.g. Evaluate Quote\'s decision.required_approvals): a list, or comma-separated text',
		displayOptions: { show },
	},
	{
		displayName: 'Receipts Recorded',
		name: 'receipts',
		type: 'string',
		default: '={{ $json.receipts }}',
		placeholder: 'contract.signed, payment_method.attached',
		description: "Receipt types already on the deal's evidence chain: a list, or comma-separated text. Activation needs the config's required receipts.",
		displayOptions: { show },
	},
];

export async function execute(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime): Promise<RevOpsOutput[]> {
	return evaluateForItem(context, itemIndex, runtime, 'contract_activation', {
		contract: jsonValue(context, 'contract', itemIndex),
		approvals: listParameter(context, 'approvals', itemIndex),
		required_approvals: listParameter(context, 'requiredApprovals', itemIndex),
		receipts: listParameter(context, 'receipts', itemIndex),
	});
}
