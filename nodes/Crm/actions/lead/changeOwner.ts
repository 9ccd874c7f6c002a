import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import type { OperationHandler } from '../../../shared/router';
import { leadLocator, ownerLocator } from '../../descriptions';
import { requiredLocator } from '../../params';

export const description: INodeProperties[] = [
	...leadLocator('lead', 'changeOwner'),
	...ownerLocator('lead', 'changeOwner', { required: true, description: 'The routed owner. Already the owner: nothing is written and the output says changed: false.' }),
];

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const leadId = requiredLocator(context, 'leadId', itemIndex, 'a lead ID');
	const ownerId = requiredLocator(context, 'ownerId', itemIndex, 'an owner (user) ID');
	return (await provider.changeLeadOwner(leadId, ownerId)) as unknown as IDataObject;
};
