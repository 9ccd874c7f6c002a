import { validationError } from '../../core';
import type { CrmPage, CrmSearch } from '../types';
import { VENDOR } from './errors';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;
/** SOQL refuses OFFSET above 2000. */
export const MAX_OFFSET = 2000;

export interface PageRequest {
	query: string;
	limit: number;
	offset: number;
}

/** Validates a search; the cursor is the SOQL OFFSET of the next page. */
export function pageRequest(search: CrmSearch | undefined): PageRequest {
	const query = search?.query ?? '';
	if (typeof query !== 'string' || query.length > 255) throw validationError('search.query', 'text of at most 255 characters', query, VENDOR);
	const limit = search?.limit ?? DEFAULT_PAGE_SIZE;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
		throw validationError('search.limit', `an integer from 1 to ${MAX_PAGE_SIZE}`, limit, VENDOR);
	}
	const cursor = search?.cursor;
	if (cursor !== undefined && cursor !== '' && !(/^\d{1,4}$/.test(cursor) && Number(cursor) <= MAX_OFFSET)) {
		throw validationError('search.cursor', 'a cursor returned by the previous page', cursor, VENDOR);
	}
	return { query: query.trim(), limit, offset: cursor ? Number(cursor) : 0 };
}

/** One extra row tells whether another page exists without a COUNT query. */
export function pageClause(page: PageRequest): string {
	return `LIMIT ${page.limit + 1}${page.offset > 0 ? ` OFFSET ${page.offset}` : ''}`;
}

export function toPage<R, T>(records: R[], page: PageRequest, map: (record: R) => T): CrmPage<T> {
	const items = records.slice(0, page.limit).map(map);
	const next = page.offset + page.limit;
	return records.length > page.limit && next <= MAX_OFFSET ? { items, nextCursor: String(next) } : { items };
}
