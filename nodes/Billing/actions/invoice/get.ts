import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getInvoice, type StripeBillingClient } from '../../../../connectors/billing';
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
		displayOptions: showFor('invoice', 'get'),
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const result = await getInvoice(client, { invoiceId: stringParameter(context, 'invoiceId', itemIndex) });
	return result as unknown as IDataObject;
};
