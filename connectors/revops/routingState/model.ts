/**
 * What every lead-routing state store shares: the claim/release contract, input validation and the round-robin scan.
 * The stores differ only in how they make one claim atomic (file lock, PostgreSQL row locks, one Redis script).
 */
import { ConnectorError, parseInput, z } from '../../core';

export type RoutingReason = 'assigned' | 'already_assigned' | 'capacity_exhausted';

export interface RoutingClaim {
	leadId: string;
	pool: string;
	/** null only when every member is at capacity. */
	assignee: string | null;
	reason: RoutingReason;
	/** Members passed over because they were at capacity, in the order they were considered. */
	skipped: string[];
	/** Index of the assignee in the `members` of the claim that assigned the lead; -1 when nobody was assigned. */
	position: number;
}

export interface ClaimInput {
	tenant: string;
	pool: string;
	leadId: string;
	/** The pool's members in round-robin order. */
	members: string[];
	/** Most open leads per member; a missing, undefined or null entry means unlimited. */
	capacity: Record<string, number | null | undefined>;
}

export interface ReleaseInput {
	tenant: string;
	leadId: string;
}

export interface RoutingStateStore {
	/**
	 * Round robin over `members`, starting after the pool's last assignee, skipping members whose open count has
	 * reached their capacity. Atomically advances the pool's cursor, increments the assignee's open count and
	 * remembers the lead. Idempotent per (tenant, leadId): a repeated claim returns the first answer with reason
	 * 'already_assigned' and changes nothing. 'capacity_exhausted' changes nothing either (a later claim may succeed).
	 */
	claim(input: ClaimInput): Promise<RoutingClaim>;
	/** The lead was worked, closed or reassigned: frees its assignee's slot. True only for the call that freed it. */
	release(input: ReleaseInput): Promise<boolean>;
	/** Open leads per member (0 for a member never assigned). */
	openLeads(tenant: string, members: string[]): Promise<Record<string, number>>;
	/** Ends this store's use; later calls fail. Shared, process-wide connections stay open (closeBackends ends them). */
	close(): Promise<void>;
}

const name = (what: string, max: number) => z.string().trim().min(1, `a non-empty ${what}`).max(max);
const tenantSchema = name('tenant id', 200);
const membersSchema = z
	.array(name('member id', 200))
	.min(1, 'a list of at least one member')
	.max(1000)
	.superRefine((members, context) => {
		const seen = new Set<string>();
		members.forEach((member, index) => {
			if (seen.has(member)) context.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: `a member listed once ("${member}" is repeated)` });
			seen.add(member);
		});
	});

const claimSchema = z.object({
	tenant: tenantSchema,
	pool: name('pool name', 200),
	leadId: name('lead id', 500),
	members: membersSchema,
	capacity: z.record(z.number().int('a whole number of open leads').nonnegative().nullable().optional()).default({}),
});

const releaseSchema = z.object({ tenant: tenantSchema, leadId: name('lead id', 500) });
const openLeadsSchema = z.object({ tenant: tenantSchema, members: z.array(name('member id', 200)).max(1000) });

/** A claim as the stores use it: names trimmed, and each member's capacity (null = unlimited) in member order. */
export interface ParsedClaim {
	tenant: string;
	pool: string;
	leadId: string;
	members: string[];
	limits: Array<number | null>;
}

export function parseClaim(input: unknown): ParsedClaim {
	const claim = parseInput(claimSchema, input, 'claim');
	return { ...claim, limits: claim.members.map((member) => claim.capacity[member] ?? null) };
}

export function parseRelease(input: unknown): ReleaseInput {
	return parseInput(releaseSchema, input, 'release');
}

export function parseOpenLeads(tenant: unknown, members: unknown): { tenant: string; members: string[] } {
	return parseInput(openLeadsSchema, { tenant, members }, 'openLeads');
}

/** Where the pool's cursor stands: its last assignee and that assignee's index then. */
export interface PoolCursor {
	lastMember: string | null;
	lastPosition: number;
}

/**
 * Member indexes in the order this claim considers them: after the last assignee (found by name, so adding or
 * removing members does not repeat or skip anyone), else after the last index, else from the first member.
 */
export function scanOrder(members: readonly string[], cursor: PoolCursor | undefined): number[] {
	const byName = cursor?.lastMember == null ? -1 : members.indexOf(cursor.lastMember);
	const last = byName >= 0 ? byName : (cursor?.lastPosition ?? -1);
	const start = (((last + 1) % members.length) + members.length) % members.length;
	return members.map((_, offset) => (start + offset) % members.length);
}

/** Chooses the next member with a free slot; pure, for stores that hold a lock over their whole state. */
export function pickMember(claim: ParsedClaim, cursor: PoolCursor | undefined, openCount: (member: string) => number): { position: number; skipped: string[] } {
	const skipped: string[] = [];
	for (const index of scanOrder(claim.members, cursor)) {
		const member = claim.members[index];
		const limit = claim.limits[index];
		if (limit === null || openCount(member) < limit) return { position: index, skipped };
		skipped.push(member);
	}
	return { position: -1, skipped };
}

/** The answer to a claim that found every member at capacity. */
export function exhausted(claim: ParsedClaim, skipped: string[]): RoutingClaim {
	return { leadId: claim.leadId, pool: claim.pool, assignee: null, reason: 'capacity_exhausted', skipped, position: -1 };
}

/** What a store remembers per lead: the first answer, replayed as 'already_assigned'. */
export interface StoredAssignment {
	pool: string;
	assignee: string;
	position: number;
	skipped: string[];
}

export function replay(leadId: string, stored: StoredAssignment): RoutingClaim {
	return { leadId, pool: stored.pool, assignee: stored.assignee, reason: 'already_assigned', skipped: [...stored.skipped], position: stored.position };
}

/** Guards a closed store: its connections may be gone, and silently reopening would hide a lifecycle bug. */
export function ensureOpen(closed: boolean, store: string): void {
	if (closed) throw new ConnectorError('permanent', `The routing state store (${store}) is closed`, { code: 'STORE_CLOSED' });
}
