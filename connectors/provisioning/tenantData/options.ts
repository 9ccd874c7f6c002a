/**
 * What every tenant-data operation is given: the shared (Tier 1) database, the tenant's dedicated one, the tenant and
 * the tables, parents first. All of it is checked before any connection is made, and names are plain identifiers, so
 * they can be quoted into SQL safely.
 */
import { registerSecret, validationError } from '../../core';
import { checkBusinessKey } from '../database/names';
import { isSecretString, type SecretString } from '../database/secret';

export const TENANT_DATA_VENDOR = 'postgres';

export interface TenantDataOptions {
	/** postgres:// URL of the shared database (a role that reads and deletes the tenant's rows there). */
	sharedConnectionString: string | SecretString;
	/** postgres:// URL of the tenant's dedicated database (its own role, which owns the migrated tables). */
	dedicatedConnectionString: string | SecretString;
	/** The tenant's id in the shared tables' tenant column. */
	tenantId: string;
	/** Tables to move, parents before children (they are copied in this order and purged in the reverse one). */
	tables: string[];
	/** Schema of the shared tables (default "shared"). */
	sharedSchema?: string;
	/** Schema of the dedicated database's tables (default "public"). */
	dedicatedSchema?: string;
	/** Column holding the tenant id in the shared tables (default "tenant_id"; it is not copied). */
	tenantColumn?: string;
	/** Unique key column of every table, used to page and to skip rows already copied (default "id"). */
	keyColumn?: string;
	connectTimeoutMs?: number;
}

export interface CheckedOptions {
	shared: string;
	dedicated: string;
	tenantId: string;
	tables: string[];
	sharedSchema: string;
	dedicatedSchema: string;
	tenantColumn: string;
	keyColumn: string;
	connectTimeoutMs: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkIdentifier(value: unknown, field: string): string {
	if (typeof value !== 'string' || !IDENTIFIER.test(value)) throw validationError(field, 'a plain lowercase SQL identifier (letters, digits, underscores; at most 63)', value);
	return value;
}

/** Quote a checked identifier. */
export const q = (name: string): string => `"${name}"`;

function connection(value: unknown, field: string): string {
	const text = isSecretString(value) ? value.reveal() : value;
	if (typeof text !== 'string' || !/^postgres(ql)?:\/\//.test(text)) throw validationError(field, 'a postgres:// or postgresql:// URL');
	registerSecret(text);
	return text;
}

export function checkOptions(options: TenantDataOptions): CheckedOptions {
	if (!options || typeof options !== 'object') throw validationError('options', 'the tenant-data options object');
	const shared = connection(options.sharedConnectionString, 'sharedConnectionString');
	const dedicated = connection(options.dedicatedConnectionString, 'dedicatedConnectionString');
	const tenantId = checkBusinessKey(options.tenantId, 'tenantId');
	if (!Array.isArray(options.tables) || options.tables.length === 0) throw validationError('tables', 'a non-empty list of table names, parents first', options.tables);
	const tables = options.tables.map((table, index) => checkIdentifier(typeof table === 'string' ? table.trim() : table, `tables[${index}]`));
	const duplicate = tables.find((table, index) => tables.indexOf(table) !== index);
	if (duplicate) throw validationError('tables', `each table once (${duplicate} is listed twice)`, options.tables);
	const timeout = options.connectTimeoutMs ?? 10_000;
	if (!Number.isInteger(timeout) || timeout < 100) throw validationError('connectTimeoutMs', 'a whole number of milliseconds, at least 100', timeout);
	return {
		shared,
		dedicated,
		tenantId,
		tables,
		sharedSchema: checkIdentifier(options.sharedSchema ?? 'shared', 'sharedSchema'),
		dedicatedSchema: checkIdentifier(options.dedicatedSchema ?? 'public', 'dedicatedSchema'),
		tenantColumn: checkIdentifier(options.tenantColumn ?? 'tenant_id', 'tenantColumn'),
		keyColumn: checkIdentifier(options.keyColumn ?? 'id', 'keyColumn'),
		connectTimeoutMs: timeout,
	};
}
