import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** VMF (Vendasta) Platform + Marketplace APIs and the VTM task API, all with bearer tokens. */
export class VmfApi implements ICredentialType {
	name = 'vmfApi';

	displayName = 'VMF API';

	icon: Icon = { light: 'file:vmf.svg', dark: 'file:vmf.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developers.vendasta.com/platform/ZG9jOjEwMTkzMDg0-overview';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'OAuth2 access token for the Platform API (scopes: order, sales.account). Also used for VTM and Marketplace unless their own tokens are set below.',
		},
		{
			displayName: 'Partner ID',
			name: 'partnerId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ABC',
			description: 'Your partner ID: orders are listed for this partner and contracts without a "q2c-partner-id" custom field belong to it',
		},
		{
			displayName: 'Platform API Base URL',
			name: 'platformBaseUrl',
			type: 'string',
			default: 'https://prod.apigateway.co/platform',
			description: 'Use https://demo.apigateway.co/platform for the demo environment',
		},
		{
			displayName: 'Marketplace API Base URL',
			name: 'marketplaceBaseUrl',
			type: 'string',
			default: 'https://developers.vendasta.com/api/v1',
			description: 'Use https://developers-demo.vendasta.com/api/v1 for the demo environment',
		},
		{
			displayName: 'Marketplace Access Token',
			name: 'marketplaceAccessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Token for the Marketplace vendor API (activation resolve). Leave empty to use the Access Token.',
		},
		{
			displayName: 'VTM Base URL',
			name: 'vtmBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://vtm.example.com/api/v1',
			description: 'Base URL of the VTM project-task API (see vtm.openapi.yaml in this package). Needed only for VTM Task operations.',
		},
		{
			displayName: 'VTM Access Token',
			name: 'vtmAccessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Token for the VTM API. Leave empty to use the Access Token.',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 10,
			description: 'Most calls per second to each VMF API (Platform, Marketplace, VTM), shared by every execution and (in queue mode, with Q2C_RATE_LIMIT_STORE=redis) every worker using this credential. Vendasta publishes no figure; raise it only to what your partner account is allowed.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	// Lists one order of the partner: proves the token, its `order` scope and the partner id together.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.platformBaseUrl.replace(/\\/+$/, "")}}',
			url: '/orders',
			method: 'GET',
			qs: { 'filter[partner.id]': '={{$credentials.partnerId}}', 'page[limit]': 1 },
			headers: { Accept: 'application/vnd.api+json' },
		},
	};
}
