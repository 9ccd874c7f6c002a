import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { handleHubspot } from './handleHubspot';
import { handleSalesforce } from './handleSalesforce';
import { dedupeOptionFields, recordUrlWebhookMethods } from '../shared/webhookTrigger';
import { eventProperty, oncePerLeadOption, onEvent, onlyLeadStageOption, type TriggerEvent } from './newLead';
import { wonDedupeOption, type TriggerOptions } from './settings';
import { crmCredentials, providerProperty } from './wonDeal';

export class CrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Trigger',
		name: 'crmTrigger',
		icon: { light: 'file:crmTrigger.svg', dark: 'file:crmTrigger.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body by content type. On version 1 it first evaluates an options expression, which in
		// n8n 2.40 takes a fresh expression isolate for every delivery, held until the execution gets a slot.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{($parameter["provider"] === "hubspot" ? "HubSpot: " : "Salesforce: ") + ($parameter["event"] === "newLead" ? "new lead" : $parameter["provider"] === "hubspot" ? "deal won" : "opportunity won")}}',
		description: 'Starts a workflow when a deal is won or a lead is created in Salesforce (Outbound Message) or HubSpot (webhook v3)',
		defaults: { name: 'CRM Trigger' },
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules want the enum
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials,
		// responseData '' (not undefined): n8n 2.40 otherwise answers an accepted delivery with the literal text
		// "firstEntryJson"; with it, the webhookResponse of the handler is the body.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }],
		properties: [
			providerProperty,
			eventProperty,
			{
				displayName:
					'Salesforce Outbound Messages are set up in Salesforce, not by API: in Setup → Process Automation → Outbound Messages (on Opportunity, fired by a flow or workflow rule when the opportunity is won), paste this node\'s Production URL followed by ?token= and the Outbound Message Token of the credential. Activating the workflow only records the URL.',
				name: 'salesforceNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['salesforce'], event: ['dealWon'] } },
			},
			{
				displayName:
					'Set the Outbound Message up in Salesforce Setup → Process Automation → Outbound Messages, on Lead (sending at least the ID and Email fields; more fields such as NumberOfEmployees or Industry reach Lead → Normalise too), fired by a flow or workflow rule when a lead is created. Paste this node\'s Production URL followed by ?token= and the Outbound Message Token of the credential. Leave out leads the n8n integration user creates (e.g. Created By is not that user), so leads your workflows write do not come back. Activating the workflow only records the URL.',
				name: 'salesforceLeadNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['salesforce'], event: ['newLead'] } },
			},
			{
				displayName:
					'HubSpot webhooks are set up in your HubSpot app, not by this node: paste this node\'s Production URL as the app\'s target URL and subscribe to deal creation and deal property change (dealstage). The credential\'s App Client Secret verifies the signatures. Activating the workflow only records the URL.',
				name: 'hubspotNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['hubspot'], event: ['dealWon'] } },
			},
			{
				displayName:
					'HubSpot webhooks are set up in your HubSpot app, not by this node: paste this node\'s Production URL as the app\'s target URL and subscribe to contact creation. The credential\'s App Client Secret verifies the signatures. Activating the workflow only records the URL.',
				name: 'hubspotLeadNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['hubspot'], event: ['newLead'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					...dedupeOptionFields('crm', 'notification'),
					oncePerLeadOption,
					{
						displayName: 'Fire Once per Won Deal',
						name: 'oncePerDeal',
						type: 'boolean',
						default: true,
						description: 'Whether a won deal starts the workflow only once, even when the CRM notifies again (edits, creation plus stage change)',
						displayOptions: onEvent('dealWon'),
					},
					onlyLeadStageOption,
					{
						displayName: 'Only Won Deals',
						name: 'onlyWon',
						type: 'boolean',
						default: true,
						description: 'Whether to ignore notifications about deals that are not won (the deal is read from the CRM to decide)',
						displayOptions: onEvent('dealWon'),
					},
					{
						displayName: 'Signed URL Override',
						name: 'signedUrl',
						type: 'string',
						default: '',
						placeholder: 'https://crm-hooks.example.com/webhook/abc/webhook',
						description: 'The exact URL HubSpot calls, when a proxy in front of n8n changes it; HubSpot signs that URL',
						displayOptions: { show: { '/provider': ['hubspot'] } },
					},
					{ ...wonDedupeOption, displayOptions: onEvent('dealWon') },
				],
			},
		],
	};

	// The URL is entered in Salesforce Setup / the HubSpot app: activation only records it.
	webhookMethods = { default: recordUrlWebhookMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const provider = this.getNodeParameter('provider', 'salesforce') as string;
		const event = this.getNodeParameter('event', 'dealWon') as TriggerEvent;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		return provider === 'hubspot' ? handleHubspot(this, options, event) : handleSalesforce(this, options, event);
	}
}
