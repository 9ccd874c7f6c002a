import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { FileDedupeStore, type DedupeStore } from '../../connectors/core';
import type { CrmDeal, CrmProviderName } from '../../connectors/crm/types';
import { CRM_CREDENTIALS } from '../Crm/transport';

/** Injectable for tests; production uses the file store so duplicates are caught across restarts. */
export const dedupeStores = { create: (dir: string): DedupeStore => new FileDedupeStore(dir) };

export const HOUR_MS = 3_600_000;

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

export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

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
