import { isConnectorError, validationError } from '../../core';
import { compact, DEFAULT_HUBSPOT_INITIAL_STATUSES, latest, leadTouched, parseLeadFilter, parseLeadInput, parseTouchOptions, type LeadInput } from '../leads';
import type { CrmLead, CrmLeadFilter, CrmLeadInput, CrmLeadOwnerChange, CrmLeadUpsert, LeadTouchOptions } from '../types';
import type { HubspotClient } from './client';
import { propertyValue } from './dealUpdates';
import type { SearchAnswer } from './deals';
import { VENDOR } from './errors';
import { toIso, type HubspotRecord } from './mapping';
import { parseId, propertyNameSchema } from './schemas';

/** Contacts keep their change time in `lastmodifieddate` (other objects: hs_lastmodifieddate). */
export const LEAD_PROPERTIES = [
	'email',
	'firstname',
	'lastname',
	'company',
	'country',
	'state',
	'hubspot_owner_id',
	'hubspot_owner_assigneddate',
	'hs_lead_status',
	'hs_analytics_source',
	'lifecyclestage',
	'createdate',
	'lastmodifieddate',
	'notes_last_contacted',
	'hs_last_sales_activity_timestamp',
];
/** HubSpot's answer to a create whose email another contact has: "Contact already exists. Existing ID: 123". */
const EXISTING_ID = /Existing ID: ?(\d+)/;

const text = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : value);

export function toLead(record: HubspotRecord, touch: LeadTouchOptions, portalId: string | undefined): CrmLead {
	const p = record.properties ?? {};
	const id = String(record.id);
	const status = text(p.hs_lead_status);
	const lastActivityAt = latest(toIso(p.notes_last_contacted), toIso(p.hs_last_sales_activity_timestamp));
	const ownerAssignedAt = toIso(p.hubspot_owner_assigneddate);
	return compact<CrmLead>({
		provider: 'hubspot',
		id,
		email: (text(p.email) ?? '').toLowerCase(),
		firstName: text(p.firstname),
		lastName: text(p.lastname),
		company: text(p.company),
		country: text(p.country),
		state: text(p.state),
		ownerId: text(p.hubspot_owner_id),
		status,
		source: text(p.hs_analytics_source),
		createdAt: toIso(p.createdate) ?? toIso(record.createdAt) ?? new Date(0).toISOString(),
		lastActivityAt,
		ownerAssignedAt,
		touched: leadTouched(status, lastActivityAt, touch.assignedAt ?? ownerAssignedAt, touch.initialStatuses ?? DEFAULT_HUBSPOT_INITIAL_STATUSES),
		url: portalId ? `https://app.hubspot.com/contacts/${portalId}/record/0-1/${id}` : undefined,
		raw: { ...p },
	});
}

/** `GET /crm/v3/objects/contacts/{id}` (or `{email}?idProperty=email`, which unlike search sees a contact at once). */
async function readContact(client: HubspotClient, key: string, idProperty?: 'email', idempotent = true): Promise<HubspotRecord> {
	return (await client.call((sdk, options) => sdk.crm.contacts.basicApi.getById(key, LEAD_PROPERTIES, undefined, undefined, false, idProperty, options), { idempotent })) as HubspotRecord;
}

async function contactByEmail(client: HubspotClient, email: string): Promise<HubspotRecord | undefined> {
	try {
		return await readContact(client, email, 'email', false);
	} catch (error) {
		if (isConnectorError(error) && error.kind === 'not_found') return undefined;
		throw error;
	}
}

/** The contact properties a create writes: named fields over custom ones, lifecycle stage "lead". */
function contactProperties(lead: LeadInput, ownerId: string | undefined): Record<string, string> {
	if (lead.source !== undefined) {
		throw validationError('lead.source', 'no source: HubSpot sets hs_analytics_source itself (write a custom property through properties)', lead.source, VENDOR);
	}
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(lead.properties ?? {})) {
		if (!propertyNameSchema.safeParse(name).success) throw validationError('lead.properties', 'HubSpot internal property names (letters, digits, _)', name, VENDOR);
		out[name] = propertyValue(value, `lead.properties.${name}`);
	}
	const named = { email: lead.email, firstname: lead.firstName, lastname: lead.lastName, company: lead.company, country: lead.country, state: lead.state, hs_lead_status: lead.status, hubspot_owner_id: ownerId };
	return { lifecyclestage: 'lead', ...out, ...(compact(named) as Record<string, string>) };
}

