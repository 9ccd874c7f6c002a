import type { Pool, PoolClient } from 'pg';
import { backendError, DEFAULT_POSTGRES_SCHEMA, postgresPool } from '../../core';
import { migrateOnce, quoteSchema, type Migration } from '../../core/pgMigrations';
import {
	ensureOpen,
	exhausted,
	parseClaim,
	parseOpenLeads,
	parseRelease,
	replay,
	scanOrder,
	type ClaimInput,
	type ParsedClaim,
	type ReleaseInput,
	type RoutingClaim,
	type RoutingStateStore,
} from './model';

/** Append-only: a shipped migration is never edited, a change is a new one. */
export const ROUTING_MIGRATIONS: readonly Migration[] = [
	{
		id: 'routing/001_state',
		sql: `
CREATE TABLE {schema}.routing_pools (
	tenant text NOT NULL,
	pool text NOT NULL,
	last_member text,
	last_position integer NOT NULL DEFAULT -1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant, pool)
);
-- Per member, not per pool: one person's capacity counts the leads of every pool they are in.
CREATE TABLE {schema}.routing_open_leads (
	tenant text NOT NULL,
	member text NOT NULL,
	open_count integer NOT NULL DEFAULT 0 CHECK (open_count >= 0),
	PRIMARY KEY (tenant, member)
);
CREATE TABLE {schema}.routing_assignments (
	tenant text NOT NULL,
	lead_id text NOT NULL,
	pool text NOT NULL,
	assignee text NOT NULL,
	position integer NOT NULL,
	skipped text[] NOT NULL DEFAULT '{}',
	assigned_at timestamptz NOT NULL DEFAULT now(),
	released_at timestamptz,
	PRIMARY KEY (tenant, lead_id)
);`,
	},
];

export interface PostgresRoutingStateOptions {
	pool?: Pool;
	/** Used when no pool is given: the process-wide pool for this URL. */
	connectionString?: string;
	schema?: string;
}

interface AssignmentRow {
	pool: string;
	assignee: string;
	position: number;
	skipped: string[];
}

/** Another claim of the same lead (through another pool) committed first: this one is rolled back and replays it. */
class LeadTaken {}

/**
 * Routing state in PostgreSQL, shared by every n8n process. A claim is one transaction: it locks the pool's row
 * (so claims on one pool take turns and the cursor never repeats), then takes the first member in round-robin
 * order whose open count a conditional UPDATE can raise without passing the capacity. That UPDATE holds the
 * member's row, so pools sharing a member never overbook them together. A process killed mid-claim leaves nothing.
 */
export class PostgresRoutingStateStore implements RoutingStateStore {
	private readonly pool: Pool;
	private readonly schema: string;
	private readonly tables: { pools: string; open: string; assignments: string };
	private closed = false;

	constructor(options: PostgresRoutingStateOptions) {
		if (!options.pool && !options.connectionString) throw new RangeError('PostgresRoutingStateStore needs a pool or a connectionString');
		this.pool = options.pool ?? postgresPool(options.connectionString as string);
		this.schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
		const schema = quoteSchema(this.schema);
		this.tables = { pools: `${schema}.routing_pools`, open: `${schema}.routing_open_leads`, assignments: `${schema}.routing_assignments` };
	}

	async claim(input: ClaimInput): Promise<RoutingClaim> {
		ensureOpen(this.closed, 'PostgreSQL');
		const claim = parseClaim(input);
		return this.using(async (client) => {
			const known = await this.assignment(client, claim.tenant, claim.leadId);
			if (known) return replay(claim.leadId, known);
			// Outside the transaction and in one fixed order: creating rows takes no lock a claim could wait on.
			await client.query(`INSERT INTO ${this.tables.open} (tenant, member) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [claim.tenant, [...claim.members].sort()]);
			await client.query(`INSERT INTO ${this.tables.pools} (tenant, pool) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [claim.tenant, claim.pool]);
			await client.query('BEGIN');
			try {
				const answer = await this.claimLocked(client, claim);
				await client.query('COMMIT');
				return answer;
			} catch (error) {
				await client.query('ROLLBACK');
				if (!(error instanceof LeadTaken)) throw error;
				const first = await this.assignment(client, claim.tenant, claim.leadId);
				if (!first) throw new Error(`the assignment of lead ${claim.leadId} vanished`);
				return replay(claim.leadId, first);
			}
		});
	}

