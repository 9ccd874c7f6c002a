// @ts-check
'use strict';
/**
 * The local stack in n8n queue mode: one main (`n8n start`: the leader, editor, API, schedules, and production
 * webhooks too), one webhook processor (`n8n webhook`), N workers (`n8n worker`), all on one PostgreSQL database and
 * one Redis (./queue-backends.js), each with its own user folder holding the pack installed the way n8n's community
 * installer does it. Credentials and workflows are imported once (the database is shared) and published on the main.
 *
 *   const stack = await startStack({ port: 5800, queue: { workers: 2 } });
 *   stack.webhookUrls.webhook; stack.processes.workers[0].logFile; await stack.killWorker(0); await stack.startWorker();
 *
 * Ports from `port`: main = port, webhook processor = port+1, main's task broker = port+2, worker n (1, 2, …):
 * health = port+2n+1, task broker = port+2n+2 (2 workers: port…port+6). User folders `<userFolder>/{main,webhook,worker-n}`.
 */
const fs = require('node:fs');
const { join } = require('node:path');
const { ensureRuntime, defaultCacheDir } = require('../n8n/runtime');
const { installPack, cli, startN8n, waitForWebhook } = require('../n8n/instance');
const { queueEnv, describeEnv, startWorker, startWebhookProcessor } = require('../n8n/queue');
const { seconds } = require('../n8n/util');
const { buildAndPack, prepareWorkflows, credentialsFor, stripeEndpointsFor } = require('./files');
const { ensureOwner } = require('./owner');
const { ensurePostgres, ensureRedis } = require('./queue-backends');
const { step, cleanupList, publishWorkflow, killGroup, assertNotRunning, MAIN_WEBHOOK_PATH, registerStripeEndpoints } = require('./index');

/**
 * @typedef {object} QueueOptions
 * @property {number} [workers]      how many `n8n worker` processes (default 2)
 * @property {number} [concurrency]  executions per worker at once (`--concurrency`, default 10)
 * @property {'postgres' | 'redis'} [dedupeStore] where the pack keeps webhook dedupe marks (default postgres)
 * @property {string} [postgresUrl]  admin URL of the PostgreSQL to create the stack's database on, or `embedded`
 * @property {string} [redisUrl]     the Redis to use
 */
/** @typedef {import('../n8n/queue').N8nProcess} N8nProcess */
/** @typedef {{ main: N8nProcess, webhook: N8nProcess, workers: N8nProcess[] }} QueueProcesses */

/** @param {N8nProcess} process */
const summaryOf = (process) => ({ role: process.role, pid: process.pid, baseUrl: process.baseUrl, logFile: process.logFile });

/**
 * Starts every promise and waits for all; when one fails the others that started are stopped and the first error thrown.
 * @param {Array<Promise<N8nProcess>>} starting @returns {Promise<N8nProcess[]>}
 */
async function allStarted(starting) {
	const settled = await Promise.allSettled(starting);
	const failed = settled.find((result) => result.status === 'rejected');
	if (!failed) return settled.map((result) => /** @type {PromiseFulfilledResult<N8nProcess>} */ (result).value);
	await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
	throw /** @type {PromiseRejectedResult} */ (failed).reason;
}

