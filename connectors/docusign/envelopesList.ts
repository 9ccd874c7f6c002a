import { parseInput } from '../core';
import { VENDOR } from './config';
import { daysAgo } from './envelopeFind';
import { toEnvelopeSummary } from './mappers';
import { nextCursor } from './pagination';
import { envelopeSearchSchema } from './schemas';
import type { DocusignSession } from './session';
import type { EnvelopeSummary, Page } from './types';

export interface EnvelopeSearch {
	query?: string;
	/** ISO date; default 30 days ago (DocuSign requires a start date). */
	fromDate?: string;
	limit?: number;
	cursor?: string;
}

export const DEFAULT_ENVELOPE_LOOKBACK_DAYS = 30;

export async function listEnvelopes(session: DocusignSession, search: EnvelopeSearch = {}): Promise<Page<EnvelopeSummary>> {
	const data = parseInput(envelopeSearchSchema, search, 'search', VENDOR);
	const start = Number(data.cursor ?? 0);
	const page = await session.call(
		'GET envelopes',
		({ envelopes, accountId }) =>
			envelopes.listStatusChanges(accountId, {
				fromDate: data.fromDate ?? daysAgo(session.now(), DEFAULT_ENVELOPE_LOOKBACK_DAYS),
				searchText: data.query,
				count: String(data.limit),
				startPosition: String(start),
				order: 'desc',
				orderBy: 'created',
			}),
		{ idempotent: true },
	);
	const list = Array.isArray(page?.envelopes) ? page.envelopes : [];
	const items = list.map(toEnvelopeSummary).filter((envelope) => envelope.envelopeId !== '');
	const cursor = nextCursor(page ?? {}, start, list.length);
	return cursor === undefined ? { items } : { items, nextCursor: cursor };
}
