/**
 * Where the pack's shared state lives, chosen by environment variables, and the process-wide connections to it.
 * File stores (one machine) are the default; n8n queue mode (main, webhook processors and workers on several
 * machines or user folders) needs PostgreSQL for the evidence chains and dedupe marks and Redis for rate limits.
 *
 *   Q2C_EVIDENCE_STORE   file (default) | postgres
 *   Q2C_DEDUPE_STORE     file | postgres | redis  (default: postgres when the evidence store is postgres, else file)
 *   Q2C_RATE_LIMIT_STORE memory (default) | redis
 *   Q2C_POSTGRES_URL     postgres://user[:password]@host:port/database  (required by a postgres store)
 *   Q2C_REDIS_URL        redis://[:password@]host:port[/db]              (required by a redis store)
 *   Q2C_POSTGRES_SCHEMA  schema of the pack's tables (default q2c)
 *   Q2C_REDIS_PREFIX     prefix of the pack's Redis keys (default q2c:)
 *   Q2C_POSTGRES_POOL_MAX connections per n8n process (default 6; mind PostgreSQL's max_connections × processes)
 */
import { Pool } from 'pg';
import Redis from 'ioredis';
import { ConnectorError } from './errors';
import { registerSecret } from './redact';

export type EvidenceStoreKind = 'file' | 'postgres';
export type DedupeStoreKind = 'file' | 'postgres' | 'redis';
export type RateLimitStoreKind = 'memory' | 'redis';

export interface StoreConfig {
	evidence: EvidenceStoreKind;
	dedupe: DedupeStoreKind;
	rateLimit: RateLimitStoreKind;
	postgresUrl?: string;
	redisUrl?: string;
	postgresSchema: string;
	postgresPoolMax: number;
	redisPrefix: string;
}

export const DEFAULT_POSTGRES_SCHEMA = 'q2c';
export const DEFAULT_REDIS_PREFIX = 'q2c:';
export const DEFAULT_POSTGRES_POOL_MAX = 6;
/** A plain, unquoted PostgreSQL identifier: it is interpolated into SQL, so nothing else is accepted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function configError(variable: string, expected: string, received?: string): ConnectorError {
	const got = received === undefined ? '' : ` (received "${received}")`;
	return new ConnectorError('validation', `Invalid ${variable}: expected ${expected}${got}`, { field: variable, expected });
}

function choice<T extends string>(env: NodeJS.ProcessEnv, variable: string, allowed: readonly T[], fallback: T): T {
	const raw = env[variable]?.trim().toLowerCase();
	if (!raw) return fallback;
	if ((allowed as readonly string[]).includes(raw)) return raw as T;
	throw configError(variable, allowed.map((value) => `"${value}"`).join(' or '), env[variable]);
}

/** The URL with its password masked, for messages. */
export function describeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparseable URL)';
	}
}

/** A URL of one of `protocols`; its password is registered as a secret so redaction hides it everywhere. */
function connectionUrl(env: NodeJS.ProcessEnv, variable: string, protocols: string[], example: string, neededBy: string | undefined): string | undefined {
	const raw = env[variable]?.trim();
	if (!raw) {
		if (neededBy) throw configError(variable, `a URL such as ${example} (required because ${neededBy})`);
		return undefined;
	}
	let parsed: URL;
	try {
		parsed = new URL(raw);
	} catch {
		// The raw value may hold a password: never echo it.
		throw configError(variable, `a URL such as ${example}`);
	}
	if (parsed.password) registerSecret(decodeURIComponent(parsed.password));
	if (!protocols.includes(parsed.protocol)) throw configError(variable, `a ${protocols.join(' or ')}// URL such as ${example}`, describeUrl(raw));
	if (!parsed.hostname && !parsed.searchParams.get('host')) throw configError(variable, `a URL with a host, such as ${example}`, describeUrl(raw));
	return raw;
}

