import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { cancelSubscription, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, showFor, subscriptionLocator } from '../../descriptions';
import { locatorParameter, optionsParameter, stringParameter, withoutBlanks } from '../../params';

export const description: INodeProperties[] = [
	businessKeyField('subscription', 'cancel'),
	subscriptionLocator('subscription', 'cancel'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('subscription', 'cancel'),
		options: [
			{ displayName: 'Comment', name: 'comment', type: 'string', default: '', description: 'Why the subscription was cancelled (kept in Stripe)' },
			{ displayName: 'Invoice Now', name: 'invoiceNow', type: 'boolean', default: false, description: 'Whether to invoice pending usage and prorations now' },
			{ displayName: 'Prorate', name: 'prorate', type: 'boolean', default: false, description: 'Whether to credit the unused part of the period' },
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const result = await cancelSubscription(
		client,
		withoutBlanks({
			businessKey: stringParameter(context, 'businessKey', itemIndex),
			subscriptionId: locatorParameter(context, 'subscriptionId', itemIndex),
			invoiceNow: options.invoiceNow as boolean | undefined,
			prorate: options.prorate as boolean | undefined,
			comment: options.comment as string | undefined,
		}),
	);
	return result as unknown as IDataObject;
};
