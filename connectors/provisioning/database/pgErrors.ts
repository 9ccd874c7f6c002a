import { ConnectorError, isConnectorError, redact, type ErrorKind } from '../../core';

export const POSTGRES_VENDOR = 'postgres';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

/** SQLSTATE → taxonomy. Classes first (08 connection, 28 auth, 40 rollback, 53 resources, 57 operator), then codes. */
export function kindForSqlState(code: string): ErrorKind {
	if (code === '42501') return 'auth'; // insufficient_privilege
	if (code === '42P04' || code === '42710' || code === '23505') return 'conflict'; // duplicate database / object / key
	if (code === '3D000' || code === '42704') return 'not_found'; // no such database / object
	if (code === '55006' || code === '55P03') return 'transient'; // object in use, lock not available
	const cls = code.slice(0, 2);
	if (cls === '28') return 'auth';
	if (cls === '08' || cls === '40' || cls === '53' || cls === '57' || cls === '58') return 'transient';
	if (cls === '22' || cls === '23') return 'validation';
	return 'permanent';
}

/**
 * Any error from `pg` as a ConnectorError. The message carries PostgreSQL's own text, never the SQL (it may hold a
 * password verifier) nor the connection string; `secrets` (passwords, URLs) are masked if the server echoed them.
 */
export function mapPostgresError(error: unknown, doing: string, secrets: readonly string[] = []): ConnectorError {
	if (isConnectorError(error)) return error;
	const code = (error as { code?: unknown })?.code;
	const raw = error instanceof Error ? error.message : String(error);
	const text = redact(raw, secrets);
	if (typeof code === 'string' && NETWORK_CODES.has(code)) {
		return new ConnectorError('transient', `${doing}: PostgreSQL could not be reached (${text})`, { vendor: POSTGRES_VENDOR, code });
	}
	if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
		return new ConnectorError(kindForSqlState(code), `${doing}: ${text}`, { vendor: POSTGRES_VENDOR, code });
	}
	// pg's own "Connection terminated unexpectedly" and timeouts carry no code.
	const kind: ErrorKind = /terminated|timeout|timed out|connection/i.test(raw) ? 'transient' : 'permanent';
	return new ConnectorError(kind, `${doing}: ${text}`, { vendor: POSTGRES_VENDOR });
}
