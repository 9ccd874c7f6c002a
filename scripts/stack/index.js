// @ts-check
'use strict';
/**
 * The whole local stack in one call: the sandboxed vendors, and real n8n (Node 24, cached) with the packed pack
 * installed like n8n's community-package installer does, credentials pointing at the sandbox, the templates
 * imported (n8n CLI) and published (public API), an owner with a public-API key, and the contract-signed webhook registered.
 *
 *   const { startStack } = require('./scripts/stack');
 *   const stack = await startStack({ port: 5678 });
 *   stack.webhookUrl; stack.owner.apiKey; stack.sandbox.state(); await stack.stop();
 *
 * Also writes `<userFolder>/stack.json` so other processes (`npm run demo`, `npm run bench`) can find it.
 */
const fs = require('node:fs');
const { join } = require('node:path');
const { ensureRuntime, defaultCacheDir } = require('../n8n/runtime');
const { installPack, cli, startN8n, waitForWebhook } = require('../n8n/instance');
const { isAlive, readJson, seconds, sleep } = require('../n8n/util');
const { buildAndPack, prepareWorkflows, credentialsFor, stripeEndpointsFor } = require('./files');
const { ensureOwner } = require('./owner');

/** The VMF Trigger of the main template: `webhookId` + the node's webhook path. */
const MAIN_WEBHOOK_PATH = 'webhook/q2c-contract-signed/webhook';

/**
 * @typedef {object} StackOptions
 * @property {number} [port]        n8n's port (default 5678)
 * @property {string} [userFolder]  N8N_USER_FOLDER (default `<cache>/stack-<port>`)
 * @property {boolean} [fresh]      wipe the user folder first (default true)
 * @property {number} [latencyMs]   sandbox latency per vendor call (default 0)
 * @property {Record<string, number>} [sandboxPorts] fixed ports per fake (default: ephemeral)
 * @property {(message: string) => void} [log]
 * @property {string} [tarball]     a prebuilt `npm pack` output; otherwise build + pack now
 * @property {string[]} [workflows] extra workflow JSON files to import and publish (keyed by file name)
 * @property {Record<string, string>} [env] extra environment for n8n
 * @property {import('../../sandbox/lib/rateLimitVendors').VendorLimitsSetting} [vendorLimits] the sandbox's vendor rate
 *   limits (off by default)
 * @property {import('./queue').QueueOptions} [queue] n8n queue mode: main + webhook processor + workers on PostgreSQL
 *   and Redis (see ./queue.js); regular mode (one `n8n start` on SQLite) without it
 */

/**
 * @typedef {object} RestartOptions
 * @property {'SIGKILL' | 'SIGTERM'} [signal] SIGKILL (default): the process group dies at once, as in a crash or an
 *   OOM kill, and running executions are left unfinished; SIGTERM: n8n's graceful shutdown
 * @property {number} [downMs] how long n8n stays down before it is started again (default 0)
 * @property {Record<string, string | undefined>} [env] environment for the new instance on top of the stack's (e.g.
 *   `N8N_EVENTBUS_RECOVERY_MODE: 'simple'`); it stays in effect until the next restart
 */

/**
 * @typedef {object} Stack
 * @property {import('../n8n/instance').N8nInstance} n8n the running instance (replaced by restartN8n)
 * @property {any} sandbox        the Sandbox of sandbox/index.js
 * @property {{ email: string, password: string, apiKey: string, cookie: string, browserId: string }} owner
 * @property {string} webhookUrl  production URL of the main template's VMF Trigger
 * @property {Record<string, string>} workflowIds `{ main, errors, quoteToCash, reconciler, ...extra by file name }`
 * @property {string} userFolder
 * @property {string} dataDir     the pack's data directory inside n8n (evidence, dedupe)
 * @property {string} stackFile   `<userFolder>/stack.json`
 * @property {(options?: RestartOptions) => Promise<import('../n8n/instance').N8nInstance>} restartN8n stops n8n (SIGKILL
 *   by default) and starts it again on the same user folder, database and port; resolves once its webhooks are back
 * @property {() => Promise<void>} stop
 * @property {import('./queue').QueueProcesses} [processes] queue mode: every n8n process
 * @property {{ main: string, webhook: string }} [webhookUrls] queue mode: the main template's URL on each server
 * @property {Record<string, string>} [sharedEnv] queue mode: the env every process got (holds secrets: never print it)
 * @property {(index: number) => Promise<import('../n8n/queue').N8nProcess>} [killWorker] queue mode: SIGKILL
 * @property {() => Promise<import('../n8n/queue').N8nProcess>} [startWorker] queue mode: one more worker
 */

