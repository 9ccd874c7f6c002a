import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { contractGateFields } from '../shared/contractGate';
import { dedupeOptionFields, recordUrlWebhookMethods } from '../shared/webhookTrigger';
import { stripeWebhookApiTest } from './credentialTest';
import { handleStripeWebhook } from './handleWebhook';

/** The Stripe events the self-service signup and billing workflows act on. */
const STRIPE_TRIGGER_EVENTS = [
	{ name: 'Checkout Session Async Payment Failed', value: 'checkout.session.async_payment_failed' },
	{ name: 'Checkout Session Async Payment Succeeded', value: 'checkout.session.async_payment_succeeded' },
	{ name: 'Checkout Session Completed', value: 'checkout.session.completed' },
	{ name: 'Checkout Session Expired', value: 'checkout.session.expired' },
	{ name: 'Customer Subscription Created', value: 'customer.subscription.created' },
	{ name: 'Customer Subscription Deleted', value: 'customer.subscription.deleted' },
	{ name: 'Customer Subscription Updated', value: 'customer.subscription.updated' },
	{ name: 'Invoice Paid', value: 'invoice.paid' },
	{ name: 'Invoice Payment Failed', value: 'invoice.payment_failed' },
];

export class StripeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Trigger',
		name: 'stripeTrigger',
		icon: { light: 'file:stripeTrigger.svg', dark: 'file:stripeTrigger.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body by content type. On version 1 it first evaluates an options expression, which in
		// n8n 2.40 takes a fresh expression isolate for every delivery, held until the execution gets a slot.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts a workflow when a Stripe Checkout is paid, fails or expires, an invoice is paid or fails, or a subscription changes (signature-verified)',
		defaults: { name: 'Stripe Trigger' },
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules want the enum
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeWebhookApi', required: true, testedBy: 'stripeWebhookApiTest' }],
		// responseData '' (not undefined): n8n 2.40 otherwise answers an accepted delivery with the literal text
		// "firstEntryJson"; with it, the webhookResponse of handleStripeWebhook is the body.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }],
		properties: [
			{
				displayName:
					"Add this node's Production URL as an endpoint in Stripe Dashboard → Developers → Webhooks, select the events chosen below, and paste the endpoint's signing secret (whsec_…) into the credential. Activating the workflow only records the URL.",
				name: 'registrationNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired'],
				description:
					'Stripe events that start the workflow; others are acknowledged and ignored. Leave empty for all. Branch on the output\'s outcome: provision on "payment_confirmed" only (a completed checkout paid by bank debit is "payment_pending" until its async payment succeeds).',
				options: STRIPE_TRIGGER_EVENTS,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...dedupeOptionFields('stripe'), ...contractGateFields('confirmed checkout payments of one signup (client_reference_id)')],
			},
		],
	};

	methods = {
		credentialTest: { stripeWebhookApiTest },
	};

	// The endpoint is added in the Stripe Dashboard by a person: activation only records the URL.
	webhookMethods = { default: recordUrlWebhookMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleStripeWebhook(this);
	}
}