/** Parses and validates the Q2C_* store settings; throws a validation ConnectorError naming the variable at fault. */
export function storeConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
	const evidence = choice<EvidenceStoreKind>(env, 'Q2C_EVIDENCE_STORE', ['file', 'postgres'], 'file');
	const dedupe = choice<DedupeStoreKind>(env, 'Q2C_DEDUPE_STORE', ['file', 'postgres', 'redis'], evidence === 'postgres' ? 'postgres' : 'file');
	const rateLimit = choice<RateLimitStoreKind>(env, 'Q2C_RATE_LIMIT_STORE', ['memory', 'redis'], 'memory');
	const needsPostgres = evidence === 'postgres' ? 'Q2C_EVIDENCE_STORE=postgres' : dedupe === 'postgres' ? 'Q2C_DEDUPE_STORE=postgres' : undefined;
	const needsRedis = dedupe === 'redis' ? 'Q2C_DEDUPE_STORE=redis' : rateLimit === 'redis' ? 'Q2C_RATE_LIMIT_STORE=redis' : undefined;
	const postgresUrl = connectionUrl(env, 'Q2C_POSTGRES_URL', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/q2c', needsPostgres);
	const redisUrl = connectionUrl(env, 'Q2C_REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379', needsRedis);
	const postgresSchema = env.Q2C_POSTGRES_SCHEMA?.trim() || DEFAULT_POSTGRES_SCHEMA;
	if (!SCHEMA_NAME.test(postgresSchema)) throw configError('Q2C_POSTGRES_SCHEMA', 'a lower-case identifier of letters, digits and "_" (at most 63), such as q2c', postgresSchema);
	const poolMaxText = env.Q2C_POSTGRES_POOL_MAX?.trim() || String(DEFAULT_POSTGRES_POOL_MAX);
	const postgresPoolMax = Number(poolMaxText);
	if (!Number.isInteger(postgresPoolMax) || postgresPoolMax < 1 || postgresPoolMax > 100) throw configError('Q2C_POSTGRES_POOL_MAX', 'a whole number of connections from 1 to 100, such as 6', poolMaxText);
	const redisPrefix = env.Q2C_REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX;
	if (redisPrefix === '' || /\s/.test(redisPrefix)) throw configError('Q2C_REDIS_PREFIX', 'a non-empty key prefix without spaces, such as q2c:', redisPrefix);
	return {
		evidence,
		dedupe,
		rateLimit,
		...(postgresUrl ? { postgresUrl } : {}),
		...(redisUrl ? { redisUrl } : {}),
		postgresSchema,
		postgresPoolMax,
		redisPrefix,
	};
}

const pools = new Map<string, Pool>();
const redisClients = new Map<string, Redis>();

/**
 * The process-wide pool for `url`. Small: every n8n process (main, webhook, each worker) opens its own. A burst waits
 * up to 30 s for a free connection (a thousand deliveries at once queue here) before the call fails as transient.
 */
export function postgresPool(url: string, max: number = storeConfigOrDefault().postgresPoolMax): Pool {
	let pool = pools.get(url);
	if (!pool) {
		const password = safePassword(url);
		registerSecret(password);
		// A holder frozen inside a transaction (not dead: its connection stays up) would keep a chain locked forever.
		pool = new Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 30_000, idle_in_transaction_session_timeout: 60_000 });
		// An idle client's connection dropping (database restarted) must not crash n8n; the next query reconnects.
		pool.on('error', () => undefined);
		pools.set(url, pool);
	}
	return pool;
}

/** The process-wide Redis client for `url`; a down Redis fails commands after a few retries instead of queueing forever. */
export function redisClient(url: string): Redis {
	let client = redisClients.get(url);
	if (!client) {
		registerSecret(safePassword(url));
		client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000, disconnectTimeout: 200 });
		// Connection errors surface on the commands that fail; the event would otherwise be an unhandled 'error'.
		client.on('error', () => undefined);
		redisClients.set(url, client);
	}
	return client;
}

/** The pool size setting; a bad one is reported by storeConfig where the store is chosen, so here it falls back. */
function storeConfigOrDefault(): { postgresPoolMax: number } {
	try {
		return storeConfig();
	} catch {
		return { postgresPoolMax: DEFAULT_POSTGRES_POOL_MAX };
	}
}

function safePassword(url: string): string | undefined {
	try {
		const password = new URL(url).password;
		return password ? decodeURIComponent(password) : undefined;
	} catch {
		return undefined;
	}
}

/** Closes every pool and client this process opened (tests, graceful shutdown). */
export async function closeBackends(): Promise<void> {
	const closing: Promise<unknown>[] = [];
	for (const pool of pools.values()) closing.push(pool.end().catch(() => undefined));
	// quit() waits for a connection that may never come back; a client that is not connected is simply dropped.
	for (const client of redisClients.values()) closing.push(client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : Promise.resolve(client.disconnect()));
	pools.clear();
	redisClients.clear();
	await Promise.all(closing);
}

/** A store/limiter failure of the shared back end as a connector error: transient (it may come back), secret-free. */
export function backendError(what: string, error: unknown): ConnectorError {
	if (error instanceof ConnectorError) return error;
	const reason = error instanceof Error ? error.message : String(error);
	return new ConnectorError('transient', `${what} is unavailable: ${reason}`, { cause: error });
}
