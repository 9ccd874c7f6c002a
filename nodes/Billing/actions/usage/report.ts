import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { reportUsage, type ReportUsageInput, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { customerLocator, showFor } from '../../descriptions';
import { locatorParameter, optionsParameter, stringParameter, timeParameter, withoutBlanks } from '../../params';

const show = showFor('usage', 'report');

/** The meter's event name: shared by Report and Get. */
export function eventNameField(operation: string): INodeProperties {
	return {
		displayName: 'Meter Event Name',
		name: 'eventName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. api_calls',
		description: 'The event_name of the Stripe billing meter',
		displayOptions: showFor('usage', operation),
	};
}

export const description: INodeProperties[] = [
	{
		displayName: 'Usage Record ID',
		name: 'usageRecordId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. acme-2026-12-01-api',
		description: 'Your ID for this usage record. A repeat with the same ID is never billed twice (it becomes the meter event identifier).',
		displayOptions: show,
	},
	eventNameField('report'),
	customerLocator('usage', 'report'),
	{
		displayName: 'Value',
		name: 'value',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 1,
		description: 'The whole, non-negative quantity used',
		displayOptions: show,
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'dateTime',
		default: '',
		description: 'When the usage happened (within the past 35 days). Empty: when Stripe receives it. Without a time zone it is read as UTC.',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Customer Payload Key',
				name: 'customerPayloadKey',
				type: 'string',
				default: 'stripe_customer_id',
				description: "The meter's customer mapping key, when not Stripe's default",
			},
			{ displayName: 'Value Payload Key', name: 'valuePayloadKey', type: 'string', default: 'value', description: "The meter's value key, when not Stripe's default" },
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const input = withoutBlanks({
		usageRecordId: stringParameter(context, 'usageRecordId', itemIndex),
		eventName: stringParameter(context, 'eventName', itemIndex),
		customerId: locatorParameter(context, 'customerId', itemIndex),
		value: context.getNodeParameter('value', itemIndex, '') as unknown,
		timestamp: timeParameter(context, 'timestamp', itemIndex),
		customerPayloadKey: options.customerPayloadKey,
		valuePayloadKey: options.valuePayloadKey,
	}) as unknown as ReportUsageInput;
	return (await reportUsage(client, input)) as unknown as IDataObject;
};
