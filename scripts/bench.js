// @ts-check
'use strict';
/**
 * `npm run bench`: figures, not a test. For each mode (regular n8n, queue mode with 1, 2 or 4 workers) it starts its
 * own stack (real n8n + the packed pack + the sandbox) with the baseline workflow of test/bench/ (the same vendor
 * calls built only from n8n's Webhook / HTTP Request / Set / If nodes) imported next to the templates, and runs our
 * template and the baseline side by side against the sandbox with the vendors' rate limits on: vendor calls per
 * contract, latency one contract at a time, and bursts of N contracts at once (completions, failed executions,
 * duplicates, throughput, the rate-limit floor). Flags: see scripts/bench/options.js.
 *
 *   npm run bench [-- --modes regular,queue1,queue2,queue4] [--n 20,200,1000] [--flows ours,baseline] [--seq 20]
 *                 [--latency 50] [--no-vendor-limits] [--port 5900] [--start-times] [--cpu-profile DIR]
 */
const fs = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { ensureDependencies } = require('./ensure-deps');
const { parseArgs } = require('./bench/options');

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const log = (/** @type {string} */ message) => console.log(message);
	ensureDependencies(log);
	const { ensureRuntime } = require('./n8n/runtime');
	const { buildAndPack } = require('./stack/files');
	const { measureStartTimes } = require('./bench/start-time');
	const { runMode } = require('./bench/mode');
	const { report } = require('./bench/report');

	const runtime = await ensureRuntime({ log });
	const work = fs.mkdtempSync(join(os.tmpdir(), 'q2c-bench-'));
	const results = [];
	/** @type {{ without: number[], withPack: number[] } | undefined} */
	let startTimes;
	try {
		log('› build and pack the package…');
		const tarball = await buildAndPack(work, log);
		if (options.startTimes) {
			log(`› n8n start time, fresh user folders (${options.startRuns} run(s) each)…`);
			startTimes = await measureStartTimes({ tarball, runtime, runs: options.startRuns, log });
		}
		for (const [index, mode] of options.modes.entries()) {
			log(`› mode ${mode}…`);
			// Each mode its own ports (a queue stack uses a few beyond its main port).
			results.push(await runMode({ mode, options, tarball, port: options.port + index * 10, log }));
		}
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
	const cpus = os.cpus();
	console.log(report({ results, options, runtime, machine: `${cpus.length} CPUs (${cpus[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`, startTimes }));
	if (options.cpuProfileDir) console.log(`\nWhere n8n's threads spent their time (${options.cpuProfileDir}):\n${require('./bench/cpu-profile').summariseDir(options.cpuProfileDir, 15)}`);
}

main().catch((error) => {
	console.error(`✗ bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
	process.exit(1);
});