/** @param {import('./index').StackOptions} options @returns {Promise<import('./index').Stack>} */
async function startQueueStack(options) {
	const { port = 5678, fresh = true, latencyMs = 0, log = console.log, workflows: extra = [], env = {} } = options;
	const queue = options.queue ?? {};
	const workerCount = queue.workers ?? 2;
	const started = Date.now();
	const root = options.userFolder ?? join(defaultCacheDir(), `stack-${port}`);
	assertNotRunning(root);
	if (fresh) fs.rmSync(root, { recursive: true, force: true });
	fs.mkdirSync(root, { recursive: true });
	const work = join(root, 'stack-files');
	// One name for everything this stack owns on shared servers: database, schema, Bull queue, Redis keys.
	const prefix = `q2c_s${port}`;
	const folders = { main: join(root, 'main'), webhook: join(root, 'webhook') };
	const workerFolder = (/** @type {number} */ number) => join(root, `worker-${number}`);

	const { cleanups, stopAll } = cleanupList(log);
	try {
		const runtime = await step('n8n runtime (Node 24 + n8n, cached)', log, () => ensureRuntime({ log }));
		const tarball = options.tarball ?? (await step('build and pack the package', log, () => buildAndPack(join(work, 'pack'), log)));
		const { startSandbox } = require('../../sandbox');
		const sandbox = await step('sandboxed vendors', log, () => startSandbox({ latencyMs, ports: options.sandboxPorts ?? {}, vendorLimits: options.vendorLimits }));
		cleanups.push(() => sandbox.close());

		const postgres = await step('PostgreSQL for n8n and the pack', log, () => ensurePostgres({ database: `${prefix}_n8n`, fresh, dir: root, log, url: queue.postgresUrl }));
		cleanups.push(postgres.close);
		const redis = await step('Redis for the queue and the pack', log, () => ensureRedis({ prefix, fresh, dir: root, log, url: queue.redisUrl }));
		cleanups.push(redis.close);
		log(`  ${postgres.describe}; ${redis.describe}`);
		const sharedEnv = queueEnv({ postgres: postgres.target, redis: redis.target, prefix, dedupeStore: queue.dedupeStore });
		// Extra env of the caller reaches every process (as in regular mode), after the shared settings.
		const processEnv = { ...sharedEnv, ...env };

		const allFolders = [folders.main, folders.webhook, ...Array.from({ length: workerCount }, (_, i) => workerFolder(i + 1))];
		await step(`install the pack into ${allFolders.length} user folders (community-package installer steps)`, log, () =>
			Promise.all(allFolders.map((folder) => installPack(folder, tarball, { runtime }))),
		);

		const prepared = prepareWorkflows(extra, work);
		await step('import credentials and workflows (shared database)', log, async () => {
			const credentials = credentialsFor(prepared, sandbox.credentials, log);
			const credentialsFile = join(work, 'credentials.json');
			fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, '\t'), { mode: 0o600 });
			// This first CLI run also migrates the fresh database, so the processes below do not race to do it.
			await cli(['import:credentials', `--input=${credentialsFile}`], { userFolder: folders.main, runtime, env: processEnv });
			const workflowsFile = join(work, 'workflows.json');
			fs.writeFileSync(workflowsFile, JSON.stringify(prepared.map((workflow) => workflow.json)));
			await cli(['import:workflow', `--input=${workflowsFile}`], { userFolder: folders.main, runtime, env: processEnv });
			for (const workflow of prepared) log(`  ${workflow.key}: ${workflow.id} "${workflow.json.name}"`);
		});

		const publicUrl = `http://127.0.0.1:${port}/`;
		let nextWorker = 1;
		const launchWorker = (/** @type {number} */ number) =>
			startWorker({
				userFolder: workerFolder(number),
				healthPort: port + 2 * number + 1,
				brokerPort: port + 2 * number + 2,
				sharedEnv: processEnv,
				webhookUrl: publicUrl,
				concurrency: queue.concurrency,
				name: `worker-${number}`,
				log,
				runtime,
			});
		const [main, webhook, ...workers] = await step(`start main, webhook processor and ${workerCount} workers`, log, () =>
			allStarted([
				startN8n({ userFolder: folders.main, port, runtime, log, env: { ...processEnv, N8N_RUNNERS_BROKER_PORT: String(port + 2) } }).then((instance) => ({ ...instance, role: 'main' })),
				startWebhookProcessor({ userFolder: folders.webhook, port: port + 1, sharedEnv: processEnv, webhookUrl: publicUrl, log, runtime }),
				...Array.from({ length: workerCount }, () => launchWorker(nextWorker++)),
			]),
		);
		/** @type {QueueProcesses} */
		const processes = { main, webhook, workers };
		cleanups.push(() => Promise.all([processes.main, processes.webhook, ...processes.workers].map((process) => process.stop())).then(() => undefined));

		const owner = await step('owner account and public-API key', log, () => ensureOwner(main.baseUrl, fresh));
		await step('publish the workflows (on the main)', log, async () => {
			for (const workflow of [...prepared].sort((a, b) => Number(b.key === 'errors') - Number(a.key === 'errors'))) {
				await publishWorkflow(main.baseUrl, owner.apiKey, workflow.id);
			}
		});
		const webhookUrls = { main: `${main.baseUrl}/${MAIN_WEBHOOK_PATH}`, webhook: `${webhook.baseUrl}/${MAIN_WEBHOOK_PATH}` };
		await step('contract-signed webhook registered on the main and the webhook processor', log, () =>
			Promise.all(Object.values(webhookUrls).map((url) => waitForWebhook(url, { timeoutMs: 90_000 }))),
		);
		// Stripe delivers to the webhook processors, as a load balancer would route it in production.
		registerStripeEndpoints(sandbox, stripeEndpointsFor(webhook.baseUrl, prepared), log);

		/** @type {Record<string, string>} */
		const workflowIds = Object.fromEntries(prepared.map((workflow) => [workflow.key, workflow.id]));
		const stackFile = join(root, 'stack.json');
		const describe = () => ({
			startedAt: new Date(started).toISOString(),
			mode: 'queue',
			baseUrl: processes.main.baseUrl,
			port,
			n8nPid: processes.main.pid,
			logFile: processes.main.logFile,
			userFolder: root,
			owner: { email: owner.email, password: owner.password },
			apiKey: owner.apiKey,
			webhookUrl: webhookUrls.main,
			webhookUrls,
			workflowIds,
			sandbox: sandbox.urls,
			processes: [processes.main, processes.webhook, ...processes.workers].map(summaryOf),
			backends: { postgres: postgres.describe, redis: redis.describe },
			env: describeEnv(sharedEnv),
		});
		const writeStackFile = () => fs.writeFileSync(stackFile, `${JSON.stringify(describe(), null, '\t')}\n`, { mode: 0o600 });
		writeStackFile();
		cleanups.push(async () => fs.rmSync(stackFile, { force: true }));
		log(`✓ queue-mode stack up in ${seconds(started)}: main ${main.baseUrl}, webhook ${webhook.baseUrl}, ${workers.length} workers`);

		/** @type {import('./index').Stack} */
		const stack = {
			n8n: main,
			sandbox,
			owner,
			webhookUrl: webhookUrls.main,
			webhookUrls,
			workflowIds,
			userFolder: root,
			dataDir: join(folders.main, '.n8n', 'quote-to-cash'),
			stackFile,
			processes,
			sharedEnv,
			stop: stopAll,
			/** SIGKILL to worker `index` of `processes.workers` (its task runner too); it leaves the list. */
			killWorker: async (index) => {
				const [worker] = processes.workers.splice(index, 1);
				if (!worker) throw new Error(`no worker at index ${index} (${processes.workers.length} running)`);
				await killGroup(worker.pid);
				log(`  killed ${worker.role} (pid ${worker.pid}, SIGKILL)`);
				writeStackFile();
				return worker;
			},
			/** One more worker, in a fresh user folder with the pack installed (a new machine joining). */
			startWorker: async () => {
				const number = nextWorker++;
				await installPack(workerFolder(number), tarball, { runtime });
				const worker = await launchWorker(number);
				processes.workers.push(worker);
				writeStackFile();
				return worker;
			},
			restartN8n: async ({ signal = 'SIGKILL', downMs = 0, env: restartEnv = {} } = {}) => {
				const old = processes.main;
				if (signal === 'SIGKILL') await killGroup(old.pid);
				else await old.stop();
				if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
				const instance = await startN8n({ userFolder: folders.main, port, runtime, log, env: { ...processEnv, N8N_RUNNERS_BROKER_PORT: String(port + 2), ...restartEnv } });
				processes.main = { ...instance, role: 'main' };
				stack.n8n = processes.main;
				writeStackFile();
				await waitForWebhook(webhookUrls.main, { timeoutMs: 90_000 });
				return processes.main;
			},
		};
		return stack;
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startQueueStack };