/**
 * What a starting stack must undo, newest first; stopAll runs every cleanup even when one fails (and logs it).
 * @param {(message: string) => void} log
 */
function cleanupList(log) {
	/** @type {Array<() => Promise<void>>} */
	const cleanups = [];
	const stopAll = async () => {
		for (const cleanup of cleanups.splice(0).reverse()) {
			try {
				await cleanup();
			} catch (error) {
				log(`  ! while stopping: ${error instanceof Error ? error.message : error}`);
			}
		}
	};
	return { cleanups, stopAll };
}

/** @param {string} title @param {(message: string) => void} log @param {() => Promise<any>} body */
async function step(title, log, body) {
	const started = Date.now();
	log(`› ${title}…`);
	const result = await body();
	log(`✓ ${title} (${seconds(started)})`);
	return result;
}

/**
 * Registers each template's Stripe Trigger as an endpoint of the Stripe fake (what a user does in Stripe's dashboard).
 * @param {any} sandbox @param {Array<{ url: string, events: string[] }>} endpoints @param {(message: string) => void} log
 */
function registerStripeEndpoints(sandbox, endpoints, log) {
	for (const endpoint of endpoints) {
		sandbox.addStripeWebhookEndpoint(endpoint.url, endpoint.events);
		log(`  Stripe webhook endpoint: ${endpoint.url} (${endpoint.events.join(', ')})`);
	}
}

/** @param {string} baseUrl @param {string} apiKey @param {string} id */
async function publishWorkflow(baseUrl, apiKey, id) {
	const response = await fetch(`${baseUrl}/api/v1/workflows/${encodeURIComponent(id)}/activate`, {
		method: 'POST',
		headers: { 'X-N8N-API-KEY': apiKey },
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`publishing workflow ${id}: HTTP ${response.status} ${text.slice(0, 500)}`);
	if (JSON.parse(text).active !== true) throw new Error(`publishing workflow ${id}: n8n answered without active: true`);
}

/**
 * SIGKILL to a process group (n8n and its task runner), as a crash or the OOM killer would; resolves once it is gone.
 * @param {number} pid the group leader (startN8n spawns n8n detached, so its pid is the group id)
 */
async function killGroup(pid) {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// already gone
	}
	const deadline = Date.now() + 20_000;
	while (groupRunning(pid)) {
		if (Date.now() > deadline) throw new Error(`n8n (process group ${pid}) still running 20 s after SIGKILL`);
		await sleep(100);
	}
}

/**
 * Whether a process of the group still runs. The task runner n8n started is orphaned by the kill, and whether its
 * zombie is reaped depends on the machine's init, so zombies (state Z in /proc) do not count; without /proc, any
 * member counts.
 * @param {number} pgid
 */
function groupRunning(pgid) {
	if (!fs.existsSync('/proc/self/stat')) return isAlive(-pgid);
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // exited meanwhile
		}
		// pid (comm) state ppid pgrp …; comm may contain spaces and parentheses, so read after the last ')'.
		const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(pgrp) === pgid && state !== 'Z') return true;
	}
	return false;
}

/** Refuses to wipe a folder whose stack is still running (its stack.json names a live n8n). @param {string} userFolder */
function assertNotRunning(userFolder) {
	const previous = readJson(join(userFolder, 'stack.json'));
	if (previous && typeof previous.n8nPid === 'number' && isAlive(-previous.n8nPid)) {
		throw new Error(`a stack is already running from ${userFolder} (n8n pid ${previous.n8nPid}, ${previous.baseUrl}); stop it first`);
	}
}

