import { parseInput, z } from '../../core';
import type { CrmOwner, CrmPage, CrmSearch } from '../types';
import type { HubspotClient } from './client';
import { VENDOR } from './errors';
import { toOwner, type HubspotOwnerRecord } from './mapping';

/** `GET /crm/v3/owners` pages hold at most 500 owners. */
export const OWNERS_PAGE_MAX = 500;

const ownerSearchSchema = z
	.object({
		query: z.string().trim().max(200).optional(),
		limit: z.number().int().min(1).max(OWNERS_PAGE_MAX).default(100),
		cursor: z.string().trim().min(1).max(500).optional(),
	})
	.default({});

/** Owners page by page; the owners API has no text search, so the query filters name/email here. */
export async function listOwners(client: HubspotClient, search: CrmSearch): Promise<CrmPage<CrmOwner>> {
	const { query, limit, cursor } = parseInput(ownerSearchSchema, search, 'search', VENDOR);
	const answer = (await client.call((sdk, options) => sdk.crm.owners.ownersApi.getPage(undefined, cursor, limit, false, options))) as {
		results?: HubspotOwnerRecord[];
		paging?: { next?: { after?: string } };
	};
	const needle = query?.toLowerCase();
	const items = (answer.results ?? [])
		.map(toOwner)
		.filter((owner) => !needle || owner.name.toLowerCase().includes(needle) || (owner.email ?? '').toLowerCase().includes(needle) || owner.id === needle);
	const next = answer.paging?.next?.after;
	return next ? { items, nextCursor: String(next) } : { items };
}
