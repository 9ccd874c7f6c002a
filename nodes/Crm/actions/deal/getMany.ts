import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import { returnAllFields } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import { searchField } from '../../descriptions';
import { collectPages, listParameters } from '../../params';

export const description: INodeProperties[] = [
	searchField('deal', 'getMany', 'deal names'),
	...returnAllFields({ resource: ['deal'], operation: ['getMany'] }),
];

/** One output item per deal, most recently changed first. */
export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const { query, limit } = listParameters(context, itemIndex);
	const deals = await collectPages((search) => provider.searchDeals(search), query, limit);
	return deals as unknown as IDataObject[];
};
