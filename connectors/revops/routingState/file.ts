import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite, defaultDataDir, sha256Hex, withFileLock, type FileLockOptions } from '../../core';
import {
	ensureOpen,
	exhausted,
	parseClaim,
	parseOpenLeads,
	parseRelease,
	pickMember,
	replay,
	type ClaimInput,
	type PoolCursor,
	type ReleaseInput,
	type RoutingClaim,
	type RoutingStateStore,
	type StoredAssignment,
} from './model';

/** The default location: `<data dir>/routing`. */
export function defaultRoutingDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(defaultDataDir(env), 'routing');
}

interface TenantState {
	pools: Record<string, PoolCursor>;
	open: Record<string, number>;
	leads: Record<string, StoredAssignment & { released?: boolean }>;
}

const emptyState = (): TenantState => ({ pools: {}, open: {}, leads: {} });

/** Per file, the tail of this process's queue: its executions take turns locally, so only one polls the file lock. */
const localTurns = new Map<string, Promise<unknown>>();

function inTurn<T>(path: string, work: () => Promise<T>): Promise<T> {
	const turn = (localTurns.get(path) ?? Promise.resolve()).then(work);
	const tail = turn.catch(() => undefined);
	localTurns.set(path, tail);
	// Forget an idle queue, so the map does not keep one entry per tenant ever seen.
	void tail.then(() => localTurns.get(path) === tail && localTurns.delete(path));
	return turn;
}

/**
 * Routing state in one JSON file per tenant, for a single n8n process (the default). Every change holds the
 * pack's file lock and replaces the file atomically (write, fsync, rename), so concurrent executions, and
 * processes sharing the directory on one machine, never lose an update. Not for queue mode across machines.
 */
export class FileRoutingStateStore implements RoutingStateStore {
	private closed = false;

	constructor(
		readonly dir: string = defaultRoutingDir(),
		private readonly lockOptions: FileLockOptions = {},
	) {}

	async claim(input: ClaimInput): Promise<RoutingClaim> {
		ensureOpen(this.closed, 'file');
		const claim = parseClaim(input);
		return this.update(claim.tenant, (state) => {
			const known = state.leads[claim.leadId];
			if (known) return { answer: replay(claim.leadId, known), changed: false };
			const { position, skipped } = pickMember(claim, state.pools[claim.pool], (member) => state.open[member] ?? 0);
			if (position < 0) return { answer: exhausted(claim, skipped), changed: false };
			const assignee = claim.members[position];
			state.pools[claim.pool] = { lastMember: assignee, lastPosition: position };
			state.open[assignee] = (state.open[assignee] ?? 0) + 1;
			state.leads[claim.leadId] = { pool: claim.pool, assignee, position, skipped };
			return { answer: { leadId: claim.leadId, pool: claim.pool, assignee, reason: 'assigned', skipped: [...skipped], position }, changed: true };
		});
	}

	async release(input: ReleaseInput): Promise<boolean> {
		ensureOpen(this.closed, 'file');
		const { tenant, leadId } = parseRelease(input);
		return this.update(tenant, (state) => {
			const lead = state.leads[leadId];
			if (!lead || lead.released) return { answer: false, changed: false };
			lead.released = true;
			state.open[lead.assignee] = Math.max(0, (state.open[lead.assignee] ?? 0) - 1);
			return { answer: true, changed: true };
		});
	}

	async openLeads(tenant: string, members: string[]): Promise<Record<string, number>> {
		ensureOpen(this.closed, 'file');
		const parsed = parseOpenLeads(tenant, members);
		// Reading needs no lock: the file is only ever replaced whole.
		const state = await this.read(this.pathFor(parsed.tenant));
		return Object.fromEntries(parsed.members.map((member) => [member, state.open[member] ?? 0]));
	}

	async close(): Promise<void> {
		this.closed = true;
	}

	/** A file name safe for any tenant id, unique, and still readable by a person. */
	pathFor(tenant: string): string {
		return join(this.dir, `${tenant.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${sha256Hex(tenant).slice(0, 16)}.json`);
	}

	private async update<T>(tenant: string, change: (state: TenantState) => { answer: T; changed: boolean }): Promise<T> {
		const path = this.pathFor(tenant);
		await mkdir(this.dir, { recursive: true });
		return inTurn(path, () =>
			withFileLock(
				`${path}.lock`,
				async () => {
					const state = await this.read(path);
					const { answer, changed } = change(state);
					if (changed) await atomicWrite(path, JSON.stringify(state));
					return answer;
				},
				this.lockOptions,
			),
		);
	}

	private async read(path: string): Promise<TenantState> {
		let text: string;
		try {
			text = await readFile(path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
			throw error;
		}
		return { ...emptyState(), ...(JSON.parse(text) as Partial<TenantState>) };
	}
}

