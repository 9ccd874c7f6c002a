import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * DocuSign eSignature with the JWT Grant (an integration key + RSA key pair impersonating one user).
 * The token exchange needs code (RS256 signing), so the DocuSign node tests it (`testedBy`).
 */
export class DocusignApi implements ICredentialType {
	name = 'docusignApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- the fixed name the pack's templates and sandbox use
	displayName = 'DocuSign API (JWT Grant)';

	icon: Icon = { light: 'file:docusign.svg', dark: 'file:docusign.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developers.docusign.com/platform/auth/jwt/jwt-get-token/';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'demo',
			options: [
				{ name: 'Demo (Developer Account)', value: 'demo', description: 'https://account-d.docusign.com' },
				{ name: 'Production', value: 'production', description: 'https://account.docusign.com' },
				{ name: 'Custom', value: 'custom', description: 'Another authentication server, e.g. a local sandbox' },
			],
		},
		{
			displayName: 'Authentication Server',
			name: 'authServer',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8443',
			description: 'Where tokens are requested (scheme, host and port; no path)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Integration Key',
			name: 'integrationKey',
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing -- an OAuth client ID, shown in DocuSign's UI; not a secret
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 8f1b2c3d-…',
			description: 'The integration key (OAuth client ID) of your DocuSign app, from Apps and Keys',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			required: true,
			description: 'GUID of the user the integration acts as (Apps and Keys → "User ID")',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			placeholder: '-----BEGIN RSA PRIVATE KEY-----',
			description: 'The RSA private key (PEM) of the key pair added to the integration key',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			description: "Optional. Leave empty to use the user's default account.",
		},
		{
			displayName: 'REST Base Path',
			name: 'basePath',
			type: 'string',
			default: '',
			placeholder: 'https://demo.docusign.net/restapi',
			description: "Optional. Leave empty to use the account's base URI from the user info.",
		},
	];
}
