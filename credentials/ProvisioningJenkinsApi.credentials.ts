import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** Jenkins for the Cloud Provisioning node: a user and that user's API token (not the password), sent as Basic auth. */
export class ProvisioningJenkinsApi implements ICredentialType {
	name = 'provisioningJenkinsApi';

	displayName = 'Provisioning Jenkins API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://www.jenkins.io/doc/book/using/remote-access-api/';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://ci.example.com',
			description: 'The Jenkins root URL, including any context path (e.g. https://ci.example.com/jenkins)',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "An API token of this user (user menu → Security → API Token); with a token Jenkins needs no CSRF crumb",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.username}}', password: '={{$credentials.apiToken}}' },
		},
	};

	// The root API answers any authenticated user with Overall/Read; a bad token gets 401.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/json',
		},
	};
}
