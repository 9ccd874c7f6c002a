import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { createSubscription, type CreateSubscriptionInput, type StripeBillingClient } from '../../../../connectors/billing';
import { attemptField, attemptOf } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, customerLocator, lineItemsField, metadataOption, priceMappingField, priceSourceOption, showFor } from '../../descriptions';
import { jsonParameter, locatorParameter, optionsParameter, parseJson, stringParameter, withoutBlanks } from '../../params';

export const description: INodeProperties[] = [
	businessKeyField('subscription', 'create'),
	customerLocator('subscription', 'create'),
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. usd',
		description: 'ISO 4217 currency of the contract',
		displayOptions: showFor('subscription', 'create'),
	},
	lineItemsField('subscription', 'create'),
	priceMappingField('subscription', 'create'),
	{ ...attemptField, displayOptions: showFor('subscription', 'create') },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('subscription', 'create'),
		options: [
			{
				displayName: 'Collection Method',
				name: 'collectionMethod',
				type: 'options',
				default: 'send_invoice',
				options: [
					{ name: 'Send Invoice', value: 'send_invoice' },
					{ name: 'Charge Automatically', value: 'charge_automatically' },
				],
			},
			{ displayName: 'Days Until Due', name: 'daysUntilDue', type: 'number', default: 30, description: 'For invoiced subscriptions' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			metadataOption,
			priceSourceOption,
			{ displayName: 'Trial Period Days', name: 'trialPeriodDays', type: 'number', default: 0 },
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const input = withoutBlanks({
		businessKey: stringParameter(context, 'businessKey', itemIndex),
		customerId: locatorParameter(context, 'customerId', itemIndex),
		currency: stringParameter(context, 'currency', itemIndex),
		lineItems: jsonParameter(context, 'lineItems', itemIndex, []),
		priceMapping: jsonParameter(context, 'priceMapping', itemIndex, {}),
		priceSource: options.priceSource,
		collectionMethod: options.collectionMethod,
		daysUntilDue: options.daysUntilDue,
		trialPeriodDays: options.trialPeriodDays ? options.trialPeriodDays : undefined,
		description: options.description,
		metadata: parseJson(options.metadata, 'options.metadata', {}),
		attempt: attemptOf(context, itemIndex),
	}) as unknown as CreateSubscriptionInput;
	return (await createSubscription(client, input)) as unknown as IDataObject;
};
