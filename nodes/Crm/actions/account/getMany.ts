import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import { returnAllFields } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import { searchField } from '../../descriptions';
import { collectPages, listParameters } from '../../params';

export const description: INodeProperties[] = [
	searchField('account', 'getMany', 'account (company) names'),
	...returnAllFields({ resource: ['account'], operation: ['getMany'] }),
];

/** One output item per account. */
export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const { query, limit } = listParameters(context, itemIndex);
	return (await collectPages((search) => provider.searchAccounts(search), query, limit)) as unknown as IDataObject[];
};
