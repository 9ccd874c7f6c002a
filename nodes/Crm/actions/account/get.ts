import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import type { OperationHandler } from '../../../shared/router';
import { accountLocator } from '../../descriptions';
import { requiredLocator } from '../../params';

export const description: INodeProperties[] = [...accountLocator('account', 'get')];

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const accountId = requiredLocator(context, 'accountId', itemIndex, 'an account ID');
	return (await provider.getAccount(accountId)) as unknown as IDataObject;
};
