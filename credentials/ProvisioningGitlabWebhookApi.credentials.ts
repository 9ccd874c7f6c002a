import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret token of a GitLab project webhook (Pipeline events), sent back in plain `X-Gitlab-Token`. Two
 * tokens allow a rotation without dropping hooks. Nothing at GitLab accepts this token, so the Provisioning
 * Trigger tests the credential itself (`testedBy`): it checks that a token is set.
 */
export class ProvisioningGitlabWebhookApi implements ICredentialType {
	name = 'provisioningGitlabWebhookApi';

	displayName = 'Provisioning GitLab Webhook API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://docs.gitlab.com/user/project/integrations/webhooks/';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Token',
			name: 'secretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The Secret token of the project's webhook (Settings → Webhooks). Hooks that do not carry it are rejected.",
		},
		{
			displayName: 'Previous Secret Token',
			name: 'previousSecretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Still accepted while the webhook is switched to the new token; clear it afterwards.',
		},
	];
}
