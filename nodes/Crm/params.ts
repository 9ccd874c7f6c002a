import type { IExecuteFunctions } from 'n8n-workflow';
import type { CrmPage, CrmSearch } from '../../connectors/crm';
import { validationError } from '../../connectors/core';

import { stringParameter } from '../shared/params';

export { isPlainObject, locatorParameter, optionsParameter, parseJson, requiredLocator, requiredString, stringParameter } from '../shared/params';

/** Reads "Return All" / "Limit" and the search text of a Get Many operation. */
export function listParameters(context: IExecuteFunctions, itemIndex: number): { query: string; limit: number | undefined } {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const query = stringParameter(context, 'query', itemIndex);
	if (returnAll) return { query, limit: undefined };
	const limit = Number(context.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) throw validationError('limit', 'a whole number of at least 1', limit);
	return { query, limit };
}

const PAGE_SIZE = 100;
/** A guard against a CRM cursor that never ends (or repeats). */
const MAX_PAGES = 500;

/** Follows cursors until `limit` items (or all of them when `limit` is undefined). */
export async function collectPages<T>(
	fetchPage: (search: CrmSearch) => Promise<CrmPage<T>>,
	query: string,
	limit: number | undefined,
): Promise<T[]> {
	const items: T[] = [];
	const seenCursors = new Set<string>();
	let cursor: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const wanted = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - items.length);
		const result = await fetchPage({ ...(query ? { query } : {}), limit: wanted, ...(cursor ? { cursor } : {}) });
		items.push(...result.items);
		if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
		cursor = result.nextCursor;
		if (!cursor || seenCursors.has(cursor) || result.items.length === 0) return items;
		seenCursors.add(cursor);
	}
	return items;
}
