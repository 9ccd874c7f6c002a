/**
 * Atomic lead-routing counters (round-robin cursors, open leads per member, lead → assignee), correct with
 * concurrent executions and several n8n workers. Workflow static data is saved whole, last writer wins, and
 * in-memory state is per process: both lose or double-count assignments in queue mode.
 *
 *   Q2C_ROUTING_STORE  file | postgres | redis  (default: postgres when Q2C_EVIDENCE_STORE=postgres, else file)
 *
 * The connection settings are the pack's (Q2C_POSTGRES_URL, Q2C_POSTGRES_SCHEMA, Q2C_REDIS_URL, Q2C_REDIS_PREFIX);
 * the file store lives in `<data dir>/routing` and is right for one n8n process (or several on one machine) only.
 */
import { ConnectorError, storeConfig } from '../core';
import { defaultRoutingDir, FileRoutingStateStore } from './routingState/file';
import type { RoutingStateStore } from './routingState/model';
import { PostgresRoutingStateStore } from './routingState/postgres';
import { RedisRoutingStateStore } from './routingState/redis';

export type { ClaimInput, ReleaseInput, RoutingClaim, RoutingReason, RoutingStateStore } from './routingState/model';
export { defaultRoutingDir, FileRoutingStateStore } from './routingState/file';
export { PostgresRoutingStateStore, ROUTING_MIGRATIONS, type PostgresRoutingStateOptions } from './routingState/postgres';
export { RedisRoutingStateStore, type RedisRoutingStateOptions } from './routingState/redis';

export type RoutingStoreKind = 'file' | 'postgres' | 'redis';
const KINDS: readonly RoutingStoreKind[] = ['file', 'postgres', 'redis'];

/** Q2C_ROUTING_STORE, validated; a bad value is a validation ConnectorError naming the variable. */
export function routingStoreKind(env: NodeJS.ProcessEnv = process.env): RoutingStoreKind {
	const raw = env.Q2C_ROUTING_STORE?.trim().toLowerCase();
	if (!raw) return storeConfig(env).evidence === 'postgres' ? 'postgres' : 'file';
	if ((KINDS as readonly string[]).includes(raw)) return raw as RoutingStoreKind;
	const expected = KINDS.map((kind) => `"${kind}"`).join(' or ');
	throw new ConnectorError('validation', `Invalid Q2C_ROUTING_STORE: expected ${expected} (received "${env.Q2C_ROUTING_STORE}")`, { field: 'Q2C_ROUTING_STORE', expected });
}

function missingUrl(variable: string, example: string, kind: RoutingStoreKind): ConnectorError {
	const expected = `a URL such as ${example} (required because Q2C_ROUTING_STORE=${kind})`;
	return new ConnectorError('validation', `Invalid ${variable}: expected ${expected}`, { field: variable, expected });
}

/**
 * The routing state store the environment asks for. PostgreSQL and Redis stores use the process-wide connection
 * (closeBackends ends it); `fileDir` overrides the file store's directory.
 */
export function createRoutingStateStore(env: NodeJS.ProcessEnv = process.env, fileDir?: string): RoutingStateStore {
	const kind = routingStoreKind(env);
	const config = storeConfig(env);
	if (kind === 'postgres') {
		if (!config.postgresUrl) throw missingUrl('Q2C_POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432/q2c', kind);
		return new PostgresRoutingStateStore({ connectionString: config.postgresUrl, schema: config.postgresSchema });
	}
	if (kind === 'redis') {
		if (!config.redisUrl) throw missingUrl('Q2C_REDIS_URL', 'redis://127.0.0.1:6379', kind);
		return new RedisRoutingStateStore({ url: config.redisUrl, prefix: config.redisPrefix });
	}
	return new FileRoutingStateStore(fileDir ?? defaultRoutingDir(env));
}
