import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { previewSubscriptionChange, type PreviewSubscriptionChangeInput, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { lineItemsField, priceMappingField, priceSourceOption, showFor, subscriptionLocator } from '../../descriptions';
import { jsonParameter, locatorParameter, optionsParameter, timeParameter, withoutBlanks } from '../../params';

export const description: INodeProperties[] = [
	subscriptionLocator('invoice', 'preview'),
	lineItemsField('invoice', 'preview'),
	priceMappingField('invoice', 'preview'),
	{
		displayName: 'Proration Date',
		name: 'prorationDate',
		type: 'string',
		default: '',
		placeholder: '1767225600',
		description: 'Prorate as of this time (Unix seconds); blank: now. The output carries the date used: pass it to Subscription → Update so the charge equals the preview.',
		displayOptions: showFor('invoice', 'preview'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('invoice', 'preview'),
		options: [
			priceSourceOption,
			{
				displayName: 'Proration Behavior',
				name: 'prorationBehavior',
				type: 'options',
				default: 'always_invoice',
				options: [
					{ name: 'Always Invoice', value: 'always_invoice' },
					{ name: 'Create Prorations', value: 'create_prorations' },
					{ name: 'None', value: 'none' },
				],
			},
			{ displayName: 'Remove Items Not in Contract', name: 'removeMissing', type: 'boolean', default: true, description: 'Whether items whose SKU is not in the line items would be removed' },
		],
	},
];

/** The prorated invoice a subscription change would make (Stripe invoices.createPreview); changes nothing. */
export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const input = withoutBlanks({
		subscriptionId: locatorParameter(context, 'subscriptionId', itemIndex),
		lineItems: jsonParameter(context, 'lineItems', itemIndex, []),
		priceMapping: jsonParameter(context, 'priceMapping', itemIndex, {}),
		priceSource: options.priceSource,
		prorationBehavior: options.prorationBehavior,
		removeMissing: options.removeMissing,
		prorationDate: timeParameter(context, 'prorationDate', itemIndex),
	}) as unknown as PreviewSubscriptionChangeInput;
	return (await previewSubscriptionChange(client, input)) as unknown as IDataObject;
};
