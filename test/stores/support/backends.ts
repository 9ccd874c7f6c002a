/**
 * The real back ends the store suites run on, each suite with its own database / key prefix, removed afterwards.
 * Decided before the suites are declared (jest's describe is synchronous), by a synchronous TCP probe:
 * - PostgreSQL: Q2C_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test) when it answers, else an
 *   embedded PGlite behind a wire-protocol socket in a child process (also when Q2C_TEST_POSTGRES=pglite);
 * - Redis: Q2C_TEST_REDIS_URL (default redis://127.0.0.1:6379) when it answers, else the Redis cases are skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { closeBackends } from '../../../connectors/core';

const ADMIN_URL = process.env.Q2C_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.Q2C_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, defaultPort: number): boolean {
	const { hostname, port } = new URL(url);
	const probe = `require('net').connect(${Number(port) || defaultPort}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
	return spawnSync(process.execPath, ['-e', probe], { timeout: 3_000 }).status === 0;
}

function pgliteInstalled(): boolean {
	try {
		require.resolve('@electric-sql/pglite-socket');
		return true;
	} catch {
		return false;
	}
}

export type PostgresPlan = { kind: 'server' | 'pglite' } | { kind: 'skip'; reason: string };

export const postgresPlan: PostgresPlan = (() => {
	if (process.env.Q2C_TEST_POSTGRES !== 'pglite' && reachable(ADMIN_URL, 5432)) return { kind: 'server' };
	if (pgliteInstalled()) return { kind: 'pglite' };
	return { kind: 'skip', reason: `PostgreSQL is not reachable at ${new URL(ADMIN_URL).host} and @electric-sql/pglite-socket is not installed` };
})();

export const redisPlan: { kind: 'server'; url: string } | { kind: 'skip'; reason: string } = reachable(REDIS_URL, 6379)
	? { kind: 'server', url: REDIS_URL }
	: { kind: 'skip', reason: `Redis is not reachable at ${new URL(REDIS_URL).host} (set Q2C_TEST_REDIS_URL)` };

export function uniqueName(label: string): string {
	return `q2c_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export interface TestDatabase {
	url: string;
	/** What it runs on, for the suite's log line. */
	description: string;
	drop(): Promise<void>;
}

/** A fresh database for one suite: CREATE DATABASE on the server, or a new PGlite process. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
	if (postgresPlan.kind === 'skip') throw new Error(postgresPlan.reason);
	if (postgresPlan.kind === 'pglite') return startPglite();
	const name = uniqueName(label);
	const admin = new Client({ connectionString: ADMIN_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		description: `PostgreSQL at ${url.host}, database ${name}`,
		async drop() {
			const client = new Client({ connectionString: ADMIN_URL });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await client.end();
		},
	};
}

async function startPglite(): Promise<TestDatabase> {
	const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'sandbox', 'provisioning', 'pgliteServer.js'), '64'], { stdio: ['pipe', 'pipe', 'inherit'] });
	const port = await new Promise<number>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('PGlite did not start within 60 s')), 60_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /port (\d+)/.exec(out);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			}
		});
		child.once('exit', (code) => reject(new Error(`PGlite exited with ${code}`)));
	});
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		description: `embedded PGlite on 127.0.0.1:${port} (no PostgreSQL server reachable)`,
		async drop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** A suite's own database with a pool on it: `open` in beforeAll / a backend's setup, `close` after (drops it). */
export function suiteDatabase(label: string, poolMax: number) {
	let database: TestDatabase | undefined;
	let pool: Pool | undefined;
	return {
		get url(): string {
			if (!database) throw new Error(`${label}: the suite database is not open`);
			return database.url;
		},
		get pool(): Pool {
			if (!pool) throw new Error(`${label}: the suite database is not open`);
			return pool;
		},
		async open(): Promise<void> {
			database = await createTestDatabase(label.replace(/[^a-z0-9]+/gi, '_'));
			console.log(`${label}: postgres on ${database.description}`);
			pool = new Pool({ connectionString: database.url, max: poolMax });
			// pool.end() resolves before its idle connections have closed; DROP ... WITH (FORCE) then terminates them,
			// which an idle client reports as a pool 'error' event: without a listener that fails the whole suite.
			pool.on('error', () => undefined);
		},
		async close(): Promise<void> {
			await pool?.end();
			await closeBackends();
			await database?.drop();
		},
	};
}
