/**
 * What an admin connection's user may do (create databases and roles?), read once over a short connection: the
 * credential test of a PostgreSQL server backend.
 */
import { Client } from 'pg';
import { mapPostgresError } from './pgErrors';

export interface AdminRole {
	user: string;
	superuser: boolean;
	createDatabase: boolean;
	createRole: boolean;
	serverVersion: string;
}

export async function describeAdminRole(adminConnectionString: string, connectTimeoutMs = 10_000): Promise<AdminRole> {
	const client = new Client({ connectionString: adminConnectionString, connectionTimeoutMillis: connectTimeoutMs });
	client.on('error', () => undefined);
	try {
		await client.connect();
		const { rows } = await client.query<{ user: string; superuser: boolean; createdb: boolean; createrole: boolean; version: string }>(
			`SELECT current_user AS user, rolsuper AS superuser, rolcreatedb AS createdb, rolcreaterole AS createrole, current_setting('server_version') AS version
			FROM pg_roles WHERE rolname = current_user`,
		);
		const row = rows[0];
		return { user: row.user, superuser: row.superuser, createDatabase: row.createdb, createRole: row.createrole, serverVersion: row.version };
	} catch (error) {
		throw mapPostgresError(error, 'Connecting to PostgreSQL', [adminConnectionString]);
	} finally {
		await client.end().catch(() => undefined);
	}
}
