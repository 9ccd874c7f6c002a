import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { createCheckoutSession, type CreateCheckoutSessionInput, type StripeBillingClient } from '../../../../connectors/billing';
import { attemptField, attemptOf } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, metadataOption, showFor } from '../../descriptions';
import { listParameter, numberParameter, optionsParameter, parseJson, stringParameter, withoutBlanks } from '../../params';

// The resource is "checkout" so the default receipt step is billing.checkout.create, the connector's step name.
const show = showFor('checkout', 'create');

export const description: INodeProperties[] = [
	{
		...businessKeyField('checkout', 'create'),
		description:
			'The signup or order this checkout pays for, sent as client_reference_id. A repeat with the same key returns the open or completed session instead of a second one; the Stripe Trigger starts provisioning once per key.',
	},
	{
		displayName: 'Tier',
		name: 'tier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. professional',
		description: 'The plan tier chosen, stored on the session and subscription (the Stripe Trigger outputs it)',
		displayOptions: show,
	},
	{
		displayName: 'Price Lookup Key',
		name: 'lookupKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. professional_monthly',
		description: "The lookup_key of the tier's active Stripe price",
		displayOptions: show,
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 1,
		description: 'Seats or units of the tier price. 0 when the tier price is metered (billed by reported usage).',
		displayOptions: show,
	},
	{
		displayName: 'Customer Email',
		name: 'customerEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Prefills the payment page; Stripe creates the customer. Leave empty when an existing customer is set in the options.',
		displayOptions: show,
	},
	{
		displayName: 'Success URL',
		name: 'successUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://app.example.com/welcome',
		description: 'Where Stripe sends the customer after paying (https; http only for localhost). session_id={CHECKOUT_SESSION_ID} is added when missing.',
		displayOptions: show,
	},
	{
		displayName: 'Cancel URL',
		name: 'cancelUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://app.example.com/plans',
		description: 'Where Stripe sends the customer who goes back without paying',
		displayOptions: show,
	},
	{ ...attemptField, description: 'Which attempt at this signup (0 first). A later attempt with other prices gets a fresh session.', displayOptions: show },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Existing Customer ID',
				name: 'customerId',
				type: 'string',
				default: '',
				placeholder: 'cus_…',
				description: 'Charge an existing Stripe customer instead of creating one from the email',
			},
			{
				displayName: 'Metered Price Lookup Keys',
				name: 'meteredLookupKeys',
				type: 'string',
				default: '',
				placeholder: 'e.g. api_calls_monthly, storage_gb_monthly',
				description: 'Comma-separated lookup_keys of metered prices added to the subscription (no quantity: billed by reported usage)',
			},
			metadataOption,
			{
				displayName: 'Payment Method Collection',
				name: 'paymentMethodCollection',
				type: 'options',
				default: 'always',
				options: [
					{ name: 'Always', value: 'always' },
					{ name: 'If Required', value: 'if_required', description: 'A free trial can start without a card' },
				],
			},
			{ displayName: 'Trial Period Days', name: 'trialPeriodDays', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Free days before the first charge; 0 for none' },
		],
	},
];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const options = optionsParameter(context, itemIndex);
	const quantity = numberParameter(context, 'quantity', itemIndex, 1);
	const metered = listParameter(options.meteredLookupKeys).map((lookupKey) => ({ lookupKey }));
	const input = withoutBlanks({
		businessKey: stringParameter(context, 'businessKey', itemIndex),
		tier: stringParameter(context, 'tier', itemIndex),
		// Quantity 0 marks a metered tier price: Stripe refuses a quantity on those.
		lineItems: [withoutBlanks({ lookupKey: stringParameter(context, 'lookupKey', itemIndex), quantity: quantity === 0 ? undefined : quantity }), ...metered],
		customerEmail: stringParameter(context, 'customerEmail', itemIndex),
		customerId: typeof options.customerId === 'string' ? options.customerId.trim() : undefined,
		successUrl: stringParameter(context, 'successUrl', itemIndex),
		cancelUrl: stringParameter(context, 'cancelUrl', itemIndex),
		trialPeriodDays: options.trialPeriodDays ? options.trialPeriodDays : undefined,
		paymentMethodCollection: options.paymentMethodCollection,
		metadata: parseJson(options.metadata, 'options.metadata', {}),
		attempt: attemptOf(context, itemIndex),
	}) as unknown as CreateCheckoutSessionInput;
	return (await createCheckoutSession(client, input)) as unknown as IDataObject;
};
