/**
 * Proves a copy: for each table, the tenant's rows in the shared database and the rows of the dedicated one have
 * the same count and the same order-independent checksum (md5 of the sorted md5s of each row's text, computed by
 * PostgreSQL on each side).
 */
import { ConnectorError } from '../../core';
import { checkOptions, TENANT_DATA_VENDOR, type TenantDataOptions } from './options';
import { dedicatedTable, digest, sharedTable, tableColumns, tenantWhere, withClient } from './sql';

export const TENANT_DATA_VERIFY_STEP = 'provisioning.tenantData.verify';

export interface VerifyOptions extends TenantDataOptions {
	/** Throw (naming every table that differs) instead of returning `verified: false` (default true). */
	failOnMismatch?: boolean;
}

export interface TableVerification {
	table: string;
	sharedRows: number;
	dedicatedRows: number;
	sharedChecksum: string;
	dedicatedChecksum: string;
	match: boolean;
}

export interface VerifyResult {
	tenantId: string;
	verified: boolean;
	verifiedAt: string;
	tables: TableVerification[];
	rows: number;
}

export async function verifyTenantData(input: VerifyOptions): Promise<VerifyResult> {
	const options = checkOptions(input);
	const tables = await withClient(options.shared, 'Verifying against the shared database', options, (source) =>
		withClient(options.dedicated, 'Verifying the dedicated database', options, async (target) => {
			const found: TableVerification[] = [];
			for (const table of options.tables) {
				const columns = await tableColumns(source, target, options, table);
				const shared = await digest(source, sharedTable(options, table), columns, tenantWhere(options), [options.tenantId]);
				const dedicated = await digest(target, dedicatedTable(options, table), columns);
				found.push({
					table,
					sharedRows: shared.rows,
					dedicatedRows: dedicated.rows,
					sharedChecksum: shared.checksum,
					dedicatedChecksum: dedicated.checksum,
					match: shared.rows === dedicated.rows && shared.checksum === dedicated.checksum,
				});
			}
			return found;
		}),
	);
	const differing = tables.filter((table) => !table.match);
	if (differing.length && input.failOnMismatch !== false) {
		const what = differing.map((t) => `table ${t.table}: ${t.dedicatedRows} row(s) in the dedicated database, ${t.sharedRows} in the shared one${t.dedicatedRows === t.sharedRows ? ', checksums differ' : ''}`);
		throw new ConnectorError('conflict', `Tenant ${options.tenantId} data does not match: ${what.join('; ')}`, {
			vendor: TENANT_DATA_VENDOR,
			field: 'tables',
			code: 'verification_failed',
			details: { tables: differing.map((t) => t.table) },
		});
	}
	return {
		tenantId: options.tenantId,
		verified: differing.length === 0,
		verifiedAt: new Date().toISOString(),
		tables,
		rows: tables.reduce((sum, t) => sum + t.sharedRows, 0),
	};
}
