import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getCheckoutSession, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { showFor } from '../../descriptions';
import { stringParameter } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'Checkout Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'cs_…',
		description: 'The session to re-check, e.g. the session_id on the success page or in a Stripe Trigger event',
		displayOptions: showFor('checkout', 'get'),
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const result = await getCheckoutSession(client, { sessionId: stringParameter(context, 'sessionId', itemIndex) });
	return result as unknown as IDataObject;
};
