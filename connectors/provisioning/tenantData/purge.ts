/**
 * Removes a tenant's rows from the shared database once they live in its dedicated one: only after the caller's
 * grace period since the verification, and only if every shared row is still in the dedicated table unchanged
 * (rows the app added there since are fine). All tables in one transaction, children first: either every table is
 * purged or none is. A repeat finds nothing left and deletes nothing.
 */
import { ConnectorError, isConnectorError, validationError } from '../../core';
import { mapPostgresError } from '../database/pgErrors';
import { checkOptions, q, TENANT_DATA_VENDOR, type TenantDataOptions } from './options';
import { dedicatedTable, rowHashes, sharedTable, tableColumns, tenantWhere, withClient } from './sql';

export const TENANT_DATA_PURGE_STEP = 'provisioning.tenantData.purge';

export interface PurgeOptions extends TenantDataOptions {
	/** When the copy was verified (ISO 8601, from verifyTenantData). */
	verifiedAt: string;
	/** How long the shared rows are kept after that, in minutes (0 or more). */
	gracePeriodMinutes: number;
	/** Test seam: the current time. */
	now?: Date;
}

export interface PurgeResult {
	tenantId: string;
	tables: Array<{ table: string; deleted: number }>;
	deleted: number;
	purgedAt: string;
}

export async function purgeTenantData(input: PurgeOptions): Promise<PurgeResult> {
	const options = checkOptions(input);
	const verifiedAt = Date.parse(String(input.verifiedAt ?? ''));
	if (typeof input.verifiedAt !== 'string' || Number.isNaN(verifiedAt)) throw validationError('verifiedAt', 'the ISO 8601 time the copy was verified', input.verifiedAt);
	const grace = input.gracePeriodMinutes;
	if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0) throw validationError('gracePeriodMinutes', 'a number of minutes, 0 or more', grace);
	const now = input.now ?? new Date();
	const endsAt = verifiedAt + grace * 60_000;
	if (now.getTime() < endsAt) {
		throw new ConnectorError('conflict', `Tenant ${options.tenantId}: the grace period runs until ${new Date(endsAt).toISOString()}; the shared rows are kept until then`, {
			vendor: TENANT_DATA_VENDOR,
			field: 'gracePeriodMinutes',
			code: 'grace_period_not_over',
		});
	}
	return withClient(options.shared, 'Purging the shared database', options, (source) =>
		withClient(options.dedicated, 'Checking the dedicated database before the purge', options, async (target) => {
			const tables: PurgeResult['tables'] = [];
			await source.query('BEGIN');
			try {
				for (const table of [...options.tables].reverse()) {
					const columns = await tableColumns(source, target, options, table);
					// Locked, so no shared row can change between the check and the delete.
					await source.query(`SELECT 1 FROM ${sharedTable(options, table)} t ${tenantWhere(options)} FOR UPDATE`, [options.tenantId]);
					const shared = await rowHashes(source, sharedTable(options, table), columns, tenantWhere(options), [options.tenantId]);
					const present = new Set(await rowHashes(target, dedicatedTable(options, table), columns));
					const missing = shared.filter((hash) => !present.has(hash)).length;
					if (missing > 0) {
						throw new ConnectorError('conflict', `Table ${table}: ${missing} of the tenant's ${shared.length} shared row(s) are not in the dedicated database; nothing was purged`, {
							vendor: TENANT_DATA_VENDOR,
							field: 'tables',
							code: 'rows_not_in_dedicated',
							details: { table, missing },
						});
					}
					const deleted = await source.query(`DELETE FROM ${sharedTable(options, table)} t WHERE t.${q(options.tenantColumn)} = $1`, [options.tenantId]);
					tables.push({ table, deleted: deleted.rowCount ?? 0 });
				}
				await source.query('COMMIT');
			} catch (error) {
				await source.query('ROLLBACK').catch(() => undefined);
				throw isConnectorError(error) ? error : mapPostgresError(error, 'Purging the shared rows', [options.shared, options.dedicated]);
			}
			return { tenantId: options.tenantId, tables, deleted: tables.reduce((sum, t) => sum + t.deleted, 0), purgedAt: new Date().toISOString() };
		}),
	);
}
