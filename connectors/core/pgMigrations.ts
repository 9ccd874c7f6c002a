/**
 * Idempotent schema migrations for the pack's PostgreSQL tables. Every n8n process (main, webhook processors,
 * workers) migrates on its first use, often at the same moment, so the whole run holds a transaction-scoped advisory
 * lock: one process applies what is missing, the others wait and then find it applied.
 */
import type { Pool } from 'pg';

export interface Migration {
	/** Unique and never reused, e.g. "evidence/001_receipts"; applied in the order given. */
	id: string;
	/** SQL with `{schema}` standing for the quoted schema name. */
	sql: string;
}

/** The schema name quoted for SQL; storeConfig already restricts it to a plain identifier. */
export function quoteSchema(schema: string): string {
	if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`not a plain schema name: ${schema}`);
	return `"${schema}"`;
}

/** Applies the migrations not yet recorded in `<schema>.schema_migrations`; returns the ids it applied. */
export async function applyMigrations(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<string[]> {
	const quoted = quoteSchema(schema);
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`q2c.migrate:${schema}`]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
		await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
		const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${quoted}.schema_migrations`);
		const done = new Set(rows.map((row) => row.id));
		const applied: string[] = [];
		for (const migration of migrations) {
			if (done.has(migration.id)) continue;
			await client.query(migration.sql.split('{schema}').join(quoted));
			await client.query(`INSERT INTO ${quoted}.schema_migrations (id) VALUES ($1)`, [migration.id]);
			applied.push(migration.id);
		}
		await client.query('COMMIT');
		return applied;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		client.release();
	}
}

const migrated = new WeakMap<Pool, Map<string, Promise<unknown>>>();

/** applyMigrations once per pool, schema and migration set in this process; a failed run is retried next time. */
export function migrateOnce(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<unknown> {
	const byKey = migrated.get(pool) ?? new Map<string, Promise<unknown>>();
	migrated.set(pool, byKey);
	const key = `${schema}\u0000${migrations.map((migration) => migration.id).join(',')}`;
	let run = byKey.get(key);
	if (!run) {
		run = applyMigrations(pool, schema, migrations).catch((error: unknown) => {
			byKey.delete(key);
			throw error;
		});
		byKey.set(key, run);
	}
	return run;
}
