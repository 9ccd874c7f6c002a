import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { HubspotWebhookEvent } from '../../connectors/crm/hubspot';
import type { OutboundNotification } from '../../connectors/crm/salesforce';
import type { CrmLead, CrmProvider } from '../../connectors/crm/types';
import { dealKind, type Delivery, type DeliveryOptions, type RecordKind } from './deliveries';
import { DAY_MS, type TriggerOptions } from './settings';

export type TriggerEvent = 'dealWon' | 'newLead';

export const eventProperty: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	noDataExpression: true,
	default: 'dealWon',
	options: [
		{ name: 'Deal Won', value: 'dealWon', description: 'A Salesforce opportunity or HubSpot deal is won' },
		{ name: 'New Lead', value: 'newLead', description: 'A Salesforce lead or HubSpot contact is created; outputs the lead as the CRM node reads it' },
	],
};

/** A lead fires once for this long, however many notifications the CRM sends about it (edits, re-saves). */
export const LEAD_ONCE_TTL_MS = 365 * DAY_MS;
const LEAD_PREFIX = '00Q';

/** Outbound Messages can be defined on any object; only Lead notifications are new leads. */
export function isLeadNotification(notification: OutboundNotification): boolean {
	const type = (notification.sObjectType ?? '').split(':').pop()?.toLowerCase() ?? '';
	return type === '' ? notification.recordId.startsWith(LEAD_PREFIX) : type === 'lead';
}

export const isContactCreation = (event: HubspotWebhookEvent): boolean => event.subscriptionType === 'contact.creation';

/**
 * What Lead → Normalise (source `crm`) reads: `leadId` is the lead's id, `lead` the neutral CrmLead (email, names,
 * company, country, state), `properties` the vendor's own fields (Salesforce API names, with what the Outbound
 * Message carried such as NumberOfEmployees or Industry; HubSpot contact properties), which it also understands.
 */
export function leadItem(lead: CrmLead, delivery: Pick<Delivery, 'deliveryId' | 'fields'>, receivedAt = new Date().toISOString()): INodeExecutionData {
	const json = {
		provider: lead.provider,
		event: 'lead.created',
		leadId: lead.id,
		businessKey: lead.id,
		deliveryId: delivery.deliveryId,
		receivedAt,
		lead,
		// The record read back wins over the notification's copy of the same field.
		properties: { ...(delivery.fields ?? {}), ...(lead.raw ?? {}) },
	};
	return { json: json as unknown as IDataObject };
}

/**
 * New leads: a Salesforce lead that is not converted; a HubSpot contact with lifecycle stage `lead` (every new
 * contact when Only Lifecycle Stage Lead is off). Each lead fires once unless Fire Once per Lead is off.
 */
export function leadKind(provider: CrmProvider, options: TriggerOptions): RecordKind<CrmLead> {
	const onlyLeadStage = options.onlyLeadStage !== false;
	const oncePerLead = options.oncePerLead !== false;
	return {
		noun: 'lead',
		read: (id) => provider.getLead(id),
		keep: (lead) => {
			if (lead.provider === 'salesforce') return lead.raw?.IsConverted !== true;
			return !onlyLeadStage || String(lead.raw?.lifecyclestage ?? '').toLowerCase() === 'lead';
		},
		onceKey: (lead) => (oncePerLead ? `${lead.provider}:${lead.id}:lead.created` : undefined),
		onceTtlMs: LEAD_ONCE_TTL_MS,
		item: (lead, delivery, receivedAt) => leadItem(lead, delivery, receivedAt),
	};
}

/** What the event reads back and emits: won deals or new leads. */
export function recordKindFor(event: TriggerEvent, provider: CrmProvider, options: TriggerOptions, settings: DeliveryOptions): RecordKind<unknown> {
	return event === 'newLead' ? leadKind(provider, options) : dealKind(provider, settings);
}

export const onEvent = (event: TriggerEvent, show: Record<string, string[]> = {}) => ({ show: { '/event': [event], ...show } });

/** Options of the New Lead event (the deal ones are hidden for it). */
export const oncePerLeadOption: INodeProperties = {
	displayName: 'Fire Once per Lead',
	name: 'oncePerLead',
	type: 'boolean',
	default: true,
	description: 'Whether a lead starts the workflow only once, even when the CRM notifies again about it (for a year)',
	displayOptions: onEvent('newLead'),
};

export const onlyLeadStageOption: INodeProperties = {
	displayName: 'Only Lifecycle Stage Lead',
	name: 'onlyLeadStage',
	type: 'boolean',
	default: true,
	description: 'Whether to ignore new HubSpot contacts whose lifecycle stage is not "lead" (the contact is read from HubSpot to decide)',
	displayOptions: onEvent('newLead', { '/provider': ['hubspot'] }),
};
