import { ConnectorError, MemoryDedupeStore, type DedupeStore } from '../../core';
import type { CrmDeal, CrmProvider } from '../types';
import { latestWonDeal, pollWonDeals, wonDedupeKey, type PollCursor, type PollWonDealsOptions } from '../wonDealPoller';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const sec = (n: number) => T0 + n * 1000;
const TTL = 365 * 86_400_000;

interface StoredDeal {
	id: string;
	at: number;
	isWon?: boolean;
	/** Hidden from queries until made visible (search-index lag). */
	hidden?: boolean;
}

/** In-memory CRM that answers like the providers: inclusive, oldest first, ties by id, at most `limit`. */
class FakeCrm {
	deals = new Map<string, StoredDeal>();
	calls: Array<{ since: string; limit: number }> = [];
	recent: CrmDeal[] = [];
	constructor(private readonly options: { floorToSecond?: boolean; maxLimit?: number } = {}) {}

	put(id: string, at: number, extra: Partial<StoredDeal> = {}) {
		this.deals.set(id, { id, at, isWon: true, ...extra });
	}

	provider(): CrmProvider {
		return {
			name: 'hubspot',
			listWonDealsModifiedSince: async (since: string, limit: number) => {
				this.calls.push({ since, limit });
				let from = Date.parse(since);
				if (this.options.floorToSecond) from = Math.floor(from / 1000) * 1000;
				return [...this.deals.values()]
					.filter((d) => d.isWon && !d.hidden && d.at >= from)
					.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
					.slice(0, Math.min(limit, this.options.maxLimit ?? Infinity))
					.map((d) => deal(d.id, d.at));
			},
			searchDeals: async () => ({ items: this.recent }),
		} as unknown as CrmProvider;
	}
}

function deal(id: string, at: number, isWon = true): CrmDeal {
	return { provider: 'hubspot', id, name: `Deal ${id}`, stageId: 'won', isClosed: isWon, isWon, modifiedAt: new Date(at).toISOString(), properties: {} };
}

const ids = (deals: CrmDeal[]) => deals.map((d) => d.id);

function poller(crm: FakeCrm, base: Partial<PollWonDealsOptions> = {}) {
	const dedupe = new MemoryDedupeStore(() => T0);
	let cursor: PollCursor | undefined;
	const fired: string[] = [];
	return {
		get cursor() {
			return cursor;
		},
		fired,
		async poll(now: number, extra: Partial<PollWonDealsOptions> = {}) {
			const result = await pollWonDeals(crm.provider(), cursor, { now, dedupe, dedupeTtlMs: TTL, ...base, ...extra });
			cursor = result.cursor;
			fired.push(...ids(result.deals));
			return result;
		},
	};
}

