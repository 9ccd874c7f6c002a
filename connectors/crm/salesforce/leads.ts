import { ConnectorError, validationError, withRetry } from '../../core';
import { compact, DEFAULT_SALESFORCE_INITIAL_STATUSES, leadTouched, parseLeadFilter, parseLeadInput, parseTouchOptions, type LeadInput } from '../leads';
import type { CrmLead, CrmLeadFilter, CrmLeadInput, CrmLeadOwnerChange, CrmLeadUpsert, LeadTouchOptions } from '../types';
import type { SalesforceClient } from './client';
import { VENDOR } from './errors';
import { checkLeadId, checkLeadOwnerId, sameRecordId } from './ids';
import { fieldsOf, isoTimestamp, type SalesforceRecord } from './mapping';
import { soqlDateTime, soqlString } from './soql';

export const LEAD_FIELDS = ['Id', 'Email', 'FirstName', 'LastName', 'Company', 'Country', 'State', 'OwnerId', 'Status', 'LeadSource', 'IsConverted', 'CreatedDate', 'LastActivityDate', 'SystemModstamp'];
const FIELD_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
/**
 * Salesforce's REST API runs the org's active lead assignment rules on every create and update unless told not to,
 * which would replace the owner the routing policy chose.
 */
const KEEP_OWNER = { 'Sforce-Auto-Assign': 'FALSE' };

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function toLead(record: SalesforceRecord, touch: LeadTouchOptions, instanceUrl: string | undefined): CrmLead {
	const id = String(record.Id);
	const status = str(record.Status);
	const lastActivityAt = str(record.LastActivityDate);
	return compact<CrmLead>({
		provider: 'salesforce',
		id,
		email: (str(record.Email) ?? '').toLowerCase(),
		firstName: str(record.FirstName),
		lastName: str(record.LastName),
		company: str(record.Company),
		country: str(record.Country),
		state: str(record.State),
		ownerId: str(record.OwnerId),
		status,
		source: str(record.LeadSource),
		createdAt: isoTimestamp(record.CreatedDate),
		lastActivityAt,
		touched: leadTouched(status, lastActivityAt, touch.assignedAt, touch.initialStatuses ?? DEFAULT_SALESFORCE_INITIAL_STATUSES),
		url: instanceUrl ? `${instanceUrl}/lightning/r/Lead/${id}/view` : undefined,
		raw: fieldsOf(record),
	});
}

async function queryLeads(client: SalesforceClient, tail: string, retry = true): Promise<SalesforceRecord[]> {
	return (await client.query<SalesforceRecord>(`SELECT ${LEAD_FIELDS.join(', ')} FROM Lead ${tail}`, { retry })).records;
}

/** The Lead fields a create writes: named fields over custom ones (`properties`). */
function leadFields(lead: LeadInput, ownerId: string | undefined): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(lead.properties ?? {})) {
		if (!FIELD_API_NAME.test(name) || name.toLowerCase() === 'id') throw validationError(`lead.properties.${name}`, 'a writable Lead field API name such as Segment__c', name, VENDOR);
		fields[name] = value;
	}
	const named = { Email: lead.email, FirstName: lead.firstName, LastName: lead.lastName, Company: lead.company, Country: lead.country, State: lead.state, Status: lead.status, LeadSource: lead.source, OwnerId: ownerId };
	return { ...fields, ...compact(named) };
}

/**
 * The oldest lead with the email, or a new one (created: true). The lookup runs first, so the whole
 * lookup-then-create is safe to repeat after a lost response and is retried as one unit; the create is sent once.
 * An existing lead is returned unchanged: a repeated form submission never overwrites what sales edited.
 */
export async function upsertLead(client: SalesforceClient, input: CrmLeadInput): Promise<CrmLeadUpsert> {
	const lead = parseLeadInput(input, VENDOR);
	const ownerId = lead.ownerId === undefined ? undefined : checkLeadOwnerId(lead.ownerId, 'lead.ownerId');
	const fields = leadFields(lead, ownerId);
	const outcome = await withRetry(
		async (): Promise<{ record: SalesforceRecord } | { id: string }> => {
			const [existing] = await queryLeads(client, `WHERE Email = ${soqlString(lead.email)} ORDER BY CreatedDate ASC, Id ASC LIMIT 1`, false);
			if (existing) return { record: existing };
			if (!lead.lastName) throw validationError('lead.lastName', 'a last name: Salesforce needs one to create a lead', undefined, VENDOR);
			if (!lead.company) throw validationError('lead.company', 'a company name: Salesforce needs one to create a lead', undefined, VENDOR);
			const created = await client.request<{ id?: string }>({ method: 'POST', path: '/sobjects/Lead', body: fields, headers: ownerId ? KEEP_OWNER : undefined }, { idempotent: false });
			if (!created?.id) throw new ConnectorError('permanent', 'Salesforce did not return the id of the created lead', { vendor: VENDOR });
			return { id: created.id };
		},
		{ idempotent: true, policy: client.retry, sleep: client.sleep },
	);
	if ('record' in outcome) return { ...toLead(outcome.record, {}, client.instanceUrl), created: false };
	return { ...(await getLead(client, outcome.id)), created: true };
}

export async function getLead(client: SalesforceClient, id: string, options?: LeadTouchOptions): Promise<CrmLead> {
	const leadId = checkLeadId(id, 'leadId');
	const touch = parseTouchOptions(options, VENDOR);
	const [record] = await queryLeads(client, `WHERE Id = ${soqlString(leadId)} LIMIT 1`);
	if (!record) throw new ConnectorError('not_found', `Salesforce lead ${leadId} not found`, { vendor: VENDOR, code: 'NOT_FOUND' });
	return toLead(record, touch, client.instanceUrl);
}

/** Reads the lead first: the same owner again writes nothing (changed: false); otherwise a PATCH of OwnerId. */
export async function changeLeadOwner(client: SalesforceClient, id: string, ownerId: string): Promise<CrmLeadOwnerChange> {
	const leadId = checkLeadId(id, 'leadId');
	const owner = checkLeadOwnerId(ownerId, 'ownerId');
	const current = await getLead(client, leadId);
	if (sameRecordId(current.ownerId, owner)) return { ...current, changed: false, previousOwnerId: current.ownerId };
	await client.request({ method: 'PATCH', path: `/sobjects/Lead/${leadId}`, body: { OwnerId: owner }, headers: KEEP_OWNER }, { idempotent: true });
	return compact({ ...(await getLead(client, leadId)), changed: true, previousOwnerId: current.ownerId });
}

/** By Email and/or SystemModstamp ≥ updatedSince (floored to the second), oldest change first. */
export async function findLeads(client: SalesforceClient, filter: CrmLeadFilter): Promise<CrmLead[]> {
	const parsed = parseLeadFilter(filter, VENDOR);
	const conditions: string[] = [];
	if (parsed.email !== undefined) conditions.push(`Email = ${soqlString(parsed.email)}`);
	if (parsed.updatedSince !== undefined) conditions.push(`SystemModstamp >= ${soqlDateTime(parsed.updatedSince)}`);
	const records = await queryLeads(client, `WHERE ${conditions.join(' AND ')} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${parsed.limit}`);
	return records.map((record) => toLead(record, parsed, client.instanceUrl));
}
