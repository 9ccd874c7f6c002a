/**
 * Copies a tenant's rows from the shared database into its dedicated one, table by table (parents first), in pages
 * by key. Each page is read as JSON text (no value passes through a JavaScript type, so timestamps keep their
 * microseconds and big numbers their digits) and written in its own transaction with ON CONFLICT DO NOTHING: a
 * copy stopped half-way is finished by running it again, and rows copied before are neither duplicated nor changed.
 */
import type { Client } from 'pg';
import { ConnectorError, isConnectorError, validationError } from '../../core';
import { mapPostgresError } from '../database/pgErrors';
import { checkOptions, q, TENANT_DATA_VENDOR, type CheckedOptions, type TenantDataOptions } from './options';
import { dedicatedTable, sharedTable, tableColumns, withClient } from './sql';

export const TENANT_DATA_COPY_STEP = 'provisioning.tenantData.copy';

export interface CopyOptions extends TenantDataOptions {
	/** Rows per page and per target transaction (default 1,000; 1-10,000). */
	batchSize?: number;
}

export interface TableCopy {
	table: string;
	/** The tenant's rows in the shared table. */
	sourceRows: number;
	/** Rows this run inserted (0 for rows an earlier run copied). */
	inserted: number;
	/** Rows already there (an earlier, partial run). */
	skipped: number;
	batches: number;
}

export interface CopyResult {
	tenantId: string;
	tables: TableCopy[];
	sourceRows: number;
	inserted: number;
}

export async function copyTenantData(input: CopyOptions): Promise<CopyResult> {
	const options = checkOptions(input);
	const batchSize = input.batchSize ?? 1000;
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw validationError('batchSize', 'a whole number from 1 to 10000', batchSize);
	return withClient(options.shared, 'Reading the shared database', options, (source) =>
		withClient(options.dedicated, 'Writing the dedicated database', options, async (target) => {
			const tables: TableCopy[] = [];
			for (const table of options.tables) tables.push(await copyTable(source, target, options, table, batchSize));
			return {
				tenantId: options.tenantId,
				tables,
				sourceRows: tables.reduce((sum, t) => sum + t.sourceRows, 0),
				inserted: tables.reduce((sum, t) => sum + t.inserted, 0),
			};
		}),
	);
}

async function copyTable(source: Client, target: Client, options: CheckedOptions, table: string, batchSize: number): Promise<TableCopy> {
	const doing = `Copying table ${table}`;
	try {
		const columns = await tableColumns(source, target, options, table);
		const list = columns.map(q).join(', ');
		const key = q(options.keyColumn);
		const keyType = await source.query<{ type: string }>(
			`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`,
			[sharedTable(options, table), options.keyColumn],
		);
		const type = keyType.rows[0]?.type;
		if (!type || !/^[a-z0-9 _()]+$/.test(type)) throw new ConnectorError('validation', `Table ${table}: cannot read the type of key column ${options.keyColumn}`, { vendor: TENANT_DATA_VENDOR, field: 'keyColumn' });
		const result: TableCopy = { table, sourceRows: 0, inserted: 0, skipped: 0, batches: 0 };
		// One snapshot for the whole table: pages never see a row twice or miss one that moved.
		await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
		try {
			let last: string | null = null;
			for (;;) {
				const page: { rows: string | null; count: number; last: string | null } = (
					await source.query(
						`WITH batch AS (SELECT ${columns.map((c) => `t.${q(c)}`).join(', ')} FROM ${sharedTable(options, table)} t
							WHERE t.${q(options.tenantColumn)} = $1 AND ($2::text IS NULL OR t.${key} > $2::text::${type}) ORDER BY t.${key} LIMIT $3)
						SELECT (SELECT json_agg(b)::text FROM batch b) AS rows, (SELECT count(*)::int FROM batch) AS count, (SELECT max(${key})::text FROM batch) AS last`,
						[options.tenantId, last, batchSize],
					)
				).rows[0];
				if (!page || page.count === 0 || page.rows === null) break;
				await target.query('BEGIN');
				try {
					const written = await target.query(
						`INSERT INTO ${dedicatedTable(options, table)} (${list}) OVERRIDING SYSTEM VALUE
						SELECT ${list} FROM json_populate_recordset(NULL::${dedicatedTable(options, table)}, $1::json) ON CONFLICT DO NOTHING`,
						[page.rows],
					);
					await target.query('COMMIT');
					result.inserted += written.rowCount ?? 0;
				} catch (error) {
					await target.query('ROLLBACK').catch(() => undefined);
					throw error;
				}
				result.sourceRows += page.count;
				result.batches += 1;
				last = page.last;
				if (page.count < batchSize) break;
			}
		} finally {
			await source.query('COMMIT').catch(() => undefined);
		}
		result.skipped = result.sourceRows - result.inserted;
		await resetSequences(target, options, table, columns);
		return result;
	} catch (error) {
		if (isConnectorError(error)) throw error;
		const mapped = mapPostgresError(error, doing, [options.shared, options.dedicated]);
		throw new ConnectorError(mapped.kind, mapped.message, { vendor: TENANT_DATA_VENDOR, code: mapped.code, field: 'tables', details: { table } });
	}
}

/** Identity and serial columns continue after the copied ids, so the app's next insert does not collide. */
async function resetSequences(target: Client, options: CheckedOptions, table: string, columns: string[]): Promise<void> {
	const qualified = dedicatedTable(options, table);
	for (const column of columns) {
		const { rows } = await target.query<{ sequence: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS sequence', [qualified, column]);
		if (!rows[0]?.sequence) continue;
		await target.query(`SELECT setval($1::regclass, GREATEST((SELECT max(${q(column)}) FROM ${qualified}), 0) + 1, false)`, [rows[0].sequence]);
	}
}
