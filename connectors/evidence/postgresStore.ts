import type { Pool, PoolClient } from 'pg';
import { backendError, canonicalJson, DEFAULT_POSTGRES_SCHEMA, postgresPool } from '../core';
import { applyMigrations, migrateOnce, quoteSchema } from '../core/pgMigrations';
import { DEDUPE_MIGRATIONS } from '../core/postgresDedupe';
import { EVIDENCE_MIGRATIONS } from './migrations';
import type { ChainHead } from './schemas';
import { headFor, type AppendDecision, type ReceiptStore, type StoredChain } from './store';

/** The namespace of a ledger without an explicit one: the same in every n8n process (unlike a user-folder path). */
export const DEFAULT_EVIDENCE_NAMESPACE = 'default';

export interface PostgresReceiptStoreOptions {
	pool?: Pool;
	/** Used when no pool is given: the process-wide pool for this URL. */
	connectionString?: string;
	schema?: string;
	namespace?: string;
	now?: () => Date;
}

/** Creates or upgrades every table of the pack (evidence and dedupe) in `schema`; safe from many processes at once. */
export async function migratePostgres(pool: Pool, schema: string = DEFAULT_POSTGRES_SCHEMA): Promise<string[]> {
	return applyMigrations(pool, schema, [...EVIDENCE_MIGRATIONS, ...DEDUPE_MIGRATIONS]);
}

interface HeadRow {
	count: number;
	last_receipt_id: string | null;
	last_sha256: string | null;
	updated_at: string | null;
}

/** A decide callback failed: not a store problem, so it is rethrown as it is. */
class DecideFailed {
	constructor(readonly error: unknown) {}
}

/**
 * The evidence ledger in PostgreSQL, for n8n queue mode: every process appends to the same chains. An append is one
 * transaction that locks the chain's head row (created on first use), reads the receipts, lets `decide` build the
 * next one, and inserts it with the new head and the execution index. A process killed mid-append leaves nothing:
 * PostgreSQL rolls the transaction back and frees the lock when the connection drops.
 */
export class PostgresReceiptStore implements ReceiptStore {
	readonly namespace: string;
	private readonly pool: Pool;
	private readonly schema: string;
	private readonly tables: { heads: string; receipts: string; executions: string };
	private readonly now: () => Date;

	constructor(options: PostgresReceiptStoreOptions) {
		if (!options.pool && !options.connectionString) throw new RangeError('PostgresReceiptStore needs a pool or a connectionString');
		this.pool = options.pool ?? postgresPool(options.connectionString as string);
		this.schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
		this.namespace = options.namespace ?? DEFAULT_EVIDENCE_NAMESPACE;
		this.now = options.now ?? (() => new Date());
		const schema = quoteSchema(this.schema);
		this.tables = { heads: `${schema}.evidence_heads`, receipts: `${schema}.evidence_receipts`, executions: `${schema}.evidence_executions` };
	}

	async append(businessKey: string, decide: (chain: StoredChain) => AppendDecision): Promise<AppendDecision> {
		return this.using(async (client) => {
			await client.query('BEGIN');
			try {
				const decision = await this.appendLocked(client, businessKey, decide);
				await client.query('COMMIT');
				return decision;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			}
		});
	}

	async read(businessKey: string): Promise<StoredChain> {
		return this.using(async (client) => {
			const { rows } = await client.query<HeadRow>(`SELECT count, last_receipt_id, last_sha256, updated_at FROM ${this.tables.heads} WHERE namespace = $1 AND business_key = $2`, [this.namespace, businessKey]);
			return this.chainOf(client, businessKey, rows[0]);
		});
	}

	async businessKeysForExecution(executionId: string): Promise<string[]> {
		return this.using(async (client) => {
			const { rows } = await client.query<{ business_key: string }>(`SELECT business_key FROM ${this.tables.executions} WHERE namespace = $1 AND execution_id = $2 ORDER BY ordinal`, [this.namespace, executionId]);
			return rows.map((row) => row.business_key);
		});
	}