/**
 * The contact with the email, or a new one with lifecycle stage "lead" (created: true). Lookup and create are
 * retried as one unit (a lost create answer is found by the next lookup); a create that races another one gets
 * HubSpot's 409 naming the existing contact, which is then returned. An existing contact is returned unchanged.
 */
export async function upsertLead(client: HubspotClient, input: CrmLeadInput): Promise<CrmLeadUpsert> {
	const lead = parseLeadInput(input, VENDOR);
	const ownerId = lead.ownerId === undefined ? undefined : parseId(lead.ownerId, 'lead.ownerId');
	const properties = contactProperties(lead, ownerId);
	const portalId = client.config.portalId;
	const outcome = await client.retrying(async (): Promise<{ record: HubspotRecord; created: boolean }> => {
		const existing = await contactByEmail(client, lead.email);
		if (existing) return { record: existing, created: false };
		try {
			const created = (await client.call((sdk, options) => sdk.crm.contacts.basicApi.create({ properties, associations: [] }, options), { idempotent: false })) as HubspotRecord;
			return { record: created, created: true };
		} catch (error) {
			const existingId = isConnectorError(error) && error.kind === 'conflict' ? EXISTING_ID.exec(error.message)?.[1] : undefined;
			if (!existingId) throw error;
			return { record: await readContact(client, existingId, undefined, false), created: false };
		}
	});
	// The create answer carries only what was written; read the contact for HubSpot's own fields (createdate, owner date).
	const record = outcome.created ? await readContact(client, String(outcome.record.id)) : outcome.record;
	return { ...toLead(record, {}, portalId), created: outcome.created };
}

export async function getLead(client: HubspotClient, id: string, options?: LeadTouchOptions): Promise<CrmLead> {
	const contactId = parseId(id, 'leadId');
	const touch = parseTouchOptions(options, VENDOR);
	return toLead(await readContact(client, contactId), touch, client.config.portalId);
}

/** Reads the contact first: the same owner again writes nothing (changed: false); otherwise a PATCH of hubspot_owner_id. */
export async function changeLeadOwner(client: HubspotClient, id: string, ownerId: string): Promise<CrmLeadOwnerChange> {
	const contactId = parseId(id, 'leadId');
	const owner = parseId(ownerId, 'ownerId');
	const current = await getLead(client, contactId);
	if (current.ownerId === owner) return { ...current, changed: false, previousOwnerId: current.ownerId };
	await client.call((sdk, options) => sdk.crm.contacts.basicApi.update(contactId, { properties: { hubspot_owner_id: owner } }, undefined, options), { idempotent: true });
	return compact({ ...(await getLead(client, contactId)), changed: true, previousOwnerId: current.ownerId });
}

/** Contacts search by email and/or lastmodifieddate ≥ updatedSince, oldest change first (search lags writes by seconds). */
export async function findLeads(client: HubspotClient, filter: CrmLeadFilter): Promise<CrmLead[]> {
	const parsed = parseLeadFilter(filter, VENDOR);
	const filters: Array<{ propertyName: string; operator: string; value: string }> = [];
	if (parsed.email !== undefined) filters.push({ propertyName: 'email', operator: 'EQ', value: parsed.email });
	if (parsed.updatedSince !== undefined) filters.push({ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(Date.parse(parsed.updatedSince)) });
	const body = {
		filterGroups: [{ filters }],
		sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
		properties: LEAD_PROPERTIES,
		limit: parsed.limit,
	};
	const answer = (await client.call((sdk, options) => sdk.crm.contacts.searchApi.doSearch(body as never, options))) as SearchAnswer;
	return (answer.results ?? []).map((record) => toLead(record, parsed, client.config.portalId));
}
