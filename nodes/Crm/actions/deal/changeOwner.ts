import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import type { OperationHandler } from '../../../shared/router';
import { dealLocator, ownerLocator } from '../../descriptions';
import { requiredLocator } from '../../params';

export const description: INodeProperties[] = [
	...dealLocator('deal', 'changeOwner'),
	...ownerLocator('deal', 'changeOwner', { required: true, description: 'The new owner' }),
];

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const dealId = requiredLocator(context, 'dealId', itemIndex, 'a deal ID');
	const ownerId = requiredLocator(context, 'ownerId', itemIndex, 'an owner (user) ID');
	return (await provider.changeOwner(dealId, ownerId)) as unknown as IDataObject;
};