describe('pollWonDeals', () => {
	it('fires nothing for deals won before activation and starts the cursor at now (no lookback)', async () => {
		const crm = new FakeCrm();
		crm.put('old', sec(-5));
		const p = poller(crm);
		const first = await p.poll(sec(0));
		expect(first.deals).toEqual([]);
		expect(first.cursor).toEqual({ since: new Date(sec(0)).toISOString(), boundaryIds: [] });
		// The overlap before the start is read and marked, so the next poll's re-read does not report it.
		expect(crm.calls[0].since).toBe(new Date(sec(-60)).toISOString());
		crm.put('new', sec(3));
		expect(ids((await p.poll(sec(10))).deals)).toEqual(['new']);
		expect(p.fired).toEqual(['new']);
	});

	it('looks back initialLookbackMs on the first run only', async () => {
		const crm = new FakeCrm();
		crm.put('a', sec(-50));
		crm.put('b', sec(-500));
		const p = poller(crm, { initialLookbackMs: 100_000 });
		expect(ids((await p.poll(sec(0))).deals)).toEqual(['a']);
		expect(p.cursor).toEqual({ since: new Date(sec(-50)).toISOString(), boundaryIds: ['a'] });
	});

	it('returns every deal sharing one timestamp exactly once, across pages and later polls', async () => {
		const crm = new FakeCrm();
		const p = poller(crm, { pageSize: 2 });
		await p.poll(sec(0));
		for (const id of ['d1', 'd2', 'd3', 'd4', 'd5']) crm.put(id, sec(5));
		const result = await p.poll(sec(10));
		expect(ids(result.deals)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
		expect(result.cursor).toEqual({ since: new Date(sec(5)).toISOString(), boundaryIds: ['d1', 'd2', 'd3', 'd4', 'd5'] });
		// A tie that became visible later, sorting in the middle, fires alone; the others do not repeat.
		crm.put('d25', sec(5));
		expect(ids((await p.poll(sec(20))).deals)).toEqual(['d25']);
		expect(ids((await p.poll(sec(30))).deals)).toEqual([]);
		expect(p.fired).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd25']);
	});

	it('makes progress when a whole page shares the cursor second (Salesforce floors to the second)', async () => {
		const crm = new FakeCrm({ floorToSecond: true });
		const p = poller(crm, { pageSize: 3, overlapMs: 0 });
		await p.poll(sec(0));
		for (let i = 0; i < 7; i++) crm.put(`s${i}`, sec(5));
		crm.put('later', sec(6));
		expect(ids((await p.poll(sec(10))).deals)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 'later']);
		// The limit grew with the ties already seen instead of re-reading the same page.
		expect(crm.calls.slice(1).map((c) => c.limit)).toEqual([3, 6, 9]);
	});

	it('catches records that became visible late within the overlap window, not beyond it', async () => {
		const crm = new FakeCrm();
		const p = poller(crm, { overlapMs: 30_000 });
		await p.poll(sec(0));
		crm.put('visible', sec(100));
		crm.put('lagging', sec(90), { hidden: true });
		crm.put('very-late', sec(40), { hidden: true });
		expect(ids((await p.poll(sec(101))).deals)).toEqual(['visible']);
		crm.put('lagging', sec(90));
		crm.put('very-late', sec(40));
		expect(ids((await p.poll(sec(110))).deals)).toEqual(['lagging']);
		expect(p.cursor?.since).toBe(new Date(sec(100)).toISOString());
	});

	it('does not fire again for a won deal edited later, but moves the cursor', async () => {
		const crm = new FakeCrm();
		const p = poller(crm);
		await p.poll(sec(0));
		crm.put('won', sec(5));
		expect(ids((await p.poll(sec(10))).deals)).toEqual(['won']);
		crm.put('won', sec(200));
		const again = await p.poll(sec(300));
		expect(again.deals).toEqual([]);
		expect(again.cursor).toEqual({ since: new Date(sec(200)).toISOString(), boundaryIds: ['won'] });
	});

	it('keeps the cursor on empty polls and never moves it backwards', async () => {
		const crm = new FakeCrm();
		const p = poller(crm, { overlapMs: 60_000 });
		await p.poll(sec(0));
		crm.put('a', sec(50));
		await p.poll(sec(60));
		const before = p.cursor;
		expect((await p.poll(sec(120))).cursor).toEqual(before);
		// Only records older than the cursor (inside the overlap) are seen: the cursor stays.
		crm.put('older', sec(20));
		const result = await p.poll(sec(130));
		expect(ids(result.deals)).toEqual(['older']);
		expect(result.cursor).toEqual(before);
	});

	it('never moves the cursor beyond now when the CRM clock is ahead, and fires such a deal once', async () => {
		const crm = new FakeCrm();
		const p = poller(crm);
		await p.poll(sec(0));
		crm.put('future', sec(40));
		const first = await p.poll(sec(10));
		expect(ids(first.deals)).toEqual(['future']);
		expect(first.cursor).toEqual({ since: new Date(sec(10)).toISOString(), boundaryIds: [] });
		expect((await p.poll(sec(20))).deals).toEqual([]);
		expect((await p.poll(sec(50))).cursor.since).toBe(new Date(sec(40)).toISOString());
		expect(p.fired).toEqual(['future']);
	});

	it('stops after maxPages and continues on the next poll without gaps or repeats', async () => {
		const crm = new FakeCrm();
		const p = poller(crm, { pageSize: 5, maxPages: 2, overlapMs: 0 });
		await p.poll(sec(0));
		for (let i = 0; i < 25; i++) crm.put(`m${String(i).padStart(2, '0')}`, sec(10 + i));
		const first = await p.poll(sec(100));
		expect(first.deals).toHaveLength(10);
		expect(first.cursor.since).toBe(new Date(sec(19)).toISOString());
		await p.poll(sec(101));
		await p.poll(sec(102));
		expect(p.fired).toEqual([...Array(25).keys()].map((i) => `m${String(i).padStart(2, '0')}`));
	});

	it('stops reading early when asked (time budget) and continues on the next poll', async () => {
		const crm = new FakeCrm();
		const p = poller(crm, { pageSize: 2, overlapMs: 0 });
		await p.poll(sec(0));
		for (let i = 0; i < 6; i++) crm.put(`b${i}`, sec(1 + i));
		let pages = 0;
		const first = await p.poll(sec(10), { shouldStop: () => ++pages >= 1 });
		expect(ids(first.deals)).toEqual(['b0', 'b1']);
		await p.poll(sec(11));
		expect(p.fired).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
	});

	it('is not stalled by a flood of already-seen records inside the overlap window', async () => {
		const crm = new FakeCrm();
		const p = poller(crm, { pageSize: 5, maxPages: 2, overlapMs: 60_000 });
		await p.poll(sec(0));
		for (let i = 0; i < 30; i++) crm.put(`old${String(i).padStart(2, '0')}`, sec(1) + i * 100);
		for (let i = 0; i < 30; i++) await p.poll(sec(10 + i));
		expect(new Set(p.fired).size).toBe(30);
		crm.put('fresh', sec(45));
		expect(ids((await p.poll(sec(46))).deals)).toEqual(['fresh']);
	});

	it('ignores deals the provider returns that are not won', async () => {
		const crm = new FakeCrm();
		const provider = crm.provider();
		provider.listWonDealsModifiedSince = async () => [deal('lost', sec(1), false), deal('won', sec(2))];
		const dedupe = new MemoryDedupeStore();
		const result = await pollWonDeals(provider, undefined, { now: sec(5), initialLookbackMs: 10_000, dedupe, dedupeTtlMs: TTL });
		expect(ids(result.deals)).toEqual(['won']);
	});

	it('keys the dedupe mark per provider and deal', () => {
		expect(wonDedupeKey({ provider: 'salesforce', id: '006A' })).toBe('salesforce:006A:won');
	});

	it('claims nothing when the provider fails mid-way', async () => {
		const crm = new FakeCrm();
		for (let i = 0; i < 4; i++) crm.put(`x${i}`, sec(1 + i));
		const provider = crm.provider();
		const list = provider.listWonDealsModifiedSince;
		let calls = 0;
		provider.listWonDealsModifiedSince = async (since, limit) => {
			if (++calls === 2) throw new ConnectorError('transient', 'HubSpot unavailable');
			return list(since, limit);
		};
		const dedupe = new MemoryDedupeStore();
		const options = { now: sec(10), initialLookbackMs: 60_000, pageSize: 2, dedupe, dedupeTtlMs: TTL };
		await expect(pollWonDeals(provider, undefined, options)).rejects.toThrow('HubSpot unavailable');
		const retry = await pollWonDeals(provider, undefined, options);
		expect(ids(retry.deals)).toEqual(['x0', 'x1', 'x2', 'x3']);
	});

	it('releases the claims of the run when the dedupe store fails', async () => {
		const crm = new FakeCrm();
		crm.put('a', sec(1));
		crm.put('b', sec(2));
		const memory = new MemoryDedupeStore();
		const failing: DedupeStore = {
			claim: async (key, ttl) => (key.includes(':b:') ? Promise.reject(new Error('disk full')) : memory.claim(key, ttl)),
			release: (key) => memory.release(key),
		};
		const options = { now: sec(10), initialLookbackMs: 60_000, dedupeTtlMs: TTL };
		await expect(pollWonDeals(crm.provider(), undefined, { ...options, dedupe: failing })).rejects.toThrow('disk full');
		expect(ids((await pollWonDeals(crm.provider(), undefined, { ...options, dedupe: memory })).deals)).toEqual(['a', 'b']);
	});

	it('rejects bad options and cursors before any request', async () => {
		const crm = new FakeCrm();
		const dedupe = new MemoryDedupeStore();
		const base = { now: sec(0), dedupe, dedupeTtlMs: TTL };
		await expect(pollWonDeals(crm.provider(), undefined, { ...base, pageSize: 0 })).rejects.toMatchObject({ kind: 'validation', field: 'pageSize' });
		await expect(pollWonDeals(crm.provider(), undefined, { ...base, maxPages: 1.5 })).rejects.toMatchObject({ field: 'maxPages' });
		await expect(pollWonDeals(crm.provider(), undefined, { ...base, dedupeTtlMs: 0 })).rejects.toMatchObject({ field: 'dedupeTtlMs' });
		await expect(pollWonDeals(crm.provider(), undefined, { ...base, now: Number.NaN })).rejects.toMatchObject({ field: 'now' });
		await expect(pollWonDeals(crm.provider(), { since: 'yesterday', boundaryIds: [] }, base)).rejects.toMatchObject({ field: 'state.since' });
		await expect(pollWonDeals(crm.provider(), { since: new Date(sec(0)).toISOString(), boundaryIds: 'x' as unknown as string[] }, base)).rejects.toMatchObject({ field: 'state.boundaryIds' });
		expect(crm.calls).toHaveLength(0);
	});

	it('rejects a deal without a parsable modification time, naming it', async () => {
		const crm = new FakeCrm();
		const provider = crm.provider();
		provider.listWonDealsModifiedSince = async () => [{ ...deal('bad', sec(1)), modifiedAt: 'n/a' }];
		await expect(pollWonDeals(provider, undefined, { now: sec(5), dedupe: new MemoryDedupeStore(), dedupeTtlMs: TTL })).rejects.toMatchObject({ field: 'deals.bad.modifiedAt' });
	});
});

describe('latestWonDeal (manual-mode sample)', () => {
	it('picks the newest won deal from the recent-deals search without claiming anything', async () => {
		const crm = new FakeCrm();
		crm.recent = [deal('open', sec(9), false), deal('w1', sec(3)), deal('w2', sec(7))];
		expect((await latestWonDeal(crm.provider(), { now: sec(10) }))?.id).toBe('w2');
		expect(crm.calls).toHaveLength(0);
	});

	it('falls back to the won-deals query, paging to the newest in the first non-empty window', async () => {
		const crm = new FakeCrm();
		crm.recent = [deal('open', sec(9), false)];
		for (let i = 0; i < 5; i++) crm.put(`w${i}`, sec(-10 * 86_400 + i));
		const latest = await latestWonDeal(crm.provider(), { now: sec(0), pageSize: 2 });
		expect(latest?.id).toBe('w4');
	});

	it('returns undefined when there is no won deal at all', async () => {
		const crm = new FakeCrm();
		expect(await latestWonDeal(crm.provider(), { now: sec(0) })).toBeUndefined();
		expect(crm.calls).toHaveLength(3);
	});
});
