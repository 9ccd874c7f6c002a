import { parseInput } from '../core';
import { VENDOR } from './config';
import { str } from './mappers';
import { nextCursor } from './pagination';
import { templateSearchSchema } from './schemas';
import type { DocusignSession } from './session';
import type { Page } from './types';

export interface TemplateSearch {
	query?: string;
	limit?: number;
	cursor?: string;
}

export async function listTemplates(session: DocusignSession, search: TemplateSearch = {}): Promise<Page<{ id: string; name: string }>> {
	const data = parseInput(templateSearchSchema, search, 'search', VENDOR);
	const start = Number(data.cursor ?? 0);
	const page = await session.call(
		'GET templates',
		({ templates, accountId }) =>
			templates.listTemplates(accountId, { searchText: data.query, count: String(data.limit), startPosition: String(start), orderBy: 'name', order: 'asc' }),
		{ idempotent: true },
	);
	const list = (Array.isArray(page?.envelopeTemplates) ? page.envelopeTemplates : []) as { templateId?: unknown; name?: unknown }[];
	const items = list
		.map((template) => ({ id: str(template.templateId) ?? '', name: str(template.name) ?? '' }))
		.filter((template) => template.id !== '');
	const cursor = nextCursor(page ?? {}, start, list.length);
	return cursor === undefined ? { items } : { items, nextCursor: cursor };
}
