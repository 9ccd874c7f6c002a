import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Salesforce connected app for the CRM node and triggers: OAuth refresh token or JWT bearer. The token
 * exchange needs code (JWT signing, refresh), so the credential is tested by the CRM node (`testedBy`).
 */
export class SalesforceCrmApi implements ICredentialType {
	name = 'salesforceCrmApi';

	displayName = 'Salesforce (CRM) API';

	icon: Icon = { light: 'file:salesforceCrm.svg', dark: 'file:salesforceCrm.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://help.salesforce.com/s/articleView?id=sf.connected_app_create_api_integration.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'refreshToken',
			options: [
				{ name: 'OAuth Refresh Token', value: 'refreshToken', description: 'Connected app consumer key/secret and a refresh token of the integration user' },
				{ name: 'JWT Bearer', value: 'jwtBearer', description: 'Connected app with a certificate; no user interaction, no stored refresh token' },
			],
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{ name: 'Production', value: 'production', description: 'https://login.salesforce.com' },
				{ name: 'Sandbox', value: 'sandbox', description: 'https://test.salesforce.com' },
				{ name: 'Custom', value: 'custom', description: 'My Domain login URL or a local sandbox' },
			],
		},
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.my.salesforce.com',
			description: 'Where tokens are requested (scheme, host and port; no path)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.my.salesforce.com',
			description: 'Optional. Leave empty to use the instance URL returned with the access token.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The connected app consumer key',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The connected app consumer secret',
			displayOptions: { show: { authentication: ['refreshToken'] } },
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A refresh token issued to the integration user (scopes: api, refresh_token)',
			displayOptions: { show: { authentication: ['refreshToken'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'integration@acme.com',
			description: 'The Salesforce user the JWT acts as (pre-authorized for the connected app)',
			displayOptions: { show: { authentication: ['jwtBearer'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'RSA private key (PEM) of the certificate uploaded to the connected app',
			displayOptions: { show: { authentication: ['jwtBearer'] } },
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '62.0',
			description: 'REST API version, e.g. 62.0',
		},
		{
			displayName: 'Outbound Message Token',
			name: 'outboundMessageToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional (CRM Trigger). The secret appended to the Outbound Message endpoint URL as ?token=…',
		},
		{
			displayName: 'Previous Outbound Message Token',
			name: 'previousOutboundMessageToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Still accepted while the Outbound Message URL is switched to the new token (rotation).',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			placeholder: '00D…',
			description: 'Optional. When set, Outbound Messages from any other org are refused.',
		},
	];
}
