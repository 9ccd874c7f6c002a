import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The signing secret of the Stripe webhook endpoint the Stripe Trigger listens on (Stripe-Signature). Two secrets
 * allow a rotation (Stripe keeps the old one valid for up to 24 hours after "Roll secret"). Nothing at Stripe
 * accepts a signing secret, so the Stripe Trigger tests the credential itself (`testedBy`).
 */
export class StripeWebhookApi implements ICredentialType {
	name = 'stripeWebhookApi';

	displayName = 'Stripe Webhook API';

	icon = 'file:billingStripe.svg' as const;

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://docs.stripe.com/webhooks#verify-events';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'whsec_…',
			description: "The endpoint's signing secret (Stripe Dashboard → Developers → Webhooks → the endpoint → Signing secret). Deliveries not signed with it are rejected.",
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description: 'Optional. Still accepted while a rolled secret expires at Stripe; clear it afterwards.',
		},
		{
			displayName: 'Tolerance (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 86400 },
			default: 300,
			description: "How old a delivery's signed timestamp may be. Older ones are refused as replays (Stripe's default is 300).",
		},
	];
}
