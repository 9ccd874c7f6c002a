import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { findOrCreateCustomer, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, metadataOption, showFor } from '../../descriptions';
import { optionsParameter, parseJson, stringParameter, withoutBlanks } from '../../params';

export const description: INodeProperties[] = [
	businessKeyField('customer', 'findOrCreate'),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'Customer (company) name, used only when the customer is created',
		displayOptions: showFor('customer', 'findOrCreate'),
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Billing email, used to create the customer and to find it while search catches up',
		displayOptions: showFor('customer', 'findOrCreate'),
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'string',
		default: '',
		placeholder: 'e.g. US',
		description: 'ISO-3166 alpha-2 country code for the billing address',
		displayOptions: showFor('customer', 'findOrCreate'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('customer', 'findOrCreate'),
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			metadataOption,
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const result = await findOrCreateCustomer(
		client,
		withoutBlanks({
			businessKey: stringParameter(context, 'businessKey', itemIndex),
			name: stringParameter(context, 'name', itemIndex),
			email: stringParameter(context, 'email', itemIndex),
			country: stringParameter(context, 'country', itemIndex),
			description: options.description as string | undefined,
			metadata: parseJson(options.metadata, 'options.metadata', {}) as Record<string, string>,
		}),
	);
	return result as unknown as IDataObject;
};
