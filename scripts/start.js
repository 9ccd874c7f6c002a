// @ts-check
'use strict';
/**
 * README command one (`npm start`): installs dependencies if needed, then brings up the whole stack on
 * http://127.0.0.1:5678 — the sandboxed vendors, real n8n (Node 24, cached) with this pack installed from its
 * `npm pack` output, credentials pointing at the sandbox, both templates published — and prints how to use it.
 * Stays up until Ctrl-C / SIGTERM, then stops n8n and the sandbox.
 *
 *   npm start [-- --port 5678] [--keep]      (--keep: reuse the user folder instead of starting fresh)
 */
const { ensureDependencies } = require('./ensure-deps');

/** @param {string[]} argv */
function parseArgs(argv) {
	const options = { port: 5678, fresh: true };
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--port') options.port = Number(argv[++i]);
		else if (argv[i] === '--keep') options.fresh = false;
		else throw new Error(`unknown argument ${argv[i]} (use --port N, --keep)`);
	}
	if (!Number.isInteger(options.port) || options.port <= 0) throw new Error('--port expects a TCP port number');
	return options;
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
		`  n8n log        ${stack.n8n.logFile}`,
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
	const stack = await startStack({ port: options.port, fresh: options.fresh, log: (/** @type {string} */ m) => console.log(m) });
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
