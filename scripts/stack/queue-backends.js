// @ts-check
'use strict';
/**
 * The PostgreSQL and Redis a queue-mode stack runs on: the machine's own by default (a fresh database and fresh keys
 * per stack). Where Redis is absent, the machine's `redis-server` binary on a free port; where PostgreSQL or both are
 * absent, a clear error.
 * PGlite (PostgreSQL in WASM behind @electric-sql/pglite-socket, in this process) is opt-in only: n8n 2.40.7 migrates,
 * starts and runs single contracts on it, but with concurrent deliveries the triggers' dedupe writes through it fail
 * (503 "could not record the delivery") — not a database to run the queue stack on unattended.
 *
 *   Q2C_STACK_POSTGRES_URL  admin URL of the server to create the stack's database on
 *                           (default postgres://postgres@127.0.0.1:5432/postgres; `embedded`: PGlite, experimental)
 *   Q2C_STACK_REDIS_URL     the Redis to use (default redis://127.0.0.1:6379)
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { join } = require('node:path');
const { freePort } = require('../n8n/instance');
const { sleep, isAlive } = require('../n8n/util');

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** Connection failures that mean "nothing is listening there", as opposed to a refused login. */
const ABSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/** @typedef {import('../n8n/queue').PostgresTarget} PostgresTarget */
/** @typedef {import('../n8n/queue').RedisTarget} RedisTarget */
/** @typedef {(message: string) => void} Log */

/** A URL without its password, for messages. @param {string} url */
function masked(url) {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparseable URL)';
	}
}

/** @param {unknown} error */
function isAbsent(error) {
	const code = /** @type {{ code?: string }} */ (error)?.code;
	return (code !== undefined && ABSENT.has(code)) || /timeout/i.test(String(/** @type {Error} */ (error)?.message));
}

/** @param {string} name */
const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

/**
 * A database for the stack on the machine's PostgreSQL (dropped and created again when `fresh`); PGlite only when
 * asked for with `embedded`.
 * @param {{ database: string, fresh: boolean, dir: string, log: Log, url?: string }} options
 * @returns {Promise<{ target: PostgresTarget, kind: 'server' | 'embedded', describe: string, close: () => Promise<void> }>}
 */
async function ensurePostgres({ database, fresh, dir, log, url = process.env.Q2C_STACK_POSTGRES_URL || DEFAULT_POSTGRES_URL }) {
	if (url === 'embedded') return startEmbeddedPostgres({ dir, fresh, log });
	const { Client } = require('pg');
	const admin = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	try {
		await admin.connect();
	} catch (error) {
		if (!isAbsent(error)) throw new Error(`PostgreSQL at ${masked(url)} refused the stack: ${/** @type {Error} */ (error).message}`);
		throw new Error(
			`queue mode needs PostgreSQL (n8n's database and the pack's shared evidence and dedupe stores): none answers at ${masked(url)}. ` +
				'Start one, or set Q2C_STACK_POSTGRES_URL to an admin URL of one (Q2C_STACK_POSTGRES_URL=embedded tries PGlite: experimental, concurrent deliveries fail on it).',
		);
	}
	try {
		const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount;
		// FORCE: connections a killed stack left behind must not keep the old database alive.
		if (exists && fresh) await admin.query(`DROP DATABASE ${quoteIdent(database)} WITH (FORCE)`);
		if (!exists || fresh) await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
	} finally {
		await admin.end();
	}
	const parsed = new URL(url);
	/** @type {PostgresTarget} */
	const target = { host: parsed.hostname, port: Number(parsed.port || 5432), user: decodeURIComponent(parsed.username || 'postgres'), database };
	if (parsed.password) target.password = decodeURIComponent(parsed.password);
	return { target, kind: 'server', describe: `PostgreSQL ${target.host}:${target.port}, database ${database}`, close: async () => {} };
}

/**
 * PGlite (PostgreSQL compiled to WASM) in this process, served over the wire protocol by @electric-sql/pglite-socket,
 * which multiplexes connections and keeps a transaction's queries together. Data in `<dir>/pglite`.
 * @param {{ dir: string, fresh: boolean, log: Log }} options
 */
async function startEmbeddedPostgres({ dir, fresh, log }) {
	/** @type {any} */
	let pglite;
	/** @type {any} */
	let socket;
	try {
		pglite = require('@electric-sql/pglite');
		socket = require('@electric-sql/pglite-socket');
	} catch {
		throw new Error('queue mode needs PostgreSQL: none answers (set Q2C_STACK_POSTGRES_URL) and the embedded fallback (@electric-sql/pglite, a dev dependency) is not installed');
	}
	const dataDir = join(dir, 'pglite');
	if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
	fs.mkdirSync(dataDir, { recursive: true });
	const db = await pglite.PGlite.create(dataDir);
	const port = await freePort();
	const server = new socket.PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 200 });
	await server.start();
	log(`  embedded PostgreSQL (PGlite, experimental: concurrent deliveries fail on it) on 127.0.0.1:${port}, data in ${dataDir}`);
	/** @type {PostgresTarget} */
	const target = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
	return {
		target,
		kind: /** @type {const} */ ('embedded'),
		describe: `embedded PostgreSQL (PGlite) 127.0.0.1:${port}`,
		close: async () => {
			await server.stop();
			await db.close();
		},
	};
}

