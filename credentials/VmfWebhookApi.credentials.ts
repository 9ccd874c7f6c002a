import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * What the VMF Trigger verifies inbound webhooks with: Marketplace JWT public keys (two during key
 * rotation) and the Automations Verifier-Token (current + previous). A source with nothing configured
 * rejects every delivery.
 */
export class VmfWebhookApi implements ICredentialType {
	name = 'vmfWebhookApi';

	displayName = 'VMF Webhook API';

	icon: Icon = { light: 'file:vmf.svg', dark: 'file:vmf.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developers.vendasta.com/vendor/ZG9jOjE2NTY5Mzk0-webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Marketplace Public Key (PEM)',
			name: 'marketplacePublicPem',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----',
			description: 'Vendasta Marketplace RSA public key that signs purchase and cancellation webhooks (from the Marketplace webhook docs)',
		},
		{
			displayName: 'Next or Previous Public Key (PEM)',
			name: 'secondaryPublicPem',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			description: 'A second accepted key while Vendasta rotates its signing key; leave empty otherwise',
		},
		{
			displayName: 'Marketplace App IDs',
			name: 'marketplaceAppIds',
			type: 'string',
			default: '',
			placeholder: 'MP-c316837acf404de681cd4883331c43ae',
			description: "Your product's app ID in Vendor Center (comma-separated if the trigger serves several). Vendasta signs every vendor's webhooks with the same key, so only events for these apps are accepted.",
		},
		{
			displayName: 'Replay Window (Seconds)',
			name: 'replayWindowSec',
			type: 'number',
			typeOptions: { minValue: 30 },
			default: 300,
			description: 'Marketplace tokens issued longer ago than this are rejected',
		},
		{
			displayName: 'Automations Verifier-Token',
			name: 'verifierToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The static Verifier-Token header value set on the Automations "Send a webhook" step',
		},
		{
			displayName: 'Previous Verifier-Token',
			name: 'previousVerifierToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Still accepted while the automation is switched to a new token; clear it afterwards',
		},
	];

	// These values verify requests Vendasta sends to n8n; no Vendasta API accepts them, so no request can
	// prove them. The test only checks that Vendasta's developer site is reachable; the VMF Trigger rejects
	// every delivery (401) while the key/token for its source is missing or wrong.
	test: ICredentialTestRequest = {
		request: {
			baseURL: 'https://developers.vendasta.com',
			url: '/',
			method: 'GET',
		},
	};
}
