import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** Cloudflare DNS for the Cloud Provisioning node: an API token with Zone → DNS → Edit on the tenants' zones. */
export class ProvisioningCloudflareApi implements ICredentialType {
	name = 'provisioningCloudflareApi';

	displayName = 'Provisioning Cloudflare API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developers.cloudflare.com/fundamentals/api/get-started/create-token/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API token with Zone → DNS → Edit (and Zone → Zone → Read for the zone picker). Global API keys are not supported.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.cloudflare.com/client/v4',
			description: 'Leave empty for Cloudflare itself; set only for a sandbox or proxy (including /client/v4)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiToken}}' },
		},
	};

	// Verifies a user API token: 200 with status active, 401 for a bad or revoked one.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.cloudflare.com/client/v4").replace(/\\/+$/, "")}}',
			url: '/user/tokens/verify',
		},
	};
}
