import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { CONNECT_EVENT_NAMES } from '../../connectors/docusign';
import { docusignApiTest } from '../Docusign/methods/credentialTest';
import { checkExists, create, remove } from './connectHooks';
import { docusignConnectApiTest } from './credentialTest';
import { handleConnectWebhook } from './handleWebhook';
import { contractGateFields } from '../shared/contractGate';
import { dedupeOptionFields } from '../shared/webhookTrigger';

const eventName = (value: string) => value.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

export class DocusignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocuSign Trigger',
		name: 'docusignTrigger',
		icon: { light: 'file:docusignTrigger.svg', dark: 'file:docusignTrigger.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body by content type. On version 1 it first evaluates an options expression, which in
		// n8n 2.40 takes a fresh expression isolate for every delivery, held until the execution gets a slot.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts a workflow when a DocuSign envelope is signed, declined, voided, sent or delivered (HMAC-verified Connect events)',
		defaults: { name: 'DocuSign Trigger' },
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules want the enum
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'docusignApi', required: true, testedBy: 'docusignApiTest', displayOptions: { show: { registerConnect: [true] } } },
			{ name: 'docusignConnectApi', required: true, testedBy: 'docusignConnectApiTest' },
		],
		// responseData '' (not undefined): n8n 2.40 otherwise answers an accepted delivery with the literal text
		// "firstEntryJson"; with it, the webhookResponse of handleConnectWebhook is the body.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['envelope-completed'],
				description: 'Connect events that start the workflow; others are acknowledged and ignored. Leave empty for all.',
				options: CONNECT_EVENT_NAMES.map((value) => ({ name: eventName(value), value })),
			},
			{
				displayName: 'Register Connect Configuration',
				name: 'registerConnect',
				type: 'boolean',
				default: true,
				description:
					'Whether to create a DocuSign Connect configuration for this URL when the workflow is activated (and delete it when deactivated). Needs the DocuSign API credential of an account admin.',
			},
			{
				displayName:
					'Register this node\'s Production URL yourself in DocuSign Admin → Connect → Add Configuration (Custom): JSON (SIM) format, "Include HMAC Signature" on, and the events selected above. Activating the workflow only records the URL.',
				name: 'registrationNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registerConnect: [false] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					...dedupeOptionFields('docusign'),
					...contractGateFields('completed envelopes that carry a business key'),
				],
			},
		],
	};

	methods = {
		credentialTest: { docusignApiTest, docusignConnectApiTest },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return checkExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return create(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return remove(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleConnectWebhook(this);
	}
}
