import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** HCP Terraform (or Terraform Enterprise) for the Cloud Provisioning node. Organization tokens cannot start runs. */
export class ProvisioningTerraformApi implements ICredentialType {
	name = 'provisioningTerraformApi';

	displayName = 'Provisioning Terraform API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.terraform.io',
			required: true,
			description: 'HCP Terraform, or your Terraform Enterprise URL, without /api/v2',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A user or team API token that may queue runs on the workspaces (organization tokens cannot)',
		},
		{
			displayName: 'Organization',
			name: 'organization',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'my-org',
			description: 'The organization whose workspaces the workspace picker lists',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.token}}' },
		},
	};

	// The token's own account: answered for user and team tokens, 401 for a bad one.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v2/account/details',
			headers: { Accept: 'application/vnd.api+json' },
		},
	};
}
