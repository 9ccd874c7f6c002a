import { isoDateTimeSchema, parseInput, z } from '../../core';
import type { CrmDeal } from '../types';
import type { HubspotClient } from './client';
import { toDeals, type SearchAnswer, type SearchRequestBody } from './deals';
import { VENDOR } from './errors';
import { DEAL_PROPERTIES, type HubspotRecord } from './mapping';
import { dealStages } from './pipelines';
import { SEARCH_PAGE_MAX } from './schemas';

const wonInputSchema = z.object({
	sinceIso: isoDateTimeSchema,
	limit: z.number().int().min(1).max(10_000),
});

const byTimeThenId = (a: CrmDeal, b: CrmDeal): number => {
	const dt = Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt);
	if (dt !== 0) return dt;
	return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
};

/**
 * Deals in any won stage (from pipeline metadata, every pipeline) changed at or after `sinceIso`, oldest
 * first; ties by id. Pages of 200 are read until `limit` (the search API stops at 10,000 results).
 */
export async function listWonDealsModifiedSince(client: HubspotClient, sinceIso: string, limit: number): Promise<CrmDeal[]> {
	const input = parseInput(wonInputSchema, { sinceIso, limit }, '', VENDOR);
	const wonIds = (await dealStages(client)).wonIds;
	if (wonIds.length === 0) return [];
	const deals: CrmDeal[] = [];
	let after: string | undefined;
	do {
		const body: SearchRequestBody = {
			filterGroups: [
				{
					filters: [
						{ propertyName: 'dealstage', operator: 'IN', values: wonIds },
						{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(input.sinceIso)) },
					],
				},
			],
			sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
			properties: DEAL_PROPERTIES,
			limit: Math.min(SEARCH_PAGE_MAX, input.limit - deals.length),
		};
		if (after) body.after = after;
		const answer = (await client.call((sdk, options) => sdk.crm.deals.searchApi.doSearch(body as never, options))) as SearchAnswer;
		// Normalised page by page so each association batch read stays small.
		deals.push(...(await toDeals(client, (answer.results ?? []) as HubspotRecord[])));
		after = answer.paging?.next?.after;
	} while (after && deals.length < input.limit);
	return deals.sort(byTimeThenId);
}
