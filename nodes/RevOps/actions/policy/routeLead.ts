import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { parseJson } from '../../../shared/params';
import { jsonValue } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';
import { evaluateForItem } from './common';

/** Lead and account fields, shared with Lead → Assign (which routes with the same policy). */
export const leadFields: INodeProperties[] = [
	{
		displayName: 'Lead (JSON)',
		name: 'lead',
		type: 'json',
		required: true,
		default: '={{ $json.lead }}',
		description: 'The lead (its ID is required) with email, country, state, company_size, segment, arr_estimate, source, … in snake_case, as Lead → Normalise outputs it',
		displayOptions: { show: { resource: ['policy', 'lead'], operation: ['routeLead', 'assign'] } },
	},
	{
		displayName: 'Account (JSON)',
		name: 'account',
		type: 'json',
		default: '={{ $json.account }}',
		description: 'The matched account, if any: its ID, owner_id and customer_status (customer, prospect or churned). Empty means none.',
		displayOptions: { show: { resource: ['policy', 'lead'], operation: ['routeLead', 'assign'] } },
	},
];

/** The lead_routing attributes from the Lead and Account parameters (plus routing state, when given). */
export function leadRoutingAttributes(context: IExecuteFunctions, itemIndex: number, routingState?: unknown): Record<string, unknown> {
	const attributes: Record<string, unknown> = { lead: jsonValue(context, 'lead', itemIndex) };
	const account = jsonValue(context, 'account', itemIndex);
	if (account !== undefined) attributes.account = account;
	if (routingState !== undefined) attributes.routing_state = routingState;
	return attributes;
}

export async function execute(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime): Promise<RevOpsOutput[]> {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const routingState = parseJson(options.routingState, 'options.routingState', undefined);
	return evaluateForItem(context, itemIndex, runtime, 'lead_routing', leadRoutingAttributes(context, itemIndex, routingState));
}
