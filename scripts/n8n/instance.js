// @ts-check
'use strict';
/**
 * Helpers to run one real n8n instance (from ./runtime) with a community package installed the way n8n's own
 * installer does it. Plain CommonJS (system Node 20); n8n itself runs on the cached Node 24.
 * This module is the entry point: it re-exports installPack (./install-pack) and the HTTP helpers (./api).
 *
 *   const { installPack, startN8n, cli, setupOwner, waitForWebhook, listExecutions } = require('./scripts/n8n/instance');
 *   await installPack(userFolder, '/tmp/n8n-nodes-quote-to-cash-0.1.0.tgz');
 *   await cli(['import:workflow', '--input=wf.json'], { userFolder });
 *   const n8n = await startN8n({ userFolder, port: 5678 });
 *   const { apiKey } = await setupOwner(n8n.baseUrl, { email, password, firstName, lastName });
 *   await waitForWebhook(`${n8n.baseUrl}/webhook/my-path`);
 *   const executions = await listExecutions(n8n.baseUrl, apiKey, { workflowId });
 *   await n8n.stop();
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const { join } = require('node:path');
const { setupOwner, waitForWebhook, listExecutions, waitForExecutions, tryFetch } = require('./api');
const { run } = require('./child');
const { installPack } = require('./install-pack');
const { ensureRuntime, node24Env } = require('./runtime');
const { sleep, isAlive } = require('./util');

/** Fixed so credentials imported by `cli` stay readable by every start of the same user folder. */
const ENCRYPTION_KEY = 'q2c-e2e-not-a-secret-encryption-key';

/** @typedef {import('./runtime').Runtime} Runtime */
/** @typedef {(message: string) => void} Log */

/** @param {Runtime | undefined} runtime @returns {Promise<Runtime>} */
async function runtimeOr(runtime) {
	return runtime ?? (await ensureRuntime({ log: () => {} }));
}

/** A free TCP port on 127.0.0.1 (asks the OS for one). @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * n8n 2.40's isolate-based expression engine, as every process the project starts runs it (measured with
 * `npm run bench -- --cpu-profile`): by default every webhook request takes a fresh V8 isolate and holds it while the
 * request waits for a concurrency slot (a 1,000-delivery burst held ~10 GB); lazily, only a request or execution that
 * evaluates an expression takes one. With one warm isolate in the pool, each execution built its own on the main
 * thread; 8 are built ahead, off it.
 */
const EXPRESSION_ENGINE_ENV = Object.freeze({
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
	N8N_EXPRESSION_ENGINE_POOL_SIZE: '8',
	N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true',
});

/**
 * The environment of every n8n process for one user folder (server and CLI). The parent's N8N_* and npm_*
 * variables are dropped so an outer n8n or `npm test` cannot leak into the instance.
 * @param {Runtime} rt @param {string} userFolder @param {Record<string, string | undefined>} [overrides]
 * @returns {NodeJS.ProcessEnv}
 */
