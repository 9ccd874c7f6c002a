import { parseInput, z } from '../../core';
import type { CrmDeal, CrmPage, CrmSearch } from '../types';
import { companiesOfDeals, companyOfDeal } from './associations';
import type { HubspotClient } from './client';
import { VENDOR } from './errors';
import { DEAL_PROPERTIES, toDeal, type HubspotRecord } from './mapping';
import { stagesCovering } from './pipelines';
import { parseId, parseSearch, propertyNameSchema } from './schemas';

const propertiesSchema = z.array(propertyNameSchema).max(200).optional();

export function dealProperties(extra?: string[]): string[] {
	const requested = parseInput(propertiesSchema, extra, 'properties', VENDOR) ?? [];
	return [...new Set([...DEAL_PROPERTIES, ...requested])];
}

/** Normalises search results: one pipelines read (cached) and one batch association read per page. */
export async function toDeals(client: HubspotClient, records: HubspotRecord[]): Promise<CrmDeal[]> {
	if (records.length === 0) return [];
	const stages = await stagesCovering(client, records.map((r) => r.properties?.dealstage));
	const companies = await companiesOfDeals(client, records.map((r) => String(r.id)));
	return records.map((record) => toDeal(record, stages, companies.get(String(record.id)), client.config.portalId));
}

export async function getDeal(client: HubspotClient, id: string, properties?: string[]): Promise<CrmDeal> {
	const dealId = parseId(id, 'dealId');
	const names = dealProperties(properties);
	const record = (await client.call((sdk, options) => sdk.crm.deals.basicApi.getById(dealId, names, undefined, undefined, undefined, undefined, options))) as HubspotRecord;
	const stages = await stagesCovering(client, [record.properties?.dealstage]);
	const accountId = await companyOfDeal(client, dealId);
	return toDeal(record, stages, accountId, client.config.portalId);
}

export interface SearchRequestBody {
	query?: string;
	limit: number;
	after?: string;
	sorts: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
	properties: string[];
	filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string; values?: string[] }> }>;
}

export interface SearchAnswer {
	results: HubspotRecord[];
	paging?: { next?: { after?: string } };
}

/**
 * Recent-first CRM search. Digits also match the record id: HubSpot's free text does not cover ids,
 * so a numeric query becomes "id = q OR name contains q" (filter groups are OR-ed).
 */
export function searchBody(search: { query?: string; limit: number; cursor?: string }, nameProperty: string, properties: string[]): SearchRequestBody {
	const body: SearchRequestBody = {
		limit: search.limit,
		sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }],
		properties,
		filterGroups: [],
	};
	if (search.cursor) body.after = search.cursor;
	if (search.query && /^\d+$/.test(search.query)) {
		body.filterGroups = [
			{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: search.query }] },
			{ filters: [{ propertyName: nameProperty, operator: 'CONTAINS_TOKEN', value: `*${search.query}*` }] },
		];
	} else if (search.query) {
		body.query = search.query;
	}
	return body;
}

export async function searchDeals(client: HubspotClient, search: CrmSearch): Promise<CrmPage<CrmDeal>> {
	const parsed = parseSearch(search, 'search');
	const body = searchBody(parsed, 'dealname', DEAL_PROPERTIES);
	const answer = (await client.call((sdk, options) => sdk.crm.deals.searchApi.doSearch(body as never, options))) as SearchAnswer;
	const items = await toDeals(client, answer.results ?? []);
	const next = answer.paging?.next?.after;
	return next ? { items, nextCursor: String(next) } : { items };
}
