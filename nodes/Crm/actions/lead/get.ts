import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider, LeadTouchOptions } from '../../../../connectors/crm';
import type { OperationHandler } from '../../../shared/router';
import { leadLocator, showFor } from '../../descriptions';
import { optionsParameter, requiredLocator } from '../../params';

export const description: INodeProperties[] = [
	...leadLocator('lead', 'get'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('lead', 'get'),
		options: [
			{
				displayName: 'Assigned At',
				name: 'assignedAt',
				type: 'dateTime',
				default: '',
				description:
					'When the lead was routed to its owner (UTC unless an offset is given): only activities from then on make it touched. Empty: HubSpot uses the owner assignment date; Salesforce counts any activity.',
			},
			{
				displayName: 'Initial Statuses',
				name: 'initialStatuses',
				type: 'string',
				default: '',
				placeholder: 'e.g. Open - Not Contacted, New',
				description: 'Comma-separated statuses that still count as untouched. Empty: Open - Not Contacted (Salesforce), NEW (HubSpot).',
			},
		],
	},
];

/** The lead with `touched`: its status left the initial ones, or an activity was logged since the assignment. */
export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const leadId = requiredLocator(context, 'leadId', itemIndex, 'a lead ID');
	const options = optionsParameter(context, itemIndex);
	const touch: LeadTouchOptions = {};
	const assignedAt = String(options.assignedAt ?? '').trim();
	// A value without an offset (the date picker's) is read as UTC.
	if (assignedAt) touch.assignedAt = /[zZ]|[+-]\d{2}:?\d{2}$/.test(assignedAt) ? assignedAt : `${assignedAt}Z`;
	const initialStatuses = String(options.initialStatuses ?? '')
		.split(',')
		.map((status) => status.trim())
		.filter((status) => status !== '');
	if (initialStatuses.length > 0) touch.initialStatuses = initialStatuses;
	const lead = Object.keys(touch).length > 0 ? await provider.getLead(leadId, touch) : await provider.getLead(leadId);
	return lead as unknown as IDataObject;
};
