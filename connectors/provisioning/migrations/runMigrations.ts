/**
 * Brings a tenant database's schema up to date with node-pg-migrate 7.9: plain `.sql` files (split at the
 * `-- Up Migration` / `-- Down Migration` markers) applied in file-name order, each recorded in the migrations table,
 * all pending ones in one transaction. node-pg-migrate takes a session advisory lock (pg_try_advisory_lock, noLock
 * is false by default) and fails at once when it is held; this waits and tries again, so of two concurrent runs one
 * applies and the other then finds everything applied.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';
import { ConnectorError, isConnectorError, redact, registerSecret, validationError } from '../../core';
import { mapPostgresError, POSTGRES_VENDOR } from '../database/pgErrors';
import { isSecretString, type SecretString } from '../database/secret';

/** The example platform schema the Tier 2 workflow runs (courses, enrollments). */
export const PLATFORM_SQL_DIR = join(__dirname, 'platform-sql');
/** node-pg-migrate's advisory lock key (runner.js PG_MIGRATE_LOCK_ID), for tests and operators. */
export const NODE_PG_MIGRATE_LOCK_ID = '7241865325823964';
const LOCK_HELD = 'Another migration is already running';

export interface RunMigrationsOptions {
	/** The tenant database, e.g. `(await provisioner.connection(key)).connectionString`. */
	connectionString: string | SecretString;
	/** Directory of migration files (default PLATFORM_SQL_DIR). */
	dir?: string;
	/** Default "pgmigrations" (node-pg-migrate's own default). */
	migrationsTable?: string;
	/** Schema of the tables and of the migrations table (default "public"). */
	schema?: string;
	/** How long to wait for a concurrent run to finish (default 60 s). */
	lockWaitMs?: number;
	lockPollMs?: number;
	/** Receives node-pg-migrate's log lines, redacted (default: dropped). */
	log?: (message: string) => void;
}

export interface MigrationRunResult {
	/** Migrations this run applied, in order. */
	applied: string[];
	/** Migrations found already recorded in the migrations table. */
	alreadyApplied: string[];
}

export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationRunResult> {
	const checked = checkOptions(options);
	const secrets = [checked.url, ...passwordOf(checked.url)];
	const client = new Client({ connectionString: checked.url });
	client.on('error', () => undefined);
	let current: string | undefined;
	const forward = (message: unknown) => {
		const text = String(message);
		const started = /^### MIGRATION (.+) \(UP\) ###$/.exec(text);
		if (started) current = started[1];
		options.log?.(redact(text, secrets));
	};
	const logger = { debug: forward, info: forward, warn: forward, error: forward };
	try {
		await client.connect();
		const deadline = Date.now() + checked.lockWaitMs;
		for (;;) {
			try {
				const ran = await runner({
					dbClient: client,
					dir: checked.dir,
					direction: 'up',
					migrationsTable: checked.table,
					migrationsSchema: checked.schema,
					schema: checked.schema,
					// "public" always exists, and creating it would need the CREATE right on the database.
					createSchema: checked.schema !== 'public',
					createMigrationsSchema: checked.schema !== 'public',
					checkOrder: true,
					singleTransaction: true,
					logger,
				});
				const applied = ran.map((migration) => migration.name);
				const { rows } = await client.query<{ name: string }>(`SELECT name FROM "${checked.schema}"."${checked.table}" ORDER BY run_on, id`);
				return { applied, alreadyApplied: rows.map((row) => row.name).filter((name) => !applied.includes(name)) };
			} catch (error) {
				if (!(error instanceof Error && error.message === LOCK_HELD)) throw error;
				if (Date.now() >= deadline) {
					throw new ConnectorError('transient', `Another migration run holds the lock on this database; still held after ${checked.lockWaitMs} ms`, { vendor: POSTGRES_VENDOR, code: 'migration_locked' });
				}
				await new Promise((resolve) => setTimeout(resolve, checked.lockPollMs));
			}
		}
	} catch (error) {
		throw migrationError(error, current, secrets);
	} finally {
		await client.end().catch(() => undefined);
	}
}

function migrationError(error: unknown, migration: string | undefined, secrets: string[]): ConnectorError {
	if (isConnectorError(error)) return error;
	const message = error instanceof Error ? error.message : String(error);
	const order = /^Not run migration (.+) is preceding already run migration (.+)$/.exec(message);
	if (order) {
		return new ConnectorError('permanent', `Migration ${order[1]} is new but sorts before ${order[2]}, which is already applied; give it a later name`, {
			vendor: POSTGRES_VENDOR,
			code: 'migration_order',
			details: { migration: order[1] },
		});
	}
	if (message.startsWith("Can't get migration files")) {
		return new ConnectorError('permanent', `The migration files could not be loaded: ${message.split('\n')[0]}`, { vendor: POSTGRES_VENDOR, code: 'migration_files' });
	}
	const mapped = mapPostgresError(error, migration ? `Migration ${migration} failed (all pending migrations rolled back)` : 'Running migrations', secrets);
	return migration ? new ConnectorError(mapped.kind, mapped.message, { vendor: POSTGRES_VENDOR, code: mapped.code, details: { migration } }) : mapped;
}

interface CheckedOptions {
	url: string;
	dir: string;
	table: string;
	schema: string;
	lockWaitMs: number;
	lockPollMs: number;
}

function checkOptions(options: RunMigrationsOptions): CheckedOptions {
	const url = isSecretString(options?.connectionString) ? options.connectionString.reveal() : options?.connectionString;
	if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) throw validationError('connectionString', 'a postgres:// connection string (e.g. from DatabaseProvisioner.connection)');
	registerSecret(url);
	const dir = options.dir ?? PLATFORM_SQL_DIR;
	let isDirectory = false;
	try {
		isDirectory = statSync(dir).isDirectory();
	} catch {
		isDirectory = false;
	}
	if (!isDirectory) throw validationError('dir', 'an existing directory of migration files', dir);
	const table = options.migrationsTable ?? 'pgmigrations';
	const schema = options.schema ?? 'public';
	for (const [field, value] of [['migrationsTable', table], ['schema', schema]] as const) {
		if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) throw validationError(field, 'a plain lowercase SQL identifier', value);
	}
	const lockWaitMs = options.lockWaitMs ?? 60_000;
	const lockPollMs = options.lockPollMs ?? 250;
	if (!Number.isFinite(lockWaitMs) || lockWaitMs < 0) throw validationError('lockWaitMs', 'a number of milliseconds, 0 or more', lockWaitMs);
	if (!Number.isFinite(lockPollMs) || lockPollMs <= 0) throw validationError('lockPollMs', 'a positive number of milliseconds', lockPollMs);
	return { url, dir, table, schema, lockWaitMs, lockPollMs };
}

function passwordOf(url: string): string[] {
	try {
		const password = decodeURIComponent(new URL(url).password);
		if (password) registerSecret(password);
		return password ? [password] : [];
	} catch {
		return [];
	}
}
