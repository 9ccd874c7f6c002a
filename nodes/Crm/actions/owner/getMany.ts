import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import { returnAllFields } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import { searchField } from '../../descriptions';
import { collectPages, listParameters } from '../../params';

export const description: INodeProperties[] = [
	searchField('owner', 'getMany', 'owner names and emails'),
	...returnAllFields({ resource: ['owner'], operation: ['getMany'] }),
];

/** One output item per owner (Salesforce active users / HubSpot owners). */
export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const { query, limit } = listParameters(context, itemIndex);
	return (await collectPages((search) => provider.listOwners(search), query, limit)) as unknown as IDataObject[];
};
