import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getUsage, type GetUsageInput, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { customerLocator, showFor } from '../../descriptions';
import { locatorParameter, stringParameter, timeParameter, withoutBlanks } from '../../params';
import { eventNameField } from './report';

const show = showFor('usage', 'get');

export const description: INodeProperties[] = [
	customerLocator('usage', 'get'),
	eventNameField('get'),
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'From (inclusive), e.g. the start of the billing period. Without a time zone it is read as UTC.',
		displayOptions: show,
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Until (exclusive). Empty: now. Stripe counts usage asynchronously, so the newest events may be missing.',
		displayOptions: show,
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const input = withoutBlanks({
		customerId: locatorParameter(context, 'customerId', itemIndex),
		eventName: stringParameter(context, 'eventName', itemIndex),
		startTime: timeParameter(context, 'startTime', itemIndex),
		endTime: timeParameter(context, 'endTime', itemIndex),
	}) as unknown as GetUsageInput;
	return (await getUsage(client, input)) as unknown as IDataObject;
};
