import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** Key for the platform's super-admin entitlement API (connectors/superadmin/openapi.yaml). */
export class SuperAdminApi implements ICredentialType {
	name = 'superAdminApi';

	displayName = 'Super Admin API';

	icon: Icon = { light: 'file:superAdmin.svg', dark: 'file:superAdmin.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- applies to n8n's main repo (doc slugs); a community credential links a full URL
	documentationUrl = 'https://github.com/n8n-nodes-quote-to-cash/n8n-nodes-quote-to-cash/blob/main/connectors/superadmin/openapi.yaml';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://admin.example.com',
			description: 'Root of the super-admin API, without the /v1 prefix',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 10,
			description: 'Most calls per second this n8n sends to the platform, shared by every workflow, execution and (in queue mode, with Q2C_RATE_LIMIT_STORE=redis) every worker using this credential. Set it to what the platform allows.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// An authenticated read that every implementation of the published API must answer.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/health',
		},
	};
}
