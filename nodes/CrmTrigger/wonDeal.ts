import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { CrmDeal, CrmProviderName } from '../../connectors/crm/types';
import { CRM_CREDENTIALS } from '../Crm/transport';

export { dedupeStores, HOUR_MS } from '../shared/webhookTrigger';

/** The item both CRM triggers emit, so a workflow can switch between webhook and polling freely. */
export function dealItem(deal: CrmDeal, deliveryId: string, receivedAt = new Date().toISOString()): INodeExecutionData {
	const json = {
		provider: deal.provider,
		event: deal.isWon ? 'deal.won' : 'deal.changed',
		deal,
		dealId: deal.id,
		businessKey: deal.id,
		deliveryId,
		receivedAt,
	};
	return { json: json as unknown as IDataObject };
}

export { text } from '../shared/webhookTrigger';

export const providerProperty: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	default: 'salesforce',
	options: [
		{ name: 'Salesforce', value: 'salesforce' },
		{ name: 'HubSpot', value: 'hubspot' },
	],
};

export const crmCredentials = (Object.entries(CRM_CREDENTIALS) as Array<[CrmProviderName, string]>).map(([provider, name]) => ({
	name,
	required: true,
	displayOptions: { show: { provider: [provider] } },
}));
