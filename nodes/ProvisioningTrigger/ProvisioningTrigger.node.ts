import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { dedupeOptionFields, recordUrlWebhookMethods } from '../shared/webhookTrigger';
import { provisioningGitlabWebhookApiTest, provisioningTerraformWebhookApiTest } from './credentialTest';
import { handleProvisioningWebhook } from './handleWebhook';
import { GITLAB_STATUS_OPTIONS, TERRAFORM_TRIGGER_OPTIONS } from './sources';

export class ProvisioningTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Provisioning Trigger',
		name: 'provisioningTrigger',
		icon: { light: 'file:provisioningTrigger.svg', dark: 'file:provisioningTrigger.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body by content type. On version 1 it first evaluates an options expression, which in
		// n8n 2.40 takes a fresh expression isolate for every delivery, held until the execution gets a slot.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["source"] === "terraform" ? "HCP Terraform" : "GitLab CI"}}',
		description: 'Starts a workflow when a provisioning pipeline changes status: GitLab pipeline hooks (secret token) or HCP Terraform run notifications (HMAC-signed)',
		defaults: { name: 'Provisioning Trigger' },
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules want the enum
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'provisioningGitlabWebhookApi', required: true, testedBy: 'provisioningGitlabWebhookApiTest', displayOptions: { show: { source: ['gitlab'] } } },
			{ name: 'provisioningTerraformWebhookApi', required: true, testedBy: 'provisioningTerraformWebhookApiTest', displayOptions: { show: { source: ['terraform'] } } },
		],
		// responseData '' (not undefined): n8n 2.40 otherwise answers an accepted delivery with the literal text
		// "firstEntryJson"; with it, the webhookResponse of handleProvisioningWebhook is the body.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				default: 'gitlab',
				options: [
					{ name: 'GitLab CI (Pipeline Hook)', value: 'gitlab', description: 'A project webhook with Pipeline events, verified by its secret token' },
					{ name: 'HCP Terraform (Run Notification)', value: 'terraform', description: 'A workspace notification configuration, verified by its HMAC-SHA512 signature' },
				],
			},
			{
				displayName:
					'GitLab webhooks are registered by hand: copy this node\'s Production URL into the project\'s Settings → Webhooks, set the Secret token to the credential\'s Secret Token and tick "Pipeline events". Activating the workflow only records the URL.',
				name: 'gitlabNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { source: ['gitlab'] } },
			},
			{
				displayName:
					'HCP Terraform notifications are registered by hand: copy this node\'s Production URL into the workspace\'s Settings → Notifications → Create a Notification → Webhook, set the Token to the credential\'s Notification Token and pick the triggers. Activating the workflow only records the URL.',
				name: 'terraformNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { source: ['terraform'] } },
			},
			{
				displayName: 'Pipeline Statuses',
				name: 'gitlabStatuses',
				type: 'multiOptions',
				default: ['canceled', 'failed', 'success'],
				description: 'Pipeline statuses that start the workflow; other status changes are acknowledged and ignored. Leave empty for all.',
				displayOptions: { show: { source: ['gitlab'] } },
				options: GITLAB_STATUS_OPTIONS,
			},
			{
				displayName: 'Triggers',
				name: 'terraformTriggers',
				type: 'multiOptions',
				default: ['run:completed', 'run:errored'],
				description: 'Notification triggers that start the workflow; others are acknowledged and ignored. Leave empty for all.',
				displayOptions: { show: { source: ['terraform'] } },
				options: TERRAFORM_TRIGGER_OPTIONS,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: dedupeOptionFields('provisioning', 'status change'),
			},
		],
	};

	methods = {
		credentialTest: { provisioningGitlabWebhookApiTest, provisioningTerraformWebhookApiTest },
	};

	// The URL is entered in GitLab's project hook / the Terraform notification configuration: activation only records it.
	webhookMethods = { default: recordUrlWebhookMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleProvisioningWebhook(this);
	}
}