function instanceEnv(rt, userFolder, overrides = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(node24Env(rt.cacheDir))) {
		if (/^(N8N_|npm_(?!config_nodedir$))|^NODE_OPTIONS$|^WEBHOOK_URL$|^DB_/i.test(key)) continue;
		env[key] = value;
	}
	Object.assign(env, {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HIDE_USAGE_PAGE: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_OUTPUT: 'console',
		// MiB. Above it n8n answers 500 before a trigger runs; above the triggers' own limits (4 MiB at most) they answer 413.
		N8N_PAYLOAD_SIZE_MAX: '32',
		...EXPRESSION_ENGINE_ENV,
		NODE_ENV: 'production',
	});
	for (const [key, value] of Object.entries(overrides)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

/**
 * Runs an n8n CLI command (import:credentials, import:workflow, publish:workflow, export:nodes, …) against the
 * user folder's database. Returns stdout; throws with the whole output when it fails.
 * @param {string[]} args e.g. ['import:workflow', '--input=/tmp/wf.json']
 * @param {{ userFolder: string, env?: Record<string, string | undefined>, runtime?: Runtime }} options
 * @returns {Promise<string>}
 */
async function cli(args, { userFolder, env = {}, runtime }) {
	const rt = await runtimeOr(runtime);
	fs.mkdirSync(userFolder, { recursive: true });
	const { stdout } = await run(rt.nodeBin, [rt.n8nBin, ...args], {
		cwd: userFolder,
		env: instanceEnv(rt, userFolder, env),
	});
	return stdout;
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
 * @typedef {object} N8nInstance
 * @property {number} pid        the n8n process (also its process-group id)
 * @property {number} port
 * @property {string} baseUrl    e.g. http://127.0.0.1:5678
 * @property {string} logFile    n8n's stdout+stderr
 * @property {() => Promise<void>} stop  SIGTERM to its own process group, SIGKILL after 20 s; resolves once gone
 */

/**
 * Starts `n8n start` detached in its own process group, logging to `<userFolder>/n8n-<port>.log`, and waits for
 * `/healthz` and then `/healthz/readiness`.
 * @param {{ userFolder: string, port?: number, env?: Record<string, string | undefined>, log?: Log,
 *   runtime?: Runtime, timeoutMs?: number }} options
 * @returns {Promise<N8nInstance>}
 */
async function startN8n({ userFolder, port, env = {}, log = () => {}, runtime, timeoutMs = 180_000 }) {
	const rt = await runtimeOr(runtime);
	const listenPort = port ?? (await freePort());
	const brokerPort = env.N8N_RUNNERS_BROKER_PORT ?? String(await freePort());
	const baseUrl = `http://127.0.0.1:${listenPort}`;
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = join(userFolder, `n8n-${listenPort}.log`);
	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(rt.nodeBin, [rt.n8nBin, 'start'], {
		cwd: userFolder,
		detached: true,
		stdio: ['ignore', out, out],
		env: instanceEnv(rt, userFolder, {
			N8N_PORT: String(listenPort),
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: brokerPort,
			...env,
		}),
	});
	fs.closeSync(out);
	child.unref();
	const pid = /** @type {number} */ (child.pid);
	/** @type {number | null | undefined} */
	let exitCode;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitCode = code ?? (signal ? -1 : 0);
			resolve(undefined);
		});
	});
	log(`  n8n starting (pid ${pid}) on ${baseUrl}, log ${logFile}`);

	const stop = async () => {
		if (exitCode === undefined && isAlive(-pid)) {
			try {
				process.kill(-pid, 'SIGTERM');
			} catch {
				// already gone
			}
		}
		const deadline = Date.now() + 20_000;
		while (isAlive(-pid) && Date.now() < deadline) await sleep(200);
		if (isAlive(-pid)) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		// An unref'd timer: waiting for the exit event must not keep the caller (e.g. jest) alive.
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
		while (isAlive(-pid)) await sleep(100);
	};

	try {
		for (const path of ['/healthz', '/healthz/readiness']) {
			for (;;) {
				if (exitCode !== undefined) {
					throw new Error(`n8n exited (code ${exitCode}) before ${path} answered:\n${tailOf(logFile, 40)}`);
				}
				if (Date.now() - started > timeoutMs) throw new Error(`n8n ${path} not ready after ${timeoutMs} ms:\n${tailOf(logFile, 40)}`);
				const response = await tryFetch(`${baseUrl}${path}`);
				if (response && response.ok) break;
				await sleep(250);
			}
		}
	} catch (error) {
		await stop();
		throw error;
	}
	log(`  n8n ready on ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return { pid, port: listenPort, baseUrl, logFile, stop };
}

module.exports = {
	ENCRYPTION_KEY,
	EXPRESSION_ENGINE_ENV,
	freePort,
	installPack,
	instanceEnv,
	cli,
	startN8n,
	setupOwner,
	waitForWebhook,
	listExecutions,
	waitForExecutions,
};
