import type { Pool } from 'pg';
import { backendError, DEFAULT_POSTGRES_SCHEMA, postgresPool } from './backends';
import type { DedupeStore } from './dedupe';
import { migrateOnce, quoteSchema, type Migration } from './pgMigrations';

export const DEDUPE_MIGRATIONS: readonly Migration[] = [
	{
		id: 'dedupe/001_marks',
		sql: `
CREATE TABLE {schema}.dedupe_marks (
	namespace text NOT NULL,
	key text NOT NULL,
	claimed_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (namespace, key)
);
CREATE INDEX dedupe_marks_expires_at ON {schema}.dedupe_marks (expires_at);`,
	},
];

/** Marks expired this long ago are deleted now and then, so the table does not grow forever. */
const PURGE_AFTER = '7 days';
const PURGE_EVERY_N_CLAIMS = 200;

export interface PostgresDedupeOptions {
	pool?: Pool;
	connectionString?: string;
	schema?: string;
	/** Scopes the marks (e.g. "dedupe/vmf/<workflow id>"), as a directory scopes the file store's. */
	namespace: string;
}

/**
 * Dedupe marks in PostgreSQL, shared by every n8n process. A claim is one statement: insert the mark, or take over
 * one older than the caller's window; the row lock of ON CONFLICT makes exactly one of concurrent claimers win.
 * Times are the database's clock, the one clock all processes share.
 */
export class PostgresDedupeStore implements DedupeStore {
	private readonly pool: Pool;
	private readonly schema: string;
	private readonly table: string;
	private claims = 0;

	constructor(private readonly options: PostgresDedupeOptions) {
		if (!options.pool && !options.connectionString) throw new RangeError('PostgresDedupeStore needs a pool or a connectionString');
		this.pool = options.pool ?? postgresPool(options.connectionString as string);
		this.schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
		this.table = `${quoteSchema(this.schema)}.dedupe_marks`;
	}

	async claim(key: string, ttlMs: number): Promise<boolean> {
		try {
			await migrateOnce(this.pool, this.schema, DEDUPE_MIGRATIONS);
			const window = Math.max(0, Math.round(ttlMs));
			const { rows } = await this.pool.query(
				`INSERT INTO ${this.table} AS mark (namespace, key, claimed_at, expires_at)
				 VALUES ($1, $2, clock_timestamp(), clock_timestamp() + $3 * interval '1 millisecond')
				 ON CONFLICT (namespace, key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
				 WHERE mark.claimed_at <= clock_timestamp() - $3 * interval '1 millisecond'
				 RETURNING 1`,
				[this.options.namespace, key, window],
			);
			if (++this.claims % PURGE_EVERY_N_CLAIMS === 0) await this.purge();
			return rows.length === 1;
		} catch (error) {
			throw backendError('The dedupe store (PostgreSQL)', error);
		}
	}

	async release(key: string): Promise<void> {
		try {
			await migrateOnce(this.pool, this.schema, DEDUPE_MIGRATIONS);
			await this.pool.query(`DELETE FROM ${this.table} WHERE namespace = $1 AND key = $2`, [this.options.namespace, key]);
		} catch (error) {
			throw backendError('The dedupe store (PostgreSQL)', error);
		}
	}

	private async purge(): Promise<void> {
		await this.pool.query(`DELETE FROM ${this.table} WHERE expires_at < now() - interval '${PURGE_AFTER}'`);
	}
}
