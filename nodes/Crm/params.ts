import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CrmPage, CrmSearch } from '../../connectors/crm';
import { validationError } from '../../connectors/core';

/** A trimmed string parameter ('' when unset). */
export function stringParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

/** A string parameter that must not be blank: checked before any CRM call. */
export function requiredString(context: IExecuteFunctions, name: string, itemIndex: number, expected: string): string {
	const value = stringParameter(context, name, itemIndex);
	if (value === '') throw validationError(name, expected, value);
	return value;
}

/** A resource locator's value (list, ID or URL mode), trimmed. */
export function locatorParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value ?? '').trim();
	return value === undefined || value === null ? '' : String(value).trim();
}

export function requiredLocator(context: IExecuteFunctions, name: string, itemIndex: number, expected: string): string {
	const value = locatorParameter(context, name, itemIndex);
	if (value === '') throw validationError(name, expected, value);
	return value;
}

export function optionsParameter(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** A JSON parameter: already parsed when set by an expression, else a JSON string; blank → fallback. */
export function parseJson(raw: unknown, field: string, fallback: unknown): unknown {
	if (raw === undefined || raw === null) return fallback;
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') return fallback;
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		throw validationError(field, 'valid JSON', raw);
	}
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
