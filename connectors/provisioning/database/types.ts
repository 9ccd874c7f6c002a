/**
 * One contract for every way of giving a tenant its own PostgreSQL database (a database on a shared cluster, an RDS
 * instance, …), so the Tier 2 workflow can create, poll, connect to and roll back a database without knowing where
 * it lives.
 */
import type { SecretString } from './secret';

/**
 * creating: exists but is not ready yet (also while RDS modifies or backs it up); available: ready for connections;
 * deleting: on its way out; deleted: does not exist (never created, or gone); failed: needs a person or a delete.
 */
export type DatabaseStatus = 'creating' | 'available' | 'deleting' | 'deleted' | 'failed';

export type DatabaseEngine = 'postgres';

export interface CreateDatabaseRequest {
	/** Business key, e.g. the tenant id: the same key always names the same database. */
	key: string;
	/** Extra tags / labels where the backend supports them (RDS). */
	tags?: Record<string, string>;
	/**
	 * postgresServer only: when the role already exists, give it a new password (stored in the vault first).
	 * Without it a repeat create never touches the password.
	 */
	resetPassword?: boolean;
}

/**
 * Non-secret facts about a tenant database, safe for node output and receipts. Never holds a password or a connection
 * string: the credential is named by `secretReference` (a vault name or a Secrets Manager ARN).
 */
export interface DatabaseInfo {
	key: string;
	status: DatabaseStatus;
	engine: DatabaseEngine;
	/** The backend's own id: the database name on a cluster, the DB instance identifier on RDS. */
	identifier: string;
	databaseName: string;
	/** Login role / master user name (not a secret). */
	username?: string;
	/** Known once the database is reachable (RDS publishes its endpoint only when available). */
	host?: string;
	port?: number;
	secretReference?: string;
	/** The backend's raw status, e.g. RDS "backing-up", for people reading the output. */
	vendorStatus?: string;
}

/**
 * The way in. `connectionString` is a SecretString: JSON/inspect/String() show "[redacted]" and only
 * `connectionString.reveal()` gives the value, to be handed to a driver and never to node output.
 */
export interface DatabaseConnection {
	key: string;
	secretReference: string;
	connectionString: SecretString;
}

export interface DeleteDatabaseOptions {
	/** RDS: when the instance is still being created, wait for it (SDK waiter) instead of failing with "retry later". */
	waitIfCreating?: boolean;
	/** Upper bound for that wait, in seconds. */
	maxWaitSeconds?: number;
}

export interface DatabaseProvisioner {
	/** Idempotent: a repeat for the same key returns the database made the first time, never a second one. */
	create(request: CreateDatabaseRequest): Promise<DatabaseInfo>;
	/** Status and facts; a database that does not exist is reported as `deleted`, not thrown. */
	get(key: string): Promise<DatabaseInfo>;
	/** Idempotent: deleting what does not exist succeeds (status `deleted`). */
	delete(key: string, options?: DeleteDatabaseOptions): Promise<DatabaseInfo>;
	/** The connection string (secret) for an available database; not_found when there is none. */
	connection(key: string): Promise<DatabaseConnection>;
}

/** Where generated credentials live, so a later `connection(key)` (maybe in another process) can return them. */
export interface StoredSecret {
	/** What node output may carry: a vault name or an ARN. */
	reference: string;
	/** false when a secret of that name already existed and was kept as it is. */
	created: boolean;
}

export interface PutSecretOptions {
	/** Business-key-derived key, so the vault can make a repeated put safe (Secrets Manager ClientRequestToken). */
	idempotencyKey?: string;
	/** Replace the value of an existing secret instead of keeping it. */
	overwrite?: boolean;
	description?: string;
}

export interface SecretVault {
	/** Stores `value` under `name`; keeps an existing secret unless `overwrite`. */
	put(name: string, value: string, options?: PutSecretOptions): Promise<StoredSecret>;
	/** `name` may also be a reference returned earlier (an ARN); undefined when there is no such secret. */
	get(name: string): Promise<{ reference: string; value: SecretString } | undefined>;
	/** Idempotent: deleting a missing secret succeeds. Deletes at once, so the name can be reused. */
	delete(name: string): Promise<void>;
}