	async businessKeys(): Promise<string[]> {
		return this.using(async (client) => {
			const { rows } = await client.query<{ business_key: string }>(
				`SELECT business_key FROM ${this.tables.heads} h WHERE namespace = $1
				 AND (count > 0 OR EXISTS (SELECT 1 FROM ${this.tables.receipts} r WHERE r.namespace = h.namespace AND r.business_key = h.business_key))`,
				[this.namespace],
			);
			// Sorted here, not by the database's collation, so the order is the other stores' (code units).
			return rows.map((row) => row.business_key).sort();
		});
	}

	private async appendLocked(client: PoolClient, businessKey: string, decide: (chain: StoredChain) => AppendDecision): Promise<AppendDecision> {
		const key = [this.namespace, businessKey];
		await client.query(`INSERT INTO ${this.tables.heads} (namespace, business_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`, key);
		const { rows } = await client.query<HeadRow>(`SELECT count, last_receipt_id, last_sha256, updated_at FROM ${this.tables.heads} WHERE namespace = $1 AND business_key = $2 FOR UPDATE`, key);
		const chain = await this.chainOf(client, businessKey, rows[0]);
		let decision: AppendDecision;
		try {
			decision = decide(chain);
		} catch (error) {
			throw new DecideFailed(error);
		}
		if (!decision.appended) return decision;
		const { receipt } = decision;
		const { rows: last } = await client.query<{ position: number | null }>(`SELECT max(position) AS position FROM ${this.tables.receipts} WHERE namespace = $1 AND business_key = $2`, key);
		await client.query(`INSERT INTO ${this.tables.receipts} (namespace, business_key, position, receipt_id, body, execution_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
			...key,
			(last[0]?.position ?? 0) + 1,
			receipt.id,
			canonicalJson(receipt),
			receipt.execution_id,
		]);
		const head = headFor(receipt, this.now().toISOString());
		await client.query(`UPDATE ${this.tables.heads} SET count = $3, last_receipt_id = $4, last_sha256 = $5, updated_at = $6 WHERE namespace = $1 AND business_key = $2`, [
			...key,
			head.count,
			head.last_receipt_id,
			head.last_sha256,
			head.updated_at,
		]);
		if (receipt.execution_id !== null) {
			await client.query(`INSERT INTO ${this.tables.executions} (namespace, execution_id, business_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [this.namespace, receipt.execution_id, businessKey]);
		}
		return decision;
	}

	private async chainOf(client: PoolClient, businessKey: string, row: HeadRow | undefined): Promise<StoredChain> {
		const { rows } = await client.query<{ body: string }>(`SELECT body FROM ${this.tables.receipts} WHERE namespace = $1 AND business_key = $2 ORDER BY position`, [this.namespace, businessKey]);
		const entries = rows.map(({ body }) => {
			try {
				return JSON.parse(body) as unknown;
			} catch {
				return body;
			}
		});
		// A head row with count 0 is only the lock of a first append; with receipts beside it, verify reports it.
		if (!row || (row.count === 0 && entries.length === 0)) return { entries };
		const head: ChainHead = { business_key: businessKey, count: row.count, last_receipt_id: row.last_receipt_id, last_sha256: row.last_sha256, updated_at: row.updated_at ?? '' };
		return { entries, head };
	}

	/** A connection with the tables migrated; store failures become transient ConnectorErrors, decide's own errors pass. */
	private async using<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
		let client: PoolClient | undefined;
		let broken = false;
		try {
			await migrateOnce(this.pool, this.schema, EVIDENCE_MIGRATIONS);
			client = await this.pool.connect();
			return await work(client);
		} catch (error) {
			if (error instanceof DecideFailed) throw error.error;
			// The connection may be dead or mid-transaction: drop it rather than hand it to the next caller.
			broken = true;
			throw backendError('The evidence store (PostgreSQL)', error);
		} finally {
			client?.release(broken);
		}
	}
}
