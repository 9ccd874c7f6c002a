import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateSubscription, type StripeBillingClient, type UpdateSubscriptionInput } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, lineItemsField, metadataOption, priceMappingField, priceSourceOption, showFor, subscriptionLocator } from '../../descriptions';
import { jsonParameter, locatorParameter, optionsParameter, parseJson, stringParameter, withoutBlanks } from '../../params';

export const description: INodeProperties[] = [
	businessKeyField('subscription', 'update'),
	subscriptionLocator('subscription', 'update'),
	lineItemsField('subscription', 'update'),
	priceMappingField('subscription', 'update'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('subscription', 'update'),
		options: [
			metadataOption,
			priceSourceOption,
			{
				displayName: 'Proration Behavior',
				name: 'prorationBehavior',
				type: 'options',
				default: 'create_prorations',
				options: [
					{ name: 'Always Invoice', value: 'always_invoice' },
					{ name: 'Create Prorations', value: 'create_prorations' },
					{ name: 'None', value: 'none' },
				],
			},
			{
				displayName: 'Proration Date',
				name: 'prorationDate',
				type: 'number',
				default: 0,
				description: 'Prorate as of this time (Unix seconds), e.g. the Proration Date of Invoice → Preview, so the charge is the amount previewed; 0: now',
			},
			{
				displayName: 'Remove Items Not in Contract',
				name: 'removeMissing',
				type: 'boolean',
				default: true,
				description: 'Whether to delete subscription items whose SKU is no longer in the line items',
			},
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const input = withoutBlanks({
		businessKey: stringParameter(context, 'businessKey', itemIndex),
		subscriptionId: locatorParameter(context, 'subscriptionId', itemIndex),
		lineItems: jsonParameter(context, 'lineItems', itemIndex, []),
		priceMapping: jsonParameter(context, 'priceMapping', itemIndex, {}),
		priceSource: options.priceSource,
		prorationBehavior: options.prorationBehavior,
		prorationDate: Number(options.prorationDate) > 0 ? Number(options.prorationDate) : undefined,
		removeMissing: options.removeMissing,
		metadata: parseJson(options.metadata, 'options.metadata', {}),
	}) as unknown as UpdateSubscriptionInput;
	return (await updateSubscription(client, input)) as unknown as IDataObject;
};
