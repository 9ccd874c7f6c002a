import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getPriceByLookupKey, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { showFor } from '../../descriptions';
import { stringParameter } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'Lookup Key',
		name: 'lookupKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. professional_monthly',
		description: 'The lookup_key of an active Stripe price',
		displayOptions: showFor('price', 'getByLookupKey'),
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const result = await getPriceByLookupKey(client, { lookupKey: stringParameter(context, 'lookupKey', itemIndex) });
	return result as unknown as IDataObject;
};
