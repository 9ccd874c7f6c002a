import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import type { OperationHandler } from '../../../shared/router';
import { dealLocator, showFor } from '../../descriptions';
import { optionsParameter, requiredLocator } from '../../params';

export const description: INodeProperties[] = [
	...dealLocator('deal', 'get'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('deal', 'get'),
		options: [
			{
				displayName: 'Extra Fields',
				name: 'properties',
				type: 'string',
				default: '',
				placeholder: 'e.g. Subscription_Id__c, NextStep',
				description: 'Comma-separated custom fields (Salesforce) or properties (HubSpot) to read as well',
			},
		],
	},
];

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const dealId = requiredLocator(context, 'dealId', itemIndex, 'a deal ID');
	const properties = String(optionsParameter(context, itemIndex).properties ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const deal = properties.length > 0 ? await provider.getDeal(dealId, properties) : await provider.getDeal(dealId);
	return deal as unknown as IDataObject;
};
