import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { expireCheckoutSession, expireSubscriptionCheckout, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyField, showFor, subscriptionLocator } from '../../descriptions';
import { locatorParameter, stringParameter } from '../../params';

const show = showFor('checkout', 'expire');
const showBy = (by: string) => ({ show: { ...show.show, expireBy: [by] } });

export const description: INodeProperties[] = [
	{
		...businessKeyField('checkout', 'expire'),
		description: 'The signup the checkout belongs to. Makes the expire idempotent and names the receipt chain.',
	},
	{
		displayName: 'Find Session By',
		name: 'expireBy',
		type: 'options',
		default: 'session',
		options: [
			{ name: 'Checkout Session ID', value: 'session', description: 'Expire this session. A completed (paid) session is refused.' },
			{
				name: 'Subscription',
				value: 'subscription',
				description: "Expire the subscription's open session, e.g. after an invoice.payment_failed event. One that has ended meanwhile is returned as it is.",
			},
		],
		displayOptions: show,
	},
	{
		displayName: 'Checkout Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'cs_…',
		description: 'The open session to end; an already-expired one is returned as it is',
		displayOptions: showBy('session'),
	},
	subscriptionLocator('checkout', 'expire', { description: 'The subscription whose open Checkout Session to end', displayOptions: showBy('subscription') }),
];

/**
 * Ends a Checkout Session so the customer can no longer pay on it; Stripe then sends checkout.session.expired.
 * Output: the session (`id`, `status`), `expiredNow` (this call expired it) and `sessionFound` (false only when the
 * subscription has no Checkout Session at all).
 */
export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const businessKey = stringParameter(context, 'businessKey', itemIndex);
	if (context.getNodeParameter('expireBy', itemIndex, 'session') === 'subscription') {
		const subscriptionId = locatorParameter(context, 'subscriptionId', itemIndex);
		const result = await expireSubscriptionCheckout(client, { businessKey, subscriptionId });
		if (!result) return { id: null, status: null, businessKey, subscriptionId, expiredNow: false, sessionFound: false };
		return { ...result, sessionFound: true } as unknown as IDataObject;
	}
	const result = await expireCheckoutSession(client, { businessKey, sessionId: stringParameter(context, 'sessionId', itemIndex) });
	return { ...result, sessionFound: true } as unknown as IDataObject;
};