	async release(input: ReleaseInput): Promise<boolean> {
		ensureOpen(this.closed, 'PostgreSQL');
		const { tenant, leadId } = parseRelease(input);
		return this.using(async (client) => {
			// One statement: marking the lead released and freeing the slot happen together or not at all.
			const { rows } = await client.query<{ released: number }>(
				`WITH released AS (
					UPDATE ${this.tables.assignments} SET released_at = clock_timestamp()
					WHERE tenant = $1 AND lead_id = $2 AND released_at IS NULL RETURNING assignee
				), freed AS (
					UPDATE ${this.tables.open} o SET open_count = greatest(o.open_count - 1, 0)
					FROM released WHERE o.tenant = $1 AND o.member = released.assignee RETURNING 1
				)
				SELECT count(*)::int AS released FROM released`,
				[tenant, leadId],
			);
			return rows[0].released > 0;
		});
	}

	async openLeads(tenant: string, members: string[]): Promise<Record<string, number>> {
		ensureOpen(this.closed, 'PostgreSQL');
		const parsed = parseOpenLeads(tenant, members);
		return this.using(async (client) => {
			const { rows } = await client.query<{ member: string; open_count: number }>(`SELECT member, open_count FROM ${this.tables.open} WHERE tenant = $1 AND member = ANY($2::text[])`, [
				parsed.tenant,
				parsed.members,
			]);
			const counts = new Map(rows.map((row) => [row.member, row.open_count]));
			return Object.fromEntries(parsed.members.map((member) => [member, counts.get(member) ?? 0]));
		});
	}

	async close(): Promise<void> {
		this.closed = true;
	}

	private async claimLocked(client: PoolClient, claim: ParsedClaim): Promise<RoutingClaim> {
		const { rows } = await client.query<{ last_member: string | null; last_position: number }>(
			`SELECT last_member, last_position FROM ${this.tables.pools} WHERE tenant = $1 AND pool = $2 FOR UPDATE`,
			[claim.tenant, claim.pool],
		);
		// A claim of this lead on this pool that committed while we waited for the lock.
		const known = await this.assignment(client, claim.tenant, claim.leadId);
		if (known) return replay(claim.leadId, known);
		const cursor = { lastMember: rows[0].last_member, lastPosition: rows[0].last_position };
		const skipped: string[] = [];
		for (const position of scanOrder(claim.members, cursor)) {
			const assignee = claim.members[position];
			const raised = await client.query(
				`UPDATE ${this.tables.open} SET open_count = open_count + 1 WHERE tenant = $1 AND member = $2 AND ($3::integer IS NULL OR open_count < $3::integer) RETURNING 1`,
				[claim.tenant, assignee, claim.limits[position]],
			);
			if (raised.rowCount === 0) {
				skipped.push(assignee);
				continue;
			}
			await client.query(`UPDATE ${this.tables.pools} SET last_member = $3, last_position = $4, updated_at = clock_timestamp() WHERE tenant = $1 AND pool = $2`, [
				claim.tenant,
				claim.pool,
				assignee,
				position,
			]);
			const inserted = await client.query(
				`INSERT INTO ${this.tables.assignments} (tenant, lead_id, pool, assignee, position, skipped) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
				[claim.tenant, claim.leadId, claim.pool, assignee, position, skipped],
			);
			if (inserted.rowCount === 0) throw new LeadTaken();
			return { leadId: claim.leadId, pool: claim.pool, assignee, reason: 'assigned', skipped, position };
		}
		return exhausted(claim, skipped);
	}

	private async assignment(client: PoolClient, tenant: string, leadId: string): Promise<AssignmentRow | undefined> {
		const { rows } = await client.query<AssignmentRow>(`SELECT pool, assignee, position, skipped FROM ${this.tables.assignments} WHERE tenant = $1 AND lead_id = $2`, [tenant, leadId]);
		return rows[0];
	}

	/** A connection with the tables migrated; failures become transient ConnectorErrors and a suspect connection is dropped. */
	private async using<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
		let client: PoolClient | undefined;
		let broken = false;
		try {
			await migrateOnce(this.pool, this.schema, ROUTING_MIGRATIONS);
			client = await this.pool.connect();
			return await work(client);
		} catch (error) {
			broken = true;
			throw backendError('The routing state store (PostgreSQL)', error);
		} finally {
			client?.release(broken);
		}
	}
}
