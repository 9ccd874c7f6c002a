import { isConnectorError, validationError } from '../../core';
import type { CrmBatchResult, CrmDeal, CrmDealUpdate } from '../types';
import type { HubspotClient } from './client';
import { getDeal } from './deals';
import { VENDOR } from './errors';
import { parseId, propertyNameSchema } from './schemas';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const BATCH_SIZE = 100;

/** HubSpot properties are strings on the wire; nested objects have no meaning there and are refused. */
export function propertyValue(value: unknown, field: string): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString();
	throw validationError(field, 'a text, number, boolean or date value', value, VENDOR);
}

/** stage → dealstage, ownerId → hubspot_owner_id, the rest as given. */
export function dealPropertiesFor(update: CrmDealUpdate | undefined, field: string): Record<string, string> {
	if (!update || typeof update !== 'object') throw validationError(field, 'an object with stage, ownerId or properties', update, VENDOR);
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(update.properties ?? {})) {
		const parsed = propertyNameSchema.safeParse(name);
		if (!parsed.success) throw validationError(`${field}.properties`, 'HubSpot internal property names (letters, digits, _)', name, VENDOR);
		out[parsed.data] = propertyValue(value, `${field}.properties.${name}`);
	}
	if (update.stage !== undefined) {
		if (typeof update.stage !== 'string' || update.stage.trim() === '') throw validationError(`${field}.stage`, 'a HubSpot deal stage id', update.stage, VENDOR);
		out.dealstage = update.stage.trim();
	}
	if (update.ownerId !== undefined) out.hubspot_owner_id = parseId(update.ownerId, `${field}.ownerId`);
	if (Object.keys(out).length === 0) throw validationError(field, 'at least one of stage, ownerId or properties', update, VENDOR);
	return out;
}

/** PATCH the deal, then re-read it so the answer carries stage meaning, company and URL. */
export async function updateDeal(client: HubspotClient, id: string, update: CrmDealUpdate): Promise<CrmDeal> {
	const dealId = parseId(id, 'dealId');
	const properties = dealPropertiesFor(update, 'update');
	// Setting the same values twice has the same effect, so a transient failure may be retried.
	await client.call((sdk, options) => sdk.crm.deals.basicApi.update(dealId, { properties }, undefined, options), { idempotent: true });
	return getDeal(client, dealId);
}

export async function changeOwner(client: HubspotClient, dealId: string, ownerId: string): Promise<CrmDeal> {
	return updateDeal(client, dealId, { ownerId: parseId(ownerId, 'ownerId') });
}

interface BatchAnswer {
	results?: Array<{ id?: unknown }>;
	errors?: Array<{ message?: string; category?: string; context?: Record<string, unknown> }>;
}

/** `POST /crm/v3/objects/deals/batch/update` in chunks of 100, one result per input. */
export async function updateDeals(client: HubspotClient, updates: Array<{ id: string } & CrmDealUpdate>): Promise<CrmBatchResult[]> {
	if (!Array.isArray(updates)) throw validationError('updates', 'an array of { id, stage?, ownerId?, properties? }', updates, VENDOR);
	const seen = new Set<string>();
	const inputs = updates.map((update, index) => {
		const id = parseId(update?.id, `updates.${index}.id`);
		// HubSpot rejects a whole batch that names a record twice.
		if (seen.has(id)) throw validationError(`updates.${index}.id`, 'each deal id at most once', id, VENDOR);
		seen.add(id);
		return { id, properties: dealPropertiesFor(update, `updates.${index}`) };
	});
	const results: CrmBatchResult[] = [];
	for (let start = 0; start < inputs.length; start += BATCH_SIZE) {
		const chunk = inputs.slice(start, start + BATCH_SIZE);
		results.push(...(await updateChunk(client, chunk)));
	}
	return results;
}

async function updateChunk(client: HubspotClient, chunk: Array<{ id: string; properties: Record<string, string> }>): Promise<CrmBatchResult[]> {
	let answer: BatchAnswer;
	try {
		answer = (await client.call((sdk, options) => sdk.crm.deals.batchApi.update({ inputs: chunk }, options), { idempotent: true })) as BatchAnswer;
	} catch (error) {
		// A bad credential fails every chunk alike: raise it instead of N identical per-record errors.
		if (!isConnectorError(error) || error.kind === 'auth') throw error;
		return chunk.map(({ id }) => ({ id, ok: false, error: error.message }));
	}
	const updated = new Set((answer.results ?? []).map((r) => String(r.id)));
	const failures = new Map<string, string>();
	for (const failure of answer.errors ?? []) {
		for (const id of idsOf(failure.context)) failures.set(id, `${failure.category ?? 'error'}: ${failure.message ?? 'not updated'}`);
	}
	return chunk.map(({ id }) => {
		if (updated.has(id)) return { id, ok: true };
		return { id, ok: false, error: failures.get(id) ?? 'HubSpot did not report this deal as updated' };
	});
}

/** Batch errors name their records in `context.ids` (or `context.id`). */
function idsOf(context: Record<string, unknown> | undefined): string[] {
	const ids = context?.ids ?? context?.id;
	if (Array.isArray(ids)) return ids.map(String);
	return ids === undefined || ids === null ? [] : [String(ids)];
}
