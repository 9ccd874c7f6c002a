import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { createRefund, type CreateRefundInput, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, metadataOption, showFor } from '../../descriptions';
import { optionsParameter, parseJson, stringParameter, withoutBlanks } from '../../params';

const TARGET_FIELD: Record<string, keyof CreateRefundInput> = {
	paymentIntent: 'paymentIntentId',
	charge: 'chargeId',
	invoice: 'invoiceId',
};

export const description: INodeProperties[] = [
	businessKeyField('refund', 'create'),
	{
		displayName: 'Refund For',
		name: 'refundFor',
		type: 'options',
		default: 'invoice',
		options: [
			{ name: 'Invoice', value: 'invoice', description: "Refund the invoice's paid payment" },
			{ name: 'Payment Intent', value: 'paymentIntent' },
			{ name: 'Charge', value: 'charge' },
		],
		displayOptions: showFor('refund', 'create'),
	},
	{
		displayName: 'Target ID',
		name: 'targetId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'in_…, pi_… or ch_…',
		description: 'ID of the invoice, payment intent or charge to refund',
		displayOptions: showFor('refund', 'create'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('refund', 'create'),
		options: [
			{ displayName: 'Amount', name: 'amount', type: 'number', default: 0, description: 'In minor units (cents). Leave 0 to refund everything refundable.' },
			metadataOption,
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'options',
				default: 'requested_by_customer',
				options: [
					{ name: 'Duplicate', value: 'duplicate' },
					{ name: 'Fraudulent', value: 'fraudulent' },
					{ name: 'Requested By Customer', value: 'requested_by_customer' },
				],
			},
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const refundFor = stringParameter(context, 'refundFor', itemIndex);
	const input = withoutBlanks({
		businessKey: stringParameter(context, 'businessKey', itemIndex),
		[TARGET_FIELD[refundFor] ?? 'invoiceId']: stringParameter(context, 'targetId', itemIndex),
		amount: options.amount ? options.amount : undefined,
		reason: options.reason,
		metadata: parseJson(options.metadata, 'options.metadata', {}),
	}) as unknown as CreateRefundInput;
	return (await createRefund(client, input)) as unknown as IDataObject;
};
