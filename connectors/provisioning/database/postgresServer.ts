/**
 * Tenant databases on an existing PostgreSQL cluster: one login role and one database per business key, both named
 * from the key, the role owning the database. The generated password goes to the vault before the role exists, so
 * a crash between the steps leaves nothing a repeat cannot finish, and `connection(key)` works from any process.
 */
import { Client } from 'pg';
import { ConnectorError, idempotencyKey, registerSecret, validationError } from '../../core';
import { checkBusinessKey, checkPostgresPrefix, postgresName, quoteIdentifier, quoteLiteral } from './names';
import { generatePassword, scramSha256Verifier } from './password';
import { mapPostgresError, POSTGRES_VENDOR } from './pgErrors';
import { isSecretString, SecretString } from './secret';
import type { CreateDatabaseRequest, DatabaseConnection, DatabaseInfo, DatabaseProvisioner, SecretVault } from './types';

export const POSTGRES_CREATE_STEP = 'provisioning.database.postgres.create';

export interface PostgresServerProvisionerOptions {
	/** postgres:// URL of a superuser, or of a role with CREATEDB and CREATEROLE (e.g. the RDS master user). */
	adminConnectionString: string | SecretString;
	/** Holds each tenant's credential (JSON: engine, host, port, dbname, username, password). */
	vault: SecretVault;
	/** Database and role names start with this (default "tenant_"). */
	namePrefix?: string;
	/** Vault names are this + the database name (default "q2c/postgres/"). */
	secretNamePrefix?: string;
	/** Host and port tenants connect to; default the admin URL's (differs behind a pooler or a private DNS name). */
	host?: string;
	port?: number;
	/** Query parameters added to tenant connection strings, e.g. { sslmode: 'require' }. */
	connectionParameters?: Record<string, string>;
	connectTimeoutMs?: number;
}

interface StoredCredential {
	engine: 'postgres';
	host: string;
	port: number;
	dbname: string;
	username: string;
	password: string;
}

interface Existing {
	roleExists: boolean;
	databaseOwner: string | undefined;
}

export class PostgresServerProvisioner implements DatabaseProvisioner {
	private readonly admin: string;
	private readonly prefix: string;
	private readonly secretPrefix: string;
	private readonly host: string;
	private readonly port: number;

