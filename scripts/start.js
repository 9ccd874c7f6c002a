// @ts-check
'use strict';
/**
 * README command one (`npm start`): installs dependencies if needed, then brings up the whole stack on
 * http://127.0.0.1:5678 — the sandboxed vendors, real n8n (Node 24, cached) with this pack installed from its
 * `npm pack` output, credentials pointing at the sandbox, both templates published — and prints how to use it.
 * Stays up until Ctrl-C / SIGTERM, then stops n8n and the sandbox.
 *
 *   npm start [-- --port 5678] [--keep]      (--keep: reuse the user folder instead of starting fresh)
 *   npm start -- --no-vendor-limits          the sandbox never answers 429 for a vendor's rate limit
 *   npm start -- --queue [--workers 2]       n8n queue mode: main + webhook processor + N workers on PostgreSQL and
 *                                            Redis (the machine's; see scripts/stack/queue-backends.js for fallbacks)
 */
const { ensureDependencies } = require('./ensure-deps');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ port: number, fresh: boolean, vendorLimits: boolean, queue?: { workers: number } }} */
	// The sandbox answers like the vendors do at their documented rate limits (--no-vendor-limits: never).
	const options = { port: 5678, fresh: true, vendorLimits: true };
	let workers = 2;
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--port') options.port = Number(argv[++i]);
		else if (argv[i] === '--keep') options.fresh = false;
		else if (argv[i] === '--no-vendor-limits') options.vendorLimits = false;
		else if (argv[i] === '--queue') options.queue = { workers };
		else if (argv[i] === '--workers') workers = Number(argv[++i]);
		else throw new Error(`unknown argument ${argv[i]} (use --port N, --keep, --queue, --workers N, --no-vendor-limits)`);
	}
	if (!Number.isInteger(options.port) || options.port <= 0) throw new Error('--port expects a TCP port number');
	if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers expects a whole number of at least 1');
	if (options.queue) options.queue.workers = workers;
	else if (argv.includes('--workers')) throw new Error('--workers needs --queue');
	return options;
}

/** Every n8n process and its log: one line in regular mode, main + webhook processor + workers in queue mode. @param {any} stack */
function processLines(stack) {
	if (!stack.processes) return [`  n8n log        ${stack.n8n.logFile}`];
	const { main, webhook, workers } = stack.processes;
	const all = [main, webhook, ...workers];
	return [
		`  queue mode     ${workers.length} workers; webhooks also on ${stack.webhookUrls.webhook}`,
		'  processes:',
		...all.map((process) => `    ${process.role.padEnd(10)} pid ${String(process.pid).padEnd(8)} ${process.baseUrl.padEnd(24)} log ${process.logFile}`),
	];
}

/** @param {any} stack */
function printSummary(stack) {
	const line = '─'.repeat(72);
	const urls = stack.sandbox?.urls ?? {};
	const out = [
		'',
		line,
		'  Quote-to-cash stack is up',
		line,
		`  n8n editor     http://127.0.0.1:${stack.n8n.port}`,
		`  owner login    ${stack.owner.email}  /  ${stack.owner.password}`,
		`  webhook (VMF)  ${stack.webhookUrl}`,
		`  workflows      ${Object.entries(stack.workflowIds ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`,
		'  sandbox:',
		...Object.entries(urls).map(([name, url]) => `    ${name.padEnd(15)}${url}`),
		...processLines(stack),
		line,
		'  Next: run `npm run demo` in another terminal to send a signed contract through it.',
		'  Stop with Ctrl-C.',
		line,
	];
	console.log(out.join('\n'));
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	ensureDependencies((message) => console.log(message));
	const { startStack } = require('./stack');
	const started = Date.now();
	console.log(`› Starting the stack on port ${options.port} (first run: installs Node 24 + n8n into the cache, a few minutes)…`);
	const stack = await startStack({ ...options, log: (/** @type {string} */ m) => console.log(m) });
	console.log(`✓ Stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	printSummary(stack);

	let stopping = false;
	const stop = async (/** @type {string} */ signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n› ${signal}: stopping n8n and the sandbox…`);
		try {
			await stack.stop();
			console.log('✓ Stopped.');
			process.exit(0);
		} catch (error) {
			console.error(`✗ Stop failed: ${error instanceof Error ? error.message : error}`);
			process.exit(1);
		}
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	// The sandbox servers keep the event loop alive; this keeps us up even if they are unref'd.
	setInterval(() => {}, 1 << 30);
}

main().catch((error) => {
	console.error(`✗ npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
	process.exit(1);
});
