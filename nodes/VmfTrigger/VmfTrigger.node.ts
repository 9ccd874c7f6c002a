import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { MARKETPLACE_EVENTS } from '../../connectors/vmf';
import { contractGateFields } from '../shared/contractGate';
import { dedupeOptionFields, recordUrlWebhookMethods } from '../shared/webhookTrigger';
import { handleVmfWebhook } from './handleWebhook';

const eventName = (value: string) => value.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

export class VmfTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VMF Trigger',
		name: 'vmfTrigger',
		icon: { light: 'file:vmfTrigger.svg', dark: 'file:vmfTrigger.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body by content type. On version 1 it first evaluates an options expression, which in
		// n8n 2.40 takes a fresh expression isolate for every delivery, held until the execution gets a slot.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["source"]}}',
		description: 'Starts a workflow when VMF signs, provisions or cancels an order (verified Marketplace JWT or Automations Verifier-Token)',
		defaults: { name: 'VMF Trigger' },
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules want the enum
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'vmfWebhookApi', required: true }],
		// responseData '' (not undefined): n8n 2.40 otherwise answers an accepted delivery with the literal text
		// "firstEntryJson"; with it, the webhookResponse of handleVmfWebhook is the body.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }],
		properties: [
			{
				displayName:
					'Vendasta webhooks are registered in the vendor console, not by API: copy this node\'s Production URL into Vendor Center (Marketplace purchase webhook) or into the Automations "Send a webhook" step. Activating the workflow only records the URL.',
				name: 'registrationNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				default: 'marketplacePurchase',
				options: [
					{ name: 'Marketplace Purchase (Signed JWT)', value: 'marketplacePurchase', description: 'Purchase and cancellation webhooks, verified with the Marketplace public key' },
					{ name: 'Automations (Verifier-Token)', value: 'automations', description: 'An Automations "Send a webhook" step with a static Verifier-Token header' },
				],
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['provisioned'],
				description: 'Marketplace events that start the workflow; others are acknowledged and ignored. Leave empty for all.',
				displayOptions: { show: { source: ['marketplacePurchase'] } },
				options: MARKETPLACE_EVENTS.map((value) => ({ name: eventName(value), value })),
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Accept Test Webhooks',
						name: 'allowTestIssuer',
						type: 'boolean',
						default: false,
						description: 'Whether to accept tokens from Vendor Center\'s testing page (issuer "Vendasta Marketplace Test")',
					},
					...dedupeOptionFields('vmf'),
					...contractGateFields('signed orders (Automations) and Marketplace provisioned events'),
				],
			},
		],
	};

	// The URL is entered in Vendor Center / the automation step: activation only records it.
	webhookMethods = { default: recordUrlWebhookMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleVmfWebhook(this);
	}
}
