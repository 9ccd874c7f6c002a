// @ts-check
'use strict';
/**
 * `npm run bench`: figures, not a test. Starts its own stack (real n8n + the packed pack + the sandbox) with the
 * baseline workflow of test/bench/ imported next to the templates, sets the sandbox's latency to L ms per vendor
 * call, and for each flow (ours, then the baseline built only from n8n's own Webhook / HTTP Request / Set / If
 * nodes) prints:
 *   - vendor calls of one contract (sandbox request log + SMTP) → critical-path floor = calls × L;
 *   - signature → live latency p50 / p95 over N contracts sent one after another, and its ratio to the floor;
 *   - contracts per second with N contracts sent at once;
 * then ours / baseline, and n8n's start time with and without the pack (fresh user folders).
 *
 *   npm run bench [-- --n 20] [--latency 50] [--port 5690] [--no-start-times] [--start-runs 1]
 */
const fs = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { ensureDependencies } = require('./ensure-deps');

/** @param {string[]} argv */
function parseArgs(argv) {
	const options = { n: 20, latency: 50, port: 5690, startTimes: true, startRuns: 1 };
	for (let i = 0; i < argv.length; i += 1) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
		const value = () => Number(inline ?? argv[++i]);
		if (flag === '--n') options.n = value();
		else if (flag === '--latency') options.latency = value();
		else if (flag === '--port') options.port = value();
		else if (flag === '--start-runs') options.startRuns = value();
		else if (flag === '--no-start-times') options.startTimes = false;
		else throw new Error(`unknown argument ${arg} (use --n N, --latency MS, --port N, --start-runs N, --no-start-times)`);
	}
	for (const key of /** @type {const} */ (['n', 'port', 'startRuns'])) {
		if (!Number.isInteger(options[key]) || options[key] <= 0) throw new Error(`--${key} expects a positive integer`);
	}
	if (!Number.isFinite(options.latency) || options.latency < 0) throw new Error('--latency expects milliseconds ≥ 0');
	return options;
}

