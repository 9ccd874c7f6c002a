import { isConnectorError, validationError } from '../../core';
import type { CrmBatchResult, CrmDeal, CrmDealUpdate } from '../types';
import type { SalesforceClient } from './client';
import { getDeal } from './deals';
import { recordErrorText, VENDOR, type SalesforceApiError } from './errors';
import { checkRecordId, checkUserId } from './ids';

/** sObject Collections take at most 200 records per request. */
export const COLLECTION_CHUNK = 200;
const FIELD_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** The Opportunity fields an update writes: stage → StageName, ownerId → OwnerId, properties as given. */
export function opportunityFields(update: CrmDealUpdate | undefined, field: string): Record<string, unknown> {
	if (!update || typeof update !== 'object') throw validationError(field, 'an object with stage, ownerId or properties', update, VENDOR);
	const fields: Record<string, unknown> = {};
	const properties = update.properties ?? {};
	if (typeof properties !== 'object' || Array.isArray(properties)) {
		throw validationError(`${field}.properties`, 'an object of field API names to values', properties, VENDOR);
	}
	for (const [name, value] of Object.entries(properties)) {
		if (!FIELD_API_NAME.test(name) || name.toLowerCase() === 'id') {
			throw validationError(`${field}.properties.${name}`, 'a writable Opportunity field API name such as Subscription_Id__c', name, VENDOR);
		}
		fields[name] = value;
	}
	if (update.stage !== undefined) {
		if (typeof update.stage !== 'string' || update.stage.trim() === '' || update.stage.length > 255) {
			throw validationError(`${field}.stage`, 'a stage name (StageName picklist value)', update.stage, VENDOR);
		}
		fields.StageName = update.stage.trim();
	}
	if (update.ownerId !== undefined) fields.OwnerId = checkUserId(update.ownerId, `${field}.ownerId`);
	if (Object.keys(fields).length === 0) throw validationError(field, 'at least one of stage, ownerId or properties', update, VENDOR);
	return fields;
}

/** PATCH of the given fields (setting the same values twice is harmless, so it is retried), then the re-read deal. */
export async function updateDeal(client: SalesforceClient, id: string, update: CrmDealUpdate): Promise<CrmDeal> {
	const dealId = checkRecordId(id, 'dealId');
	const fields = opportunityFields(update, 'update');
	await client.request({ method: 'PATCH', path: `/sobjects/Opportunity/${dealId}`, body: fields }, { idempotent: true });
	return getDeal(client, dealId, Object.keys(update.properties ?? {}));
}

export async function changeOwner(client: SalesforceClient, dealId: string, ownerId: string): Promise<CrmDeal> {
	checkRecordId(dealId, 'dealId');
	return updateDeal(client, dealId, { ownerId: checkUserId(ownerId, 'ownerId') });
}

interface CollectionResult {
	id?: string | null;
	success: boolean;
	errors?: SalesforceApiError[];
}

/** Composite sObject Collections PATCH (allOrNone false), 200 records per request, one result per input. */
export async function updateDeals(client: SalesforceClient, updates: Array<{ id: string } & CrmDealUpdate>): Promise<CrmBatchResult[]> {
	if (!Array.isArray(updates)) throw validationError('updates', 'a list of deal updates', updates, VENDOR);
	const seen = new Set<string>();
	const records = updates.map((update, index) => {
		const id = checkRecordId(update?.id, `updates.${index}.id`);
		if (seen.has(id)) throw validationError(`updates.${index}.id`, 'each deal at most once per batch', id, VENDOR);
		seen.add(id);
		return { attributes: { type: 'Opportunity' }, id, ...opportunityFields(update, `updates.${index}`) };
	});
	const results: CrmBatchResult[] = [];
	for (let start = 0; start < records.length; start += COLLECTION_CHUNK) {
		const chunk = records.slice(start, start + COLLECTION_CHUNK);
		try {
			const answer = await client.request<CollectionResult[]>(
				{ method: 'PATCH', path: '/composite/sobjects', body: { allOrNone: false, records: chunk } },
				{ idempotent: true },
			);
			chunk.forEach((record, index) => {
				const result = answer[index];
				results.push(result?.success ? { id: record.id, ok: true } : { id: record.id, ok: false, error: recordErrorText(result?.errors) });
			});
		} catch (error) {
			// A credential problem fails every chunk alike; anything else is reported per record so earlier chunks' results survive.
			if (!isConnectorError(error) || error.kind === 'auth') throw error;
			for (const record of chunk) results.push({ id: record.id, ok: false, error: error.message });
		}
	}
	return results;
}
