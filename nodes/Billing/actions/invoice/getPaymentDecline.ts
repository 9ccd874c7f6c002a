import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getInvoicePaymentDecline, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { showFor } from '../../descriptions';
import { stringParameter } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'in_…',
		description: 'The invoice whose payment failed, e.g. from an invoice.payment_failed event of the Stripe Trigger',
		displayOptions: showFor('invoice', 'getPaymentDecline'),
	},
];

/**
 * One item whatever the answer: `declined` false (and `decline` null) when the last attempt was no card decline; with
 * the invoice's `attemptCount`, `billingReason` (subscription_create: the checkout's first payment), status and subscription.
 */
export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const result = await getInvoicePaymentDecline(client, { invoiceId: stringParameter(context, 'invoiceId', itemIndex) });
	return result as unknown as IDataObject;
};
