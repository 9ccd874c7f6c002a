// @ts-check
'use strict';
/**
 * n8n queue mode (n8n 2.40.7 "scaling mode"): the environment every process of one deployment shares, and starters
 * for its `n8n worker` and `n8n webhook` processes. The main process is `startN8n` (./instance) with this env.
 * Facts from n8n 2.40.7's code (@n8n/config, packages/cli/dist/commands):
 *  - EXECUTIONS_MODE=queue; Bull on Redis: QUEUE_BULL_REDIS_HOST/PORT/PASSWORD, QUEUE_BULL_PREFIX (Bull keys), and
 *    N8N_REDIS_KEY_PREFIX (pub/sub channels, leader election, locks, caches): both per deployment on a shared Redis.
 *  - DB_TYPE=postgresdb + DB_POSTGRESDB_*: sqlite is "not officially supported" in scaling mode.
 *  - `n8n worker [--concurrency=N]` (default 10) starts an internal task runner: one N8N_RUNNERS_BROKER_PORT per
 *    worker (default 5679); its health server (QUEUE_HEALTH_CHECK_ACTIVE, QUEUE_HEALTH_CHECK_PORT, default 5678,
 *    i.e. n8n's own port) serves /healthz and /healthz/readiness (DB migrated + Redis connected + queue ready).
 *  - `n8n webhook` serves production webhooks on N8N_PORT (no task runner); the main serves them too unless
 *    N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true. Both only run the trigger's webhook() and enqueue the execution.
 *  - OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true: manual runs go to workers as well, and the main starts no task runner.
 *  - Binary data: "database" is the queue-mode default (filesystem is per machine); set explicitly here.
 *  - N8N_MULTI_MAIN_SETUP_ENABLED needs an enterprise licence: one main, the leader (triggers, pollers, schedules).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { join } = require('node:path');
const { tryFetch } = require('./api');
const { instanceEnv, ENCRYPTION_KEY, EXPRESSION_ENGINE_ENV } = require('./instance');
const { ensureRuntime } = require('./runtime');
const { sleep, isAlive } = require('./util');

/** @typedef {import('./runtime').Runtime} Runtime */
/** @typedef {import('./instance').N8nInstance & { role: string }} N8nProcess */
/** @typedef {{ host: string, port: number, user: string, password?: string, database: string }} PostgresTarget */
/** @typedef {{ host: string, port: number, password?: string }} RedisTarget */

/** Variables whose values are per deployment (hosts, ports, names, prefixes, URLs, secrets), not shared settings. */
const PER_DEPLOYMENT = Object.freeze([
	'N8N_ENCRYPTION_KEY',
	'DB_POSTGRESDB_HOST',
	'DB_POSTGRESDB_PORT',
	'DB_POSTGRESDB_USER',
	'DB_POSTGRESDB_PASSWORD',
	'DB_POSTGRESDB_DATABASE',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
	'QUEUE_BULL_REDIS_PASSWORD',
	'QUEUE_BULL_PREFIX',
	'N8N_REDIS_KEY_PREFIX',
	'Q2C_POSTGRES_URL',
	'Q2C_REDIS_URL',
	'Q2C_POSTGRES_SCHEMA',
	'Q2C_REDIS_PREFIX',
]);

/** @param {string} prefix */
function assertPrefix(prefix) {
	// It becomes a PostgreSQL schema name and Redis key prefixes: keep it a plain lower-case identifier.
	if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`queue prefix "${prefix}" must be a lower-case identifier (letters, digits, _)`);
}

/**
 * THE environment every process of one queue-mode deployment gets (main, webhook processors, workers, CLI runs):
 * n8n's database and queue settings plus the pack's shared stores (evidence and dedupe in PostgreSQL, rate limits in
 * Redis). Per-process values (N8N_PORT, WEBHOOK_URL, broker and health ports) are added by the starters.
 * @param {{ postgres: PostgresTarget, redis: RedisTarget, prefix: string, dedupeStore?: 'postgres' | 'redis',
 *   encryptionKey?: string }} options prefix: unique per deployment, so parallel stacks on one PostgreSQL/Redis never
 *   share a schema, a Bull queue, a pub/sub channel or a key
 * @returns {Record<string, string>}
 */
