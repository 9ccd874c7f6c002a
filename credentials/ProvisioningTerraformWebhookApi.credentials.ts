import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The token of an HCP Terraform notification configuration (generic webhook): HCP Terraform signs each
 * notification with it (`X-TFE-Notification-Signature`, HMAC-SHA512 of the body). Two tokens allow a rotation.
 * Nothing at HCP Terraform accepts this token, so the Provisioning Trigger tests the credential itself.
 */
export class ProvisioningTerraformWebhookApi implements ICredentialType {
	name = 'provisioningTerraformWebhookApi';

	displayName = 'Provisioning HCP Terraform Webhook API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations';

	properties: INodeProperties[] = [
		{
			displayName: 'Notification Token',
			name: 'notificationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The Token of the workspace's notification configuration (Settings → Notifications → Webhook). Unsigned or wrongly signed notifications are rejected.",
		},
		{
			displayName: 'Previous Notification Token',
			name: 'previousNotificationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Still accepted while the notification configuration moves to the new token; clear it afterwards.',
		},
	];
}