/** @param {StackOptions} [options] @returns {Promise<Stack>} */
async function startStack(options = {}) {
	if (options.queue) return require('./queue').startQueueStack(options);
	const { port = 5678, fresh = true, latencyMs = 0, log = console.log, workflows: extra = [], env = {} } = options;
	const started = Date.now();
	const userFolder = options.userFolder ?? join(defaultCacheDir(), `stack-${port}`);
	assertNotRunning(userFolder);
	if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const work = join(userFolder, 'stack-files');

	const { cleanups, stopAll } = cleanupList(log);
	try {
		const runtime = await step('n8n runtime (Node 24 + n8n, cached)', log, () => ensureRuntime({ log }));
		const tarball = options.tarball ?? (await step('build and pack the package', log, () => buildAndPack(join(work, 'pack'), log)));

		const { startSandbox } = require('../../sandbox');
		const sandbox = await step('sandboxed vendors', log, () => startSandbox({ latencyMs, ports: options.sandboxPorts ?? {}, vendorLimits: options.vendorLimits }));
		cleanups.push(() => sandbox.close());

		await step('install the pack into n8n (community-package installer steps)', log, () => installPack(userFolder, tarball, { runtime }));

		const prepared = prepareWorkflows(extra, work);
		await step('import credentials and workflows', log, async () => {
			const credentials = credentialsFor(prepared, sandbox.credentials, log);
			const credentialsFile = join(work, 'credentials.json');
			fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, '\t'), { mode: 0o600 });
			await cli(['import:credentials', `--input=${credentialsFile}`], { userFolder, runtime });
			log(`  credentials: ${credentials.map((c) => `${c.name} (${c.type})`).join(', ')}`);
			// One CLI run for all workflows: each n8n CLI start costs seconds.
			const workflowsFile = join(work, 'workflows.json');
			fs.writeFileSync(workflowsFile, JSON.stringify(prepared.map((workflow) => workflow.json)));
			await cli(['import:workflow', `--input=${workflowsFile}`], { userFolder, runtime });
			for (const workflow of prepared) log(`  ${workflow.key}: ${workflow.id} "${workflow.json.name}"`);
		});

		let n8n = await step(`start n8n on port ${port}`, log, () => startN8n({ userFolder, port, runtime, log, env }));
		// Whichever instance is running at the end (restartN8n replaces it).
		cleanups.push(() => n8n.stop());
		const owner = await step('owner account and public-API key', log, () => ensureOwner(n8n.baseUrl, fresh));

		// Published through the public API of the running instance (same effect as `n8n publish:workflow`, without
		// a CLI run per workflow and a restart); the error workflow first so the main one never runs without it.
		await step('publish the workflows', log, async () => {
			for (const workflow of [...prepared].sort((a, b) => Number(b.key === 'errors') - Number(a.key === 'errors'))) {
				await publishWorkflow(n8n.baseUrl, owner.apiKey, workflow.id);
			}
		});

		const webhookUrl = `${n8n.baseUrl}/${MAIN_WEBHOOK_PATH}`;
		await step('contract-signed webhook registered', log, () => waitForWebhook(webhookUrl, { timeoutMs: 90_000 }));
		registerStripeEndpoints(sandbox, stripeEndpointsFor(n8n.baseUrl, prepared), log);

		/** @type {Record<string, string>} */
		const workflowIds = Object.fromEntries(prepared.map((workflow) => [workflow.key, workflow.id]));
		const dataDir = join(userFolder, '.n8n', 'quote-to-cash');
		const stackFile = join(userFolder, 'stack.json');
		const description = {
			startedAt: new Date().toISOString(),
			baseUrl: n8n.baseUrl,
			port: n8n.port,
			n8nPid: n8n.pid,
			logFile: n8n.logFile,
			userFolder,
			dataDir,
			owner: { email: owner.email, password: owner.password },
			apiKey: owner.apiKey,
			webhookUrl,
			workflowIds,
			sandbox: sandbox.urls,
		};
		fs.writeFileSync(stackFile, `${JSON.stringify(description, null, '\t')}\n`, { mode: 0o600 });
		cleanups.push(async () => fs.rmSync(stackFile, { force: true }));
		log(`✓ stack up in ${seconds(started)}: ${n8n.baseUrl} (webhook ${webhookUrl})`);

		/** @type {Stack} */
		const stack = { n8n, sandbox, owner, webhookUrl, workflowIds, userFolder, dataDir, stackFile, stop: stopAll, restartN8n };
		/** @param {RestartOptions} [restart] */
		async function restartN8n({ signal = 'SIGKILL', downMs = 0, env: restartEnv = {} } = {}) {
			await step(`restart n8n (${signal}) on the same user folder`, log, async () => {
				const old = n8n;
				if (signal === 'SIGKILL') await killGroup(old.pid);
				else await old.stop();
				if (downMs > 0) await sleep(downMs);
				n8n = await startN8n({ userFolder, port: old.port, runtime, log, env: { ...env, ...restartEnv } });
				stack.n8n = n8n;
				fs.writeFileSync(stackFile, `${JSON.stringify({ ...description, n8nPid: n8n.pid, restartedAt: new Date().toISOString() }, null, '\t')}\n`, { mode: 0o600 });
				await waitForWebhook(webhookUrl, { timeoutMs: 90_000 });
			});
			return n8n;
		}
		return stack;
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/**
 * The description a running stack wrote (for the demo and bench scripts), or undefined.
 * @param {{ port?: number, userFolder?: string }} [where]
 */
function readStackFile({ port = 5678, userFolder } = {}) {
	return readJson(join(userFolder ?? join(defaultCacheDir(), `stack-${port}`), 'stack.json'));
}

module.exports = { startStack, readStackFile, MAIN_WEBHOOK_PATH, step, cleanupList, publishWorkflow, killGroup, assertNotRunning, registerStripeEndpoints };