function queueEnv({ postgres, redis, prefix, dedupeStore = 'postgres', encryptionKey = ENCRYPTION_KEY }) {
	assertPrefix(prefix);
	const pgAuth = postgres.password ? `${encodeURIComponent(postgres.user)}:${encodeURIComponent(postgres.password)}` : encodeURIComponent(postgres.user);
	const redisAuth = redis.password ? `:${encodeURIComponent(redis.password)}@` : '';
	/** @type {Record<string, string>} */
	const env = {
		N8N_ENCRYPTION_KEY: encryptionKey,
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_DATABASE: postgres.database,
		// n8n's pool defaults to 2 connections with a 20 s wait: a burst of deliveries (every one creates an execution)
		// timed out waiting. 6 here plus the pack's 6 per process keeps main + webhook + 4 workers under 100 connections.
		DB_POSTGRESDB_POOL_SIZE: '6',
		DB_POSTGRESDB_CONNECTION_TIMEOUT: '60000',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: `${prefix}-bull`,
		N8N_REDIS_KEY_PREFIX: `${prefix}-n8n`,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		N8N_MULTI_MAIN_SETUP_ENABLED: 'false',
		// MiB; the same reason as in instanceEnv: above it n8n answers 500 before a trigger can answer 413.
		N8N_PAYLOAD_SIZE_MAX: '32',
		// An expression isolate only when an expression is evaluated (the README's "Install into n8n").
		...EXPRESSION_ENGINE_ENV,
		Q2C_EVIDENCE_STORE: 'postgres',
		Q2C_DEDUPE_STORE: dedupeStore,
		Q2C_RATE_LIMIT_STORE: 'redis',
		Q2C_POSTGRES_URL: `postgres://${pgAuth}@${postgres.host}:${postgres.port}/${encodeURIComponent(postgres.database)}`,
		Q2C_REDIS_URL: `redis://${redisAuth}${redis.host}:${redis.port}`,
		Q2C_POSTGRES_SCHEMA: prefix,
		Q2C_POSTGRES_POOL_MAX: '6',
		Q2C_REDIS_PREFIX: `${prefix}:`,
	};
	if (postgres.password) env.DB_POSTGRESDB_PASSWORD = postgres.password;
	if (redis.password) env.QUEUE_BULL_REDIS_PASSWORD = redis.password;
	return env;
}

/**
 * The env with secrets masked, for printing: passwords, the encryption key, and passwords inside URLs.
 * @param {Record<string, string>} env @returns {Record<string, string>}
 */
