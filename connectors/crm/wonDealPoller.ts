/**
 * Polls a CRM for newly won deals without missing or repeating any. The traps (n8n issues #21028, #30536):
 * records sharing the cursor's timestamp are missed with `>` and repeated with `>=`; a page can end in the
 * middle of a timestamp; search indexes lag (HubSpot: seconds) so records appear after the cursor passed
 * them; a won deal edited again later must not fire again. Hence: inclusive queries with the ids already
 * seen at the boundary, an overlap window re-read every poll, and a long per-deal "won" dedupe mark.
 */
import { validationError, type DedupeStore } from '../core';
import type { CrmDeal, CrmProvider } from './types';

/** Where the next poll starts: the newest modification time seen and the ids seen at exactly that time. */
export interface PollCursor {
	since: string;
	boundaryIds: string[];
}

export interface PollWonDealsOptions {
	/** Current time in ms (injected so tests and n8n agree on one clock). */
	now: number;
	/** First run only: how far back to look; 0 (default) fires only for deals won from now on. */
	initialLookbackMs?: number;
	/** Re-read this far before the cursor for records that became visible late. Default 60 s. */
	overlapMs?: number;
	pageSize?: number;
	/** Bound on requests per phase (overlap re-read, then new records); the rest waits for the next poll. */
	maxPages?: number;
	dedupe: DedupeStore;
	dedupeTtlMs: number;
	/** Asked before each further page; true stops reading (e.g. the poll's time budget is nearly spent). */
	shouldStop?: () => boolean;
}

export interface PollWonDealsResult {
	/** Newly won deals, oldest change first. */
	deals: CrmDeal[];
	cursor: PollCursor;
}

export const DEFAULT_OVERLAP_MS = 60_000;
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_MAX_PAGES = 10;

export const wonDedupeKey = (deal: Pick<CrmDeal, 'provider' | 'id'>): string => `${deal.provider}:${deal.id}:won`;

const floorToSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();
const timeOf = (deal: CrmDeal): number => Date.parse(deal.modifiedAt);

function checkCount(field: string, value: number | undefined, fallback: number, min: number): number {
	if (value === undefined) return fallback;
	if (!Number.isInteger(value) || value < min) throw validationError(field, `an integer >= ${min}`, value);
	return value;
}

function checkOptions(state: PollCursor | undefined, options: PollWonDealsOptions) {
	if (!Number.isFinite(options.now)) throw validationError('now', 'a time in milliseconds', options.now);
	const lookback = checkCount('initialLookbackMs', options.initialLookbackMs, 0, 0);
	const overlap = checkCount('overlapMs', options.overlapMs, DEFAULT_OVERLAP_MS, 0);
	const pageSize = checkCount('pageSize', options.pageSize, DEFAULT_PAGE_SIZE, 1);
	const maxPages = checkCount('maxPages', options.maxPages, DEFAULT_MAX_PAGES, 1);
	if (!(options.dedupeTtlMs > 0)) throw validationError('dedupeTtlMs', 'a positive number of milliseconds', options.dedupeTtlMs);
	let since = options.now - lookback;
	if (state !== undefined) {
		since = Date.parse(state.since);
		if (!Number.isFinite(since)) throw validationError('state.since', 'an ISO timestamp', state.since);
		if (!Array.isArray(state.boundaryIds)) throw validationError('state.boundaryIds', 'an array of ids', state.boundaryIds);
	}
	return { lookback, overlap, pageSize, maxPages, since };
}

/**
 * Reads every won deal changed since the cursor (minus the overlap), claims a "won" mark per deal and
 * returns the deals claimed now plus the next cursor. Nothing is claimed until all pages are read, and a
 * failed claim releases the claims of this run, so an error never swallows a deal.
 */
