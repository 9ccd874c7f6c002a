import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class BillingStripeApi implements ICredentialType {
	name = 'billingStripeApi';

	displayName = 'Billing (Stripe) API';

	icon = 'file:billingStripe.svg' as const;

	// The camel-case rule is for n8n's own repository (doc slugs); community credentials link a full URL.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://docs.stripe.com/keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_live_… or rk_live_…',
			description: 'A secret or restricted key. Restricted keys need write access to customers, subscriptions and refunds.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.stripe.com',
			description: 'Change only for a Stripe sandbox or mock server (scheme, host and port; no path)',
		},
		{
			displayName: 'Webhook Signing Secrets',
			name: 'webhookSigningSecrets',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description: 'Optional. One or more endpoint signing secrets, comma-separated during rotation (for billing triggers).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.secretKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/balance',
		},
	};
}