function describeEnv(env) {
	return Object.fromEntries(
		Object.entries(env).map(([key, value]) => {
			if (/PASSWORD|ENCRYPTION_KEY|SECRET|TOKEN/.test(key)) return [key, '***'];
			return [key, value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')];
		}),
	);
}

/** @param {string} file @param {number} lines */
function tailOf(file, lines) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Spawns one n8n process (`start`, `worker`, `webhook`) detached in its own process group, logging to
 * `<userFolder>/n8n-<role>-<port>.log`, and waits for /healthz then /healthz/readiness on `healthPort`.
 * @param {{ role: string, args: string[], userFolder: string, healthPort: number, env: Record<string, string | undefined>,
 *   log?: (message: string) => void, runtime?: Runtime, timeoutMs?: number }} options
 * @returns {Promise<N8nProcess>}
 */
async function spawnN8n({ role, args, userFolder, healthPort, env, log = () => {}, runtime, timeoutMs = 180_000 }) {
	const rt = runtime ?? (await ensureRuntime({ log: () => {} }));
	const baseUrl = `http://127.0.0.1:${healthPort}`;
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = join(userFolder, `n8n-${role}-${healthPort}.log`);
	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(rt.nodeBin, [rt.n8nBin, ...args], {
		cwd: userFolder,
		detached: true,
		stdio: ['ignore', out, out],
		env: instanceEnv(rt, userFolder, env),
	});
	fs.closeSync(out);
	child.unref();
	const pid = /** @type {number} */ (child.pid);
	/** @type {number | undefined} */
	let exitCode;
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exitCode = code ?? (signal ? -1 : 0)))));
	log(`  n8n ${role} starting (pid ${pid}) on ${baseUrl}, log ${logFile}`);

	const stop = async () => {
		const signalGroup = (/** @type {NodeJS.Signals} */ signal) => {
			try {
				process.kill(-pid, signal);
			} catch {
				// already gone
			}
		};
		if (exitCode === undefined && isAlive(-pid)) signalGroup('SIGTERM');
		const deadline = Date.now() + 20_000;
		while (isAlive(-pid) && Date.now() < deadline) await sleep(200);
		if (isAlive(-pid)) signalGroup('SIGKILL');
		// An unref'd timer: waiting for the exit event must not keep the caller (e.g. jest) alive.
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
		while (isAlive(-pid)) await sleep(100);
	};

	try {
		for (const path of ['/healthz', '/healthz/readiness']) {
			for (;;) {
				if (exitCode !== undefined) throw new Error(`n8n ${role} exited (code ${exitCode}) before ${path} answered:\n${tailOf(logFile, 40)}`);
				if (Date.now() - started > timeoutMs) throw new Error(`n8n ${role} ${path} not ready after ${timeoutMs} ms:\n${tailOf(logFile, 40)}`);
				const response = await tryFetch(`${baseUrl}${path}`);
				if (response && response.ok) break;
				await sleep(250);
			}
		}
	} catch (error) {
		await stop();
		throw error;
	}
	log(`  n8n ${role} ready on ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return { role, pid, port: healthPort, baseUrl, logFile, stop };
}

/**
 * `n8n worker`: takes executions from the Bull queue. Ready once its health server says DB, Redis and queue are up.
 * @param {{ userFolder: string, healthPort: number, brokerPort: number, sharedEnv: Record<string, string>,
 *   webhookUrl: string, concurrency?: number, name?: string, log?: (message: string) => void, runtime?: Runtime }} options
 *   webhookUrl: the public base URL (workers build resume/webhook URLs from it)
 * @returns {Promise<N8nProcess>}
 */
function startWorker({ userFolder, healthPort, brokerPort, sharedEnv, webhookUrl, concurrency = 10, name = 'worker', log, runtime }) {
	return spawnN8n({
		role: name,
		args: ['worker', `--concurrency=${concurrency}`],
		userFolder,
		healthPort,
		log,
		runtime,
		env: { ...sharedEnv, QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_RUNNERS_BROKER_PORT: String(brokerPort), WEBHOOK_URL: webhookUrl },
	});
}

/**
 * `n8n webhook`: a webhook processor serving production webhooks on its own port.
 * @param {{ userFolder: string, port: number, sharedEnv: Record<string, string>, webhookUrl: string,
 *   log?: (message: string) => void, runtime?: Runtime }} options
 * @returns {Promise<N8nProcess>}
 */
function startWebhookProcessor({ userFolder, port, sharedEnv, webhookUrl, log, runtime }) {
	return spawnN8n({
		role: 'webhook',
		args: ['webhook'],
		userFolder,
		healthPort: port,
		log,
		runtime,
		env: { ...sharedEnv, N8N_PORT: String(port), WEBHOOK_URL: webhookUrl },
	});
}

module.exports = { queueEnv, describeEnv, PER_DEPLOYMENT, spawnN8n, startWorker, startWebhookProcessor };
