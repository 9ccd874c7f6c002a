import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { LEAD_SOURCES, normaliseLeadWithContext, type LeadSource } from '../../../../connectors/revops/leads';
import { jsonValue, inputItem } from '../../fields';
import type { RevOpsOutput } from '../../router';

const SOURCE_NAMES: Record<LeadSource, string> = {
	crm: 'CRM Record (HubSpot, Salesforce)',
	csv: 'CSV Row',
	marketing_form: 'Marketing Form',
	partner: 'Partner Handoff',
	product_signal: 'Product Signal',
};

/** The lead sources as editor options (sorted by name, as n8n's lint wants). */
export const sourceOptions = LEAD_SOURCES.map((value) => ({ name: SOURCE_NAMES[value], value })).sort((a, b) => a.name.localeCompare(b.name));

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'marketing_form',
		options: sourceOptions,
		description: 'Where the lead came from; recorded as lead.source and part of the lead ID when the payload has none',
		displayOptions: { show: { resource: ['lead'], operation: ['normalise'] } },
	},
	{
		displayName: 'Payload (JSON)',
		name: 'payload',
		type: 'json',
		required: true,
		default: '={{ $json }}',
		description: 'The form post, partner payload, product event or CRM record (a Webhook item is read from its body and query)',
		displayOptions: { show: { resource: ['lead'], operation: ['normalise'] } },
	},
];

/** Outputs the item with `lead` (the lead_routing attributes) and `lead_context` (names, UTM tags, landing page, …). */
export async function execute(context: IExecuteFunctions, itemIndex: number): Promise<RevOpsOutput[]> {
	const source = context.getNodeParameter('source', itemIndex) as LeadSource;
	const { lead, context: leadContext } = normaliseLeadWithContext(jsonValue(context, 'payload', itemIndex), source);
	const item = inputItem(context, itemIndex);
	return [{ json: { ...item.json, lead: lead as IDataObject, lead_context: leadContext as unknown as IDataObject }, binary: item.binary }];
}
