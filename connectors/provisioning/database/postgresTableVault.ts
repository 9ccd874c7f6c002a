/**
 * A SecretVault in one table of the cluster's admin database, for the postgresServer backend when there is no AWS
 * Secrets Manager. n8n may run in queue mode (main, webhook and worker processes), so tenant passwords must live
 * where every process finds them; the admin database is already reachable with the credential the node holds.
 *
 * The table belongs to the admin role and PUBLIC gets no rights on it, so tenant roles cannot read it. Values are
 * stored as given: the admin role can already reset every tenant password (ALTER ROLE), so encrypting with a key from
 * the same credential would not keep anything from it; it would only matter for copies of the admin database.
 *
 */
import { Client } from 'pg';
import { registerSecret, validationError } from '../../core';
import { mapPostgresError } from './pgErrors';
import { SecretString } from './secret';
import type { PutSecretOptions, SecretVault, StoredSecret } from './types';

export const POSTGRES_VAULT_PREFIX = 'postgres-vault:';
export const DEFAULT_VAULT_TABLE = 'q2c_provisioning_secrets';
const DUPLICATE_TABLE = new Set(['42P07', '23505']);

export interface PostgresTableVaultOptions {
	/** postgres:// URL of the admin role, database included (the table is created there). */
	adminConnectionString: string;
	/** Default q2c_provisioning_secrets, in the public schema. */
	table?: string;
	connectTimeoutMs?: number;
}

export class PostgresTableVault implements SecretVault {
	private readonly table: string;

	constructor(private readonly options: PostgresTableVaultOptions) {
		const table = options.table ?? DEFAULT_VAULT_TABLE;
		if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw validationError('table', 'a plain lowercase SQL identifier', table);
		if (typeof options.adminConnectionString !== 'string' || !/^postgres(ql)?:\/\//.test(options.adminConnectionString)) {
			throw validationError('adminConnectionString', 'a postgres:// URL');
		}
		registerSecret(options.adminConnectionString);
		this.table = `"${table}"`;
	}

	async put(name: string, value: string, options: PutSecretOptions = {}): Promise<StoredSecret> {
		const key = checkName(name);
		if (typeof value !== 'string' || value === '') throw validationError('value', 'a non-empty secret text');
		registerSecret(value);
		return this.withClient(`Storing secret ${key}`, async (client) => {
			// xmax = 0 only on a freshly inserted row: tells "created" from "kept" / "replaced".
			const { rows } = await client.query<{ created: boolean }>(
				`INSERT INTO ${this.table} (name, value, description) VALUES ($1, $2, $3)
				ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, description = EXCLUDED.description, updated_at = now() WHERE $4::boolean
				RETURNING (xmax = 0) AS created`,
				[key, value, options.description ?? null, options.overwrite === true],
			);
			return { reference: POSTGRES_VAULT_PREFIX + key, created: rows[0]?.created === true };
		});
	}

	async get(name: string): Promise<{ reference: string; value: SecretString } | undefined> {
		const key = checkName(name);
		return this.withClient(`Reading secret ${key}`, async (client) => {
			const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${this.table} WHERE name = $1`, [key]);
			return rows[0] ? { reference: POSTGRES_VAULT_PREFIX + key, value: new SecretString(rows[0].value) } : undefined;
		});
	}

	async delete(name: string): Promise<void> {
		const key = checkName(name);
		await this.withClient(`Deleting secret ${key}`, (client) => client.query(`DELETE FROM ${this.table} WHERE name = $1`, [key]));
	}

	private async ensureTable(client: Client): Promise<void> {
		const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`public.${this.table}`]);
		if (rows[0]?.found) return;
		try {
			await client.query(
				`CREATE TABLE IF NOT EXISTS public.${this.table} (name text PRIMARY KEY, value text NOT NULL, description text,
				created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`,
			);
			await client.query(`REVOKE ALL ON TABLE public.${this.table} FROM PUBLIC`);
		} catch (error) {
			// Two first runs at once: the other one created it.
			if (!DUPLICATE_TABLE.has((error as { code?: string })?.code ?? '')) throw mapPostgresError(error, 'Creating the secret table', [this.options.adminConnectionString]);
		}
	}

	private async withClient<T>(doing: string, work: (client: Client) => Promise<T>): Promise<T> {
		const client = new Client({ connectionString: this.options.adminConnectionString, connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000 });
		client.on('error', () => undefined);
		try {
			await client.connect();
			await this.ensureTable(client);
			return await work(client);
		} catch (error) {
			throw mapPostgresError(error, doing, [this.options.adminConnectionString]);
		} finally {
			await client.end().catch(() => undefined);
		}
	}
}

function checkName(name: string): string {
	const key = typeof name === 'string' && name.startsWith(POSTGRES_VAULT_PREFIX) ? name.slice(POSTGRES_VAULT_PREFIX.length) : name;
	if (typeof key !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(key)) {
		throw validationError('name', 'a secret name of 1-512 letters, digits or /_+=.@- characters', name);
	}
	return key;
}
