import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../../connectors/crm';
import { ConnectorError } from '../../../../connectors/core';
import type { OperationHandler } from '../../../shared/router';
import { showFor } from '../../descriptions';
import { optionsParameter, requiredString } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'Domain',
		name: 'domain',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. acme.com, https://www.acme.com or ops@acme.com',
		description: 'A domain, website URL or email address; matched on the account website (Salesforce) or company domain (HubSpot)',
		displayOptions: showFor('account', 'findByDomain'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('account', 'findByDomain'),
		options: [
			{
				displayName: 'Error If Not Found',
				name: 'errorIfNotFound',
				type: 'boolean',
				default: false,
				description: 'Whether to fail when no account matches, instead of returning {"found": false}',
			},
		],
	},
];

/** The matching account with `found: true`, or `{ found: false }` (or a not_found error when asked to). */
export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const domain = requiredString(context, 'domain', itemIndex, 'a domain, URL or email address');
	const account = await provider.findAccountByDomain(domain);
	if (account) return { found: true, ...account } as unknown as IDataObject;
	if (optionsParameter(context, itemIndex).errorIfNotFound === true) {
		throw new ConnectorError('not_found', `No ${provider.name} account matches "${domain}"`, { vendor: provider.name, field: 'domain' });
	}
	return { found: false, domain, provider: provider.name };
};
