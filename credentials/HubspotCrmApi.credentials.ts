import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * HubSpot private app token or OAuth app for the CRM node and triggers. OAuth tokens are refreshed in
 * code, so the credential is tested by the CRM node (`testedBy`).
 */
export class HubspotCrmApi implements ICredentialType {
	name = 'hubspotCrmApi';

	displayName = 'HubSpot (CRM) API';

	icon: Icon = { light: 'file:hubspotCrm.svg', dark: 'file:hubspotCrm.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developers.hubspot.com/docs/api/private-apps';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'privateApp',
			options: [
				{ name: 'Private App', value: 'privateApp', description: 'A private app access token (pat-…)' },
				{ name: 'OAuth', value: 'oauth', description: 'A public app: client ID/secret and a refresh token' },
			],
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Private app token (scopes: crm.objects.deals.read/write, crm.objects.companies.read, crm.objects.owners.read). For OAuth, optional: a current access token.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'API Base URL',
			name: 'basePath',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'Change only for a HubSpot sandbox or mock server (scheme, host and port; no path)',
		},
		{
			displayName: 'Portal ID',
			name: 'portalId',
			type: 'string',
			default: '',
			description: 'Optional. The HubSpot account ID, used to build record links.',
		},
		{
			displayName: 'App Client Secret (Webhooks)',
			name: 'appClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional (CRM Trigger). The client secret of the app whose webhooks (signature v3) are received.',
		},
		{
			displayName: 'Previous App Client Secret',
			name: 'previousAppClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Still accepted while the app secret is rotated.',
		},
	];
}
