import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * GitLab CI for the Cloud Provisioning node. A pipeline trigger token can only start pipelines; reading a pipeline's
 * status, cancelling it, finding an earlier run by its key and the project picker need an access token as well.
 */
export class ProvisioningGitlabApi implements ICredentialType {
	name = 'provisioningGitlabApi';

	displayName = 'Provisioning GitLab API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://docs.gitlab.com/ci/triggers/';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gitlab.com',
			required: true,
			description: 'The GitLab instance, without /api/v4 (e.g. https://gitlab.example.com for a self-managed one)',
		},
		{
			displayName: 'Pipeline Trigger Token',
			name: 'triggerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'glptt-…',
			description: "The project's pipeline trigger token (Settings → CI/CD → Pipeline trigger tokens)",
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'glpat-…',
			description: 'A personal, project or group access token with the api scope: reads and cancels pipelines and lists projects',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'PRIVATE-TOKEN': '={{$credentials.accessToken}}' },
		},
	};

	// Any valid access token may read the version; a bad one gets 401.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v4/version',
		},
	};
}