/** @param {string} url @returns {Promise<boolean>} whether a Redis answers PING there */
async function redisAnswers(url) {
	const Redis = require('ioredis').default;
	const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
	client.on('error', () => undefined);
	try {
		await client.connect();
		return (await client.ping()) === 'PONG';
	} catch (error) {
		if (/NOAUTH|WRONGPASS|invalid password/i.test(String(/** @type {Error} */ (error)?.message))) {
			throw new Error(`Redis at ${masked(url)} refused the stack: ${/** @type {Error} */ (error).message}`);
		}
		return false;
	} finally {
		client.disconnect();
	}
}

/** Deletes every key of the stack's prefixes (Bull jobs, n8n pub/sub state, the pack's keys) from an earlier run. @param {string} url @param {string} prefix */
async function clearRedisPrefix(url, prefix) {
	const Redis = require('ioredis').default;
	const client = new Redis(url, { maxRetriesPerRequest: 1 });
	client.on('error', () => undefined);
	try {
		let cursor = '0';
		do {
			// `[-:]`, not `[:-]`: Redis reads the latter as a character range and matches nothing.
			const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}[-:]*`, 'COUNT', 500);
			if (keys.length) await client.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		client.disconnect();
	}
}

/**
 * The Redis the stack uses: the machine's (its keys of `prefix` cleared when `fresh`), or a `redis-server` of ours.
 * @param {{ prefix: string, fresh: boolean, dir: string, log: Log, url?: string }} options
 * @returns {Promise<{ target: RedisTarget, kind: 'server' | 'spawned', describe: string, close: () => Promise<void> }>}
 */
async function ensureRedis({ prefix, fresh, dir, log, url = process.env.Q2C_STACK_REDIS_URL || DEFAULT_REDIS_URL }) {
	if (await redisAnswers(url)) {
		if (fresh) await clearRedisPrefix(url, prefix);
		const parsed = new URL(url);
		/** @type {RedisTarget} */
		const target = { host: parsed.hostname, port: Number(parsed.port || 6379) };
		if (parsed.password) target.password = decodeURIComponent(parsed.password);
		return { target, kind: 'server', describe: `Redis ${target.host}:${target.port}`, close: async () => {} };
	}
	const binary = spawnSync('which', ['redis-server'], { encoding: 'utf8' }).stdout.trim();
	if (!binary) {
		throw new Error(`queue mode needs Redis (n8n's Bull queue and the pack's shared rate limits): none answers at ${masked(url)} and no redis-server binary is on PATH. Start one, or set Q2C_STACK_REDIS_URL.`);
	}
	const port = await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const logFile = join(dir, `redis-${port}.log`);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	child.unref();
	const pid = /** @type {number} */ (child.pid);
	const spawnedUrl = `redis://127.0.0.1:${port}`;
	const deadline = Date.now() + 15_000;
	while (!(await redisAnswers(spawnedUrl))) {
		if (Date.now() > deadline || !isAlive(pid)) throw new Error(`redis-server (${binary}) did not start on port ${port}; see ${logFile}`);
		await sleep(200);
	}
	log(`  no Redis at ${masked(url)}: started ${binary} on 127.0.0.1:${port} (pid ${pid}, log ${logFile})`);
	return {
		target: { host: '127.0.0.1', port },
		kind: 'spawned',
		describe: `redis-server 127.0.0.1:${port} (pid ${pid}, started by the stack)`,
		close: async () => {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				return;
			}
			for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
		},
	};
}

/**
 * Whether the machine's PostgreSQL and Redis answer (for a test to skip with a reason when they do not).
 * @returns {Promise<{ ok: boolean, reason: string }>}
 */
async function queueBackendsAvailable({ postgresUrl = process.env.Q2C_STACK_POSTGRES_URL || DEFAULT_POSTGRES_URL, redisUrl = process.env.Q2C_STACK_REDIS_URL || DEFAULT_REDIS_URL } = {}) {
	const { Client } = require('pg');
	const client = new Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
	} catch (error) {
		return { ok: false, reason: `no PostgreSQL at ${masked(postgresUrl)} (${/** @type {Error} */ (error).message}); set Q2C_STACK_POSTGRES_URL` };
	} finally {
		await client.end().catch(() => undefined);
	}
	if (!(await redisAnswers(redisUrl))) return { ok: false, reason: `no Redis at ${masked(redisUrl)}; set Q2C_STACK_REDIS_URL` };
	return { ok: true, reason: `PostgreSQL ${masked(postgresUrl)} and Redis ${masked(redisUrl)} answer` };
}

module.exports = { ensurePostgres, ensureRedis, queueBackendsAvailable, DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL };
