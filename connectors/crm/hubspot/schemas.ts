import { parseInput, z } from '../../core';
import type { CrmSearch } from '../types';
import { VENDOR } from './errors';

/** HubSpot record ids (deals, companies, owners, tasks) are digits. */
export const recordIdSchema = z.string().trim().regex(/^\d+$/, 'a HubSpot record id (digits only)');

export const propertyNameSchema = z.string().trim().regex(/^[A-Za-z0-9_]+$/, 'a HubSpot internal property name such as "subscription_id"');

/** The CRM search API returns at most 200 records per request. */
export const SEARCH_PAGE_MAX = 200;

const searchSchema = z
	.object({
		query: z.string().trim().max(3000).optional(),
		limit: z.number().int().min(1).max(SEARCH_PAGE_MAX).default(20),
		cursor: z.string().trim().regex(/^\d*$/, 'a cursor returned by a previous page').optional(),
	})
	.default({});

export function parseSearch(search: CrmSearch | undefined, label: string): { query?: string; limit: number; cursor?: string } {
	const parsed = parseInput(searchSchema, search, label, VENDOR);
	return { limit: parsed.limit, query: parsed.query || undefined, cursor: parsed.cursor || undefined };
}

export function parseId(value: unknown, field: string): string {
	return parseInput(recordIdSchema, value, field, VENDOR);
}
