/**
 * The SQL both sides share: which columns a table has (the dedicated database's columns are the contract; the shared
 * table must have each of them), one text per row that is the same on both sides whatever the column types, and an
 * order-independent checksum of a set of rows computed by PostgreSQL itself.
 */
import { Client } from 'pg';
import { ConnectorError } from '../../core';
import { mapPostgresError } from '../database/pgErrors';
import { q, TENANT_DATA_VENDOR, type CheckedOptions } from './options';

/** A client with a fixed time zone and date style: a row's text must not depend on the session. */
export async function withClient<T>(url: string, doing: string, options: CheckedOptions, work: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs });
	client.on('error', () => undefined);
	try {
		await client.connect();
		await client.query("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3");
		return await work(client);
	} catch (error) {
		throw mapPostgresError(error, doing, [options.shared, options.dedicated]);
	} finally {
		await client.end().catch(() => undefined);
	}
}

export async function columnsOf(client: Client, schema: string, table: string): Promise<string[]> {
	const { rows } = await client.query<{ name: string }>(
		`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
		[schema, table],
	);
	return rows.map((row) => row.name);
}

/** The dedicated table's columns, each checked to exist in the shared table (else an error naming both). */
export async function tableColumns(source: Client, target: Client, options: CheckedOptions, table: string): Promise<string[]> {
	const wanted = await columnsOf(target, options.dedicatedSchema, table);
	if (wanted.length === 0) {
		throw new ConnectorError('not_found', `Table ${table}: ${options.dedicatedSchema}.${table} does not exist in the dedicated database (run the migrations first)`, {
			vendor: TENANT_DATA_VENDOR,
			field: 'tables',
			code: 'dedicated_table_missing',
		});
	}
	const have = new Set(await columnsOf(source, options.sharedSchema, table));
	if (have.size === 0) throw new ConnectorError('not_found', `Table ${table}: ${options.sharedSchema}.${table} does not exist in the shared database`, { vendor: TENANT_DATA_VENDOR, field: 'tables', code: 'shared_table_missing' });
	if (!have.has(options.tenantColumn)) {
		throw new ConnectorError('validation', `Table ${table}: the shared table has no tenant column ${options.tenantColumn}`, { vendor: TENANT_DATA_VENDOR, field: 'tenantColumn' });
	}
	const missing = wanted.filter((column) => !have.has(column));
	if (missing.length) {
		throw new ConnectorError('validation', `Table ${table}: the shared table lacks column(s) ${missing.join(', ')} that the dedicated table has`, { vendor: TENANT_DATA_VENDOR, field: 'tables', code: 'column_mismatch' });
	}
	if (!wanted.includes(options.keyColumn)) throw new ConnectorError('validation', `Table ${table}: no key column ${options.keyColumn}`, { vendor: TENANT_DATA_VENDOR, field: 'keyColumn' });
	return wanted;
}

/** One row as text: a JSON array of its columns' text forms (NULL stays null), so types on either side agree. */
export function rowText(columns: string[], alias = 't'): string {
	return `json_build_array(${columns.map((column) => `${alias}.${q(column)}::text`).join(', ')})::text`;
}

export interface TableDigest {
	rows: number;
	checksum: string;
}

/** Row count and md5 over the sorted md5s of every row: equal sets of rows give equal digests, in any order. */
export async function digest(client: Client, from: string, columns: string[], where = '', params: unknown[] = []): Promise<TableDigest> {
	const { rows } = await client.query<{ rows: string; checksum: string | null }>(
		`SELECT count(*)::text AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS checksum
		FROM (SELECT md5(${rowText(columns)}) AS h FROM ${from} t ${where}) hashed`,
		params,
	);
	return { rows: Number(rows[0]?.rows ?? 0), checksum: String(rows[0]?.checksum ?? '') };
}

/** The md5 of every row (for a containment check: each shared row is in the dedicated table, unchanged). */
export async function rowHashes(client: Client, from: string, columns: string[], where = '', params: unknown[] = []): Promise<string[]> {
	const { rows } = await client.query<{ h: string }>(`SELECT md5(${rowText(columns)}) AS h FROM ${from} t ${where}`, params);
	return rows.map((row) => row.h);
}

export const sharedTable = (options: CheckedOptions, table: string): string => `${q(options.sharedSchema)}.${q(table)}`;
export const dedicatedTable = (options: CheckedOptions, table: string): string => `${q(options.dedicatedSchema)}.${q(table)}`;
export const tenantWhere = (options: CheckedOptions): string => `WHERE t.${q(options.tenantColumn)} = $1`;
