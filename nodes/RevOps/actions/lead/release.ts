import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { requiredString } from '../../../shared/params';
import { inputItem } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';

export const description: INodeProperties[] = [
	{
		displayName: 'Lead ID',
		name: 'leadId',
		type: 'string',
		required: true,
		default: '={{ $json.lead.id }}',
		description: 'The lead whose owner has worked, closed or handed it on: frees a slot of that owner\'s capacity',
		displayOptions: { show: { resource: ['lead'], operation: ['release'] } },
	},
];

/** Outputs the item with `release: { tenant, lead_id, released }`; released is false when the slot was already free. */
export async function execute(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime): Promise<RevOpsOutput[]> {
	const leadId = requiredString(context, 'leadId', itemIndex, 'the lead ID given when it was assigned');
	const { tenant } = await runtime.settings(itemIndex);
	const released = await runtime.routingStore().release({ tenant, leadId });
	const item = inputItem(context, itemIndex);
	return [{ json: { ...item.json, release: { tenant, lead_id: leadId, released } }, binary: item.binary }];
}
