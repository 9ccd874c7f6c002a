import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { listInvoices, type ListInvoicesInput, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { customerLocator, showFor, subscriptionLocator } from '../../descriptions';
import { locatorParameter, optionsParameter, stringParameter, withoutBlanks } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'List By',
		name: 'listBy',
		type: 'options',
		default: 'subscription',
		options: [
			{ name: 'Subscription', value: 'subscription' },
			{ name: 'Customer', value: 'customer' },
		],
		displayOptions: showFor('invoice', 'list'),
	},
	subscriptionLocator('invoice', 'list', { displayOptions: { show: { resource: ['invoice'], operation: ['list'], listBy: ['subscription'] } } }),
	customerLocator('invoice', 'list', { displayOptions: { show: { resource: ['invoice'], operation: ['list'], listBy: ['customer'] } } }),
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: showFor('invoice', 'list'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('invoice', 'list'),
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'open',
				options: [
					{ name: 'Draft', value: 'draft' },
					{ name: 'Open', value: 'open' },
					{ name: 'Paid', value: 'paid' },
					{ name: 'Uncollectible', value: 'uncollectible' },
					{ name: 'Void', value: 'void' },
				],
			},
		],
	},
];

/** One output item per invoice. */
export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const listBy = stringParameter(context, 'listBy', itemIndex);
	const id = locatorParameter(context, listBy === 'customer' ? 'customerId' : 'subscriptionId', itemIndex);
	const options = optionsParameter(context, itemIndex);
	const input = withoutBlanks({
		[listBy === 'customer' ? 'customerId' : 'subscriptionId']: id,
		limit: context.getNodeParameter('limit', itemIndex, 50) as number,
		status: options.status,
	}) as ListInvoicesInput;
	return (await listInvoices(client, input)) as unknown as IDataObject[];
};
