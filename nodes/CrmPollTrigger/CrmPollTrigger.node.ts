import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { wonDedupeOption } from '../CrmTrigger/settings';
import { dedupeDirField } from '../shared/webhookTrigger';
import { crmCredentials, providerProperty } from '../CrmTrigger/wonDeal';
import { pollCrm } from './poll';

export class CrmPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Poll Trigger',
		name: 'crmPollTrigger',
		icon: { light: 'file:crmPollTrigger.svg', dark: 'file:crmPollTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["provider"] === "hubspot" ? "HubSpot" : "Salesforce") + ": deal won"}}',
		description: 'Starts a workflow for each deal won in Salesforce or HubSpot, by polling (no webhook setup needed)',
		defaults: { name: 'CRM Poll Trigger' },
		polling: true,
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules want the enum
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials,
		properties: [
			providerProperty,
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'dealWon',
				options: [{ name: 'Deal Won', value: 'dealWon', description: 'A Salesforce opportunity or HubSpot deal reaches a won stage' }],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					dedupeDirField('crm-poll'),
					{
						displayName: 'Look Back on First Poll (Hours)',
						name: 'initialLookbackHours',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'On activation, also report deals won this far back; 0 reports only deals won from now on',
					},
					{
						displayName: 'Max Pages per Poll',
						name: 'maxPages',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10,
						description: 'Requests per poll at most; a larger backlog continues on the next poll',
					},
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 60,
						description: 'Each poll re-reads this far before the last change seen, for deals the CRM search shows late (HubSpot lags seconds)',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 200 },
						default: 100,
						description: 'Deals per request',
					},
					wonDedupeOption,
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollCrm(this);
	}
}