const fmt = (/** @type {number} */ value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const log = (/** @type {string} */ message) => console.log(message);
	ensureDependencies(log);
	const { ensureRuntime } = require('./n8n/runtime');
	const { buildAndPack } = require('./stack/files');
	const { startStack } = require('./stack');
	const { BASELINE_FILE, configureBaseline } = require('./bench/baseline');
	const { measureStartTimes } = require('./bench/start-time');
	const { orderIdOf, calibrate, sequential, burst, summarise } = require('./bench/run-flow');
	const { waitForWebhook } = require('./n8n/instance');

	const runtime = await ensureRuntime({ log });
	const work = fs.mkdtempSync(join(os.tmpdir(), 'q2c-bench-'));
	log('› build and pack the package…');
	const tarball = await buildAndPack(work, log);

	/** @type {{ without: number[], withPack: number[] } | undefined} */
	let startTimes;
	if (options.startTimes) {
		log(`› n8n start time, fresh user folders (${options.startRuns} run(s) each)…`);
		startTimes = await measureStartTimes({ tarball, runtime, runs: options.startRuns, log });
	}

	const stack = await startStack({ port: options.port, fresh: true, tarball, workflows: [BASELINE_FILE], latencyMs: 0, log: (m) => log(`  ${m}`) });
	/** @type {Array<{ label: string, calls: Record<string, number>, total: number, floor: number, seq: ReturnType<typeof summarise>, load: ReturnType<typeof summarise>, perSecond: number, wallMs: number }>} */
	const figures = [];
	try {
		const { baseUrl } = stack.n8n;
		const { apiKey } = stack.owner;
		const baselineId = stack.workflowIds['baseline-workflow'];
		if (!baselineId) throw new Error(`startStack did not import the baseline (workflow ids: ${JSON.stringify(stack.workflowIds)})`);
		const baselineUrl = await configureBaseline({ baseUrl, apiKey, workflowId: baselineId, sandbox: stack.sandbox });
		await waitForWebhook(baselineUrl, { timeoutMs: 60_000 });

		const flows = [
			{ label: 'ours (pack nodes)', url: stack.webhookUrl, workflowId: stack.workflowIds.main, orderIdOf: orderIdOf.ours },
			{ label: 'baseline (HTTP Request nodes)', url: baselineUrl, workflowId: baselineId, orderIdOf: orderIdOf.baseline },
		];
		for (const flow of flows) {
			log(`› ${flow.label}: warm-up at 0 ms latency, then calibration at ${options.latency} ms…`);
			stack.sandbox.setLatency(0);
			const warm = await calibrate({ baseUrl, apiKey, sandbox: stack.sandbox, flow });
			if (warm.result.status !== 'success') throw new Error(`${flow.label}: warm-up execution ${warm.result.executionId} ended ${warm.result.status} (${warm.result.error ?? 'no error message'})`);
			stack.sandbox.setLatency(options.latency);
			const calibration = await calibrate({ baseUrl, apiKey, sandbox: stack.sandbox, flow });
			log(`  vendor calls per contract: ${calibration.total} (${Object.entries(calibration.calls).map(([k, v]) => `${k} ${v}`).join(', ')})`);
			log(`  ${options.n} contracts one after another…`);
			const seq = summarise(await sequential({ baseUrl, apiKey, sandbox: stack.sandbox, flow, n: options.n }));
			log(`  ${options.n} contracts at once…`);
			const load = await burst({ baseUrl, apiKey, sandbox: stack.sandbox, flow, n: options.n });
			figures.push({
				label: flow.label,
				calls: calibration.calls,
				total: calibration.total,
				floor: calibration.total * options.latency,
				seq,
				load: summarise(load.results),
				perSecond: load.perSecond,
				wallMs: load.wallMs,
			});
		}
	} finally {
		await stack.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}

	const line = '─'.repeat(96);
	const out = [
		'',
		line,
		`Benchmark ${new Date().toISOString()} — n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`,
		`N = ${options.n} contracts per measurement, sandbox latency L = ${options.latency} ms per vendor call (HTTP request or SMTP message)`,
		line,
		`${'flow'.padEnd(31)}${'calls'.padStart(6)}${'floor'.padStart(8)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p50/floor'.padStart(11)}${'p50 @N'.padStart(9)}${'p95 @N'.padStart(9)}${'contracts/s'.padStart(13)}`,
	];
	for (const f of figures) {
		out.push(
			`${f.label.padEnd(31)}${String(f.total).padStart(6)}${`${f.floor}ms`.padStart(8)}${`${fmt(f.seq.p50)}ms`.padStart(8)}${`${fmt(f.seq.p95)}ms`.padStart(8)}${fmt(f.seq.p50 / f.floor, 2).padStart(11)}${`${fmt(f.load.p50)}ms`.padStart(9)}${`${fmt(f.load.p95)}ms`.padStart(9)}${fmt(f.perSecond, 2).padStart(13)}`,
		);
		if (f.seq.failed || f.load.failed) out.push(`  ! ${f.label}: ${f.seq.failed + f.load.failed} execution(s) did not succeed`);
	}
	if (figures.length === 2) {
		const [ours, base] = figures;
		out.push(line);
		out.push(`ours / baseline: p50 ${fmt(ours.seq.p50 / base.seq.p50, 2)}×, p95 ${fmt(ours.seq.p95 / base.seq.p95, 2)}×, throughput ${fmt(ours.perSecond / base.perSecond, 2)}×`);
		out.push(`  (ours also verifies the delivery in the trigger, dedupes it, evaluates the policy node and writes 6 hash-chained receipts; the baseline does none of that)`);
	}
	if (startTimes) {
		out.push(line);
		const bare = median(startTimes.without);
		const pack = median(startTimes.withPack);
		out.push(`n8n start (spawn → /healthz/readiness, fresh user folder): without the pack ${fmt(bare, 1)} s, with the pack ${fmt(pack, 1)} s (${pack >= bare ? '+' : ''}${fmt(pack - bare, 1)} s)`);
	}
	out.push(line);
	out.push('p50/p95: signature → live, one contract at a time; @N: the same with all N sent at once; contracts/s: N ÷ (last live − first sent).');
	console.log(out.join('\n'));
}

main().catch((error) => {
	console.error(`✗ bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
	process.exit(1);
});