export async function pollWonDeals(provider: CrmProvider, state: PollCursor | undefined, options: PollWonDealsOptions): Promise<PollWonDealsResult> {
	const { overlap, pageSize, maxPages, since } = checkOptions(state, options);
	// Versions already handled: id → modification time. Seeded with the boundary of the previous poll.
	const known = new Map<string, number>((state?.boundaryIds ?? []).map((id) => [id, since]));
	const candidates: CrmDeal[] = [];
	let newest = Number.NEGATIVE_INFINITY;
	let from = Math.max(0, since - overlap);
	let sweepPages = 0;
	let newPages = 0;

	for (;;) {
		// Inclusive queries re-return what was seen from `from` on (Salesforce floors to the second):
		// ask for that many more so a page full of ties still makes progress.
		const floor = floorToSecond(from);
		const reseen = [...known.values()].filter((at) => at >= floor).length;
		const limit = pageSize + reseen;
		const page = await provider.listWonDealsModifiedSince(iso(from), limit);
		if (from < since) sweepPages++;
		else newPages++;

		let fresh = 0;
		let last = from;
		for (const deal of page) {
			const at = timeOf(deal);
			if (!Number.isFinite(at)) throw validationError(`deals.${deal.id}.modifiedAt`, 'an ISO timestamp', deal.modifiedAt, provider.name);
			last = Math.max(last, at);
			newest = Math.max(newest, at);
			if (known.get(deal.id) === at) continue;
			known.set(deal.id, at);
			fresh++;
			if (deal.isWon) candidates.push(deal);
		}
		if (page.length < limit || fresh === 0 || options.shouldStop?.() === true) break;
		if (from < since && sweepPages >= maxPages) {
			// Overlap budget spent: move on to the records after the cursor so a flood cannot stall the poller.
			from = Math.max(last, since);
			continue;
		}
		if (from >= since && newPages >= maxPages) break;
		from = last;
	}

	// First run: deals in the overlap before the start are marked but not fired, so the next poll's
	// overlap re-read does not report wins from before activation.
	const silentBefore = state === undefined ? since : Number.NEGATIVE_INFINITY;
	const deals = await claimWon(candidates, options.dedupe, options.dedupeTtlMs, silentBefore);
	return { deals, cursor: nextCursor(since, state, newest, known, options.now) };
}

async function claimWon(candidates: CrmDeal[], dedupe: DedupeStore, ttlMs: number, silentBefore: number): Promise<CrmDeal[]> {
	candidates.sort((a, b) => timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const claimed: CrmDeal[] = [];
	try {
		for (const deal of candidates) {
			if (await dedupe.claim(wonDedupeKey(deal), ttlMs)) claimed.push(deal);
		}
	} catch (error) {
		await Promise.all(claimed.map((deal) => dedupe.release(wonDedupeKey(deal)).catch(() => undefined)));
		throw error;
	}
	return claimed.filter((deal) => timeOf(deal) >= silentBefore);
}

/** Never backwards, never beyond `now` (a CRM clock ahead of ours); ties at the new instant kept as the boundary. */
function nextCursor(since: number, state: PollCursor | undefined, newest: number, known: Map<string, number>, now: number): PollCursor {
	const target = Math.max(since, Math.min(newest, now));
	const atTarget = [...known.entries()].filter(([, at]) => at === target).map(([id]) => id);
	const carried = target === since ? (state?.boundaryIds ?? []) : [];
	return { since: iso(target), boundaryIds: [...new Set([...carried, ...atTarget])].sort() };
}

export interface LatestWonDealOptions {
	now: number;
	pageSize?: number;
	maxPages?: number;
}

const SAMPLE_WINDOWS_MS = [86_400_000, 30 * 86_400_000, 365 * 86_400_000];

/**
 * The most recently changed won deal, for n8n's manual "fetch test event" (reads only: no cursor, no marks).
 * Tries the recent-deals search first, then widening windows of the won-deals query.
 */
export async function latestWonDeal(provider: CrmProvider, options: LatestWonDealOptions): Promise<CrmDeal | undefined> {
	const pageSize = checkCount('pageSize', options.pageSize, DEFAULT_PAGE_SIZE, 1);
	const maxPages = checkCount('maxPages', options.maxPages, DEFAULT_MAX_PAGES, 1);
	const recent = await provider.searchDeals({ limit: pageSize });
	const won = recent.items.filter((deal) => deal.isWon);
	if (won.length > 0) return won.reduce((best, deal) => (timeOf(deal) > timeOf(best) ? deal : best));
	for (const window of SAMPLE_WINDOWS_MS) {
		let from = options.now - window;
		let latest: CrmDeal | undefined;
		for (let pages = 0; pages < maxPages; pages++) {
			const page = await provider.listWonDealsModifiedSince(iso(from), pageSize);
			if (page.length > 0) latest = page[page.length - 1];
			if (page.length < pageSize || latest === undefined || timeOf(latest) <= from) break;
			from = timeOf(latest);
		}
		if (latest !== undefined) return latest;
	}
	return undefined;
}