	constructor(private readonly options: PostgresServerProvisionerOptions) {
		this.admin = isSecretString(options.adminConnectionString) ? options.adminConnectionString.reveal() : options.adminConnectionString;
		let url: URL;
		try {
			url = new URL(this.admin);
		} catch {
			throw validationError('adminConnectionString', 'a postgres:// or postgresql:// URL');
		}
		if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw validationError('adminConnectionString', 'a postgres:// or postgresql:// URL');
		if (url.password) registerSecret(decodeURIComponent(url.password));
		if (!options.vault) throw validationError('vault', 'a SecretVault that keeps the generated passwords');
		this.prefix = checkPostgresPrefix(options.namePrefix ?? 'tenant_');
		this.secretPrefix = options.secretNamePrefix ?? 'q2c/postgres/';
		this.host = options.host ?? url.hostname;
		this.port = options.port ?? (Number(url.port) || 5432);
		if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) throw validationError('port', 'a TCP port from 1 to 65535', options.port);
	}

	/** The database / role name for a business key (validated; no SQL runs). */
	nameFor(key: string): string {
		return postgresName(key, this.prefix);
	}

	async create(request: CreateDatabaseRequest): Promise<DatabaseInfo> {
		const key = checkBusinessKey(request?.key, 'key');
		if (request.resetPassword !== undefined && typeof request.resetPassword !== 'boolean') throw validationError('resetPassword', 'true or false', request.resetPassword);
		const name = this.nameFor(key);
		const secretName = this.secretPrefix + name;
		return this.withAdmin(`Creating database ${name}`, name, async (client) => {
			const existing = await this.lookup(client, name);
			if (existing.databaseOwner !== undefined && existing.databaseOwner !== name) {
				throw new ConnectorError('conflict', `Database ${name} already exists and belongs to role ${existing.databaseOwner}, not to ${name}`, { vendor: POSTGRES_VENDOR, code: 'database_owned_by_other_role' });
			}
			const stored = await this.options.vault.get(secretName);
			if (existing.roleExists && !stored && !request.resetPassword) {
				throw new ConnectorError('conflict', `Role ${name} exists but its password is not in the vault; repeat with resetPassword: true to give it a new one`, { vendor: POSTGRES_VENDOR, code: 'role_without_secret' });
			}
			let reference = stored?.reference;
			let password: string;
			if (stored && !request.resetPassword) {
				password = parseCredential(stored.value).password;
			} else {
				password = generatePassword();
				const credential: StoredCredential = { engine: 'postgres', host: this.host, port: this.port, dbname: name, username: name, password };
				const put = await this.options.vault.put(secretName, JSON.stringify(credential), {
					overwrite: true,
					idempotencyKey: idempotencyKey(key, POSTGRES_CREATE_STEP),
					description: `PostgreSQL credential of tenant database ${name}`,
				});
				reference = put.reference;
			}
			const role = quoteIdentifier(name);
			const verifier = quoteLiteral(scramSha256Verifier(password));
			if (!existing.roleExists) await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${verifier}`);
			else if (request.resetPassword) await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${verifier}`);
			if (existing.databaseOwner === undefined) {
				// A non-superuser admin must be a member of a role to make it a database owner.
				const { rows } = await client.query<{ superuser: boolean }>('SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user');
				if (!rows[0]?.superuser) await client.query(`GRANT ${role} TO CURRENT_USER`);
				await client.query(`CREATE DATABASE ${role} OWNER ${role}`);
				// Every role may connect to a new database by default; a tenant database is its owner's alone.
				await client.query(`REVOKE ALL ON DATABASE ${role} FROM PUBLIC`);
			}
			return this.info(key, name, 'available', reference);
		});
	}

	async get(key: string): Promise<DatabaseInfo> {
		const trimmed = checkBusinessKey(key, 'key');
		const name = this.nameFor(trimmed);
		const existing = await this.withAdmin(`Reading database ${name}`, undefined, (client) => this.lookup(client, name));
		if (existing.databaseOwner === undefined && !existing.roleExists) return this.info(trimmed, name, 'deleted', undefined);
		const stored = await this.options.vault.get(this.secretPrefix + name);
		// A role without its database is a create that stopped half-way: repeat create, or delete.
		return this.info(trimmed, name, existing.databaseOwner === undefined ? 'failed' : 'available', stored?.reference);
	}

	async delete(key: string): Promise<DatabaseInfo> {
		const trimmed = checkBusinessKey(key, 'key');
		const name = this.nameFor(trimmed);
		await this.withAdmin(`Deleting database ${name}`, name, async (client) => {
			const role = quoteIdentifier(name);
			await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
			await client.query(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`);
			await client.query(`DROP ROLE IF EXISTS ${role}`);
		});
		await this.options.vault.delete(this.secretPrefix + name);
		return this.info(trimmed, name, 'deleted', undefined);
	}

	async connection(key: string): Promise<DatabaseConnection> {
		const info = await this.get(key);
		const stored = info.status === 'available' ? await this.options.vault.get(this.secretPrefix + info.databaseName) : undefined;
		if (!stored) {
			throw new ConnectorError('not_found', `No available database with credentials for key ${JSON.stringify(info.key)} (status ${info.status})`, { vendor: POSTGRES_VENDOR });
		}
		const credential = parseCredential(stored.value);
		const url = new URL('postgres://localhost');
		url.hostname = credential.host;
		url.port = String(credential.port);
		url.username = encodeURIComponent(credential.username);
		url.password = encodeURIComponent(credential.password);
		url.pathname = `/${encodeURIComponent(credential.dbname)}`;
		for (const [param, value] of Object.entries(this.options.connectionParameters ?? {})) url.searchParams.set(param, value);
		return { key: info.key, secretReference: stored.reference, connectionString: new SecretString(url.toString()) };
	}

	private info(key: string, name: string, status: DatabaseInfo['status'], secretReference: string | undefined): DatabaseInfo {
		const info: DatabaseInfo = { key, status, engine: 'postgres', identifier: name, databaseName: name, username: name, host: this.host, port: this.port };
		if (secretReference) info.secretReference = secretReference;
		return info;
	}

	private async lookup(client: Client, name: string): Promise<Existing> {
		const { rows } = await client.query<{ role: boolean; owner: string | null }>(
			`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role,
				(SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1) AS owner`,
			[name],
		);
		return { roleExists: rows[0].role, databaseOwner: rows[0].owner ?? undefined };
	}

	/** Runs `work` on a fresh admin connection; with `lockName`, under a session advisory lock on that name. */
	private async withAdmin<T>(doing: string, lockName: string | undefined, work: (client: Client) => Promise<T>): Promise<T> {
		const client = new Client({ connectionString: this.admin, connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000 });
		client.on('error', () => undefined);
		try {
			await client.connect();
			if (lockName) await client.query('SELECT pg_advisory_lock(hashtext($1))', [`q2c.provision.database:${lockName}`]);
			return await work(client);
		} catch (error) {
			throw mapPostgresError(error, doing, [this.admin]);
		} finally {
			// Closing the session also releases its advisory lock.
			await client.end().catch(() => undefined);
		}
	}
}

function parseCredential(value: SecretString): StoredCredential {
	try {
		const parsed = JSON.parse(value.reveal()) as Partial<StoredCredential>;
		if (typeof parsed.password === 'string' && typeof parsed.username === 'string' && typeof parsed.host === 'string' && typeof parsed.dbname === 'string') {
			return { engine: 'postgres', host: parsed.host, port: Number(parsed.port) || 5432, dbname: parsed.dbname, username: parsed.username, password: parsed.password };
		}
	} catch {
		// fall through: the message below must not quote the secret
	}
	throw new ConnectorError('permanent', 'The stored database credential is not the expected JSON (engine, host, port, dbname, username, password)', { vendor: POSTGRES_VENDOR, code: 'credential_unreadable' });
}
