// @ts-check
'use strict';
/**
 * One benchmark mode: its own stack (regular n8n, or queue mode with N workers), the baseline imported next to the
 * templates, then for each flow a warm-up, a one-contract calibration (vendor calls), contracts one after another
 * (p50/p95) and a burst of N contracts at once per N, with the sandbox's vendor rate limits on.
 */
const { waitForWebhook } = require('../n8n/instance');
const { BASELINE_FILE, BASELINE_PATH, configureBaseline } = require('./baseline');
const { orderIdOf, calibrate, sequential, burst, summarise } = require('./run-flow');
const { burstTimeline, duplicates, callsBetween, limitStats } = require('./vendor-state');
const { workersOf } = require('./options');
const { sleep } = require('../n8n/util');
const { getExecution, nodeTimeline } = require('./stack-client');

/** Stripe's documented test-mode limit (requests per second per account), the rate-limit floor's divisor. */
const STRIPE_TEST_LIMIT_PER_SECOND = 25;
/**
 * @param {{ mode: string, options: import('./options').BenchOptions, tarball: string, port: number, log: (m: string) => void }} input
 */
async function runMode({ mode, options, tarball, port, log }) {
	const workers = workersOf(mode);
	const { startStack } = require('../stack');
	const stack = await startStack({
		port,
		fresh: true,
		tarball,
		workflows: [BASELINE_FILE],
		latencyMs: 0,
		vendorLimits: false,
		...(workers ? { queue: { workers } } : {}),
		// Regular mode on SQLite: with every contract of a burst running at once, n8n's own execution writes queued
		// past its 60 s SQLite write lock (1,000 at once failed there, for both flows). n8n's production concurrency
		// limit (--concurrency, default 20: a run waits on ~1 s of vendor calls, so ~7 contracts/s need ~10 in flight;
		// 20 measured 147 s at N = 1,000 against 152 s with 50) runs that many at a time and queues the rest; 0 = unlimited.
		env: {
			...(workers || options.concurrency === 0 ? {} : { N8N_CONCURRENCY_PRODUCTION_LIMIT: String(options.concurrency) }),
			// Where n8n's time goes: each process writes a .cpuprofile (open in Chrome DevTools) when it exits.
			...(options.cpuProfileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${options.cpuProfileDir}` } : {}),
		},
		log: (/** @type {string} */ m) => log(`  ${m}`),
	});
	const figures = [];
	try {
		const { baseUrl } = stack.n8n;
		const { apiKey } = stack.owner;
		const { sandbox } = stack;
		const baselineId = stack.workflowIds['baseline-workflow'];
		if (!baselineId) throw new Error(`startStack did not import the baseline (workflow ids: ${JSON.stringify(stack.workflowIds)})`);
		const baselineUrl = await configureBaseline({ baseUrl, apiKey, workflowId: baselineId, sandbox });
		await waitForWebhook(baselineUrl, { timeoutMs: 60_000 });
		// Queue mode: deliveries go to the main and to the webhook processor alike.
		const webhookBase = stack.processes?.webhook?.baseUrl;
		const ourUrls = stack.webhookUrls ? [stack.webhookUrls.main, stack.webhookUrls.webhook] : [stack.webhookUrl];
		const baselineUrls = webhookBase ? [baselineUrl, `${webhookBase}/webhook/${BASELINE_PATH}`] : [baselineUrl];
		if (webhookBase) await waitForWebhook(baselineUrls[1], { timeoutMs: 60_000 });

		/** @type {import('./run-flow').Flow[]} */
		const flows = [
			{ name: /** @type {const} */ ('ours'), label: 'ours (pack nodes)', urls: ourUrls, workflowId: stack.workflowIds.main, orderIdOf: orderIdOf.ours },
			{ name: /** @type {const} */ ('baseline'), label: 'baseline (HTTP Request nodes)', urls: baselineUrls, workflowId: baselineId, orderIdOf: orderIdOf.baseline },
		].filter((flow) => options.flows.includes(flow.name));

		for (const flow of flows) {
			const context = { baseUrl, apiKey, sandbox, flow };
			log(`› [${mode}] ${flow.label}: warm-up (0 ms, no vendor limits), then calibration at ${options.latency} ms…`);
			sandbox.setLatency(0);
			sandbox.setVendorLimits(false);
			const warm = await calibrate(context);
			if (warm.result.status !== 'success') throw new Error(`${flow.label}: warm-up execution ${warm.result.executionId} ended ${warm.result.status} (${warm.result.error ?? 'no error message'})`);
			sandbox.setLatency(options.latency);
			sandbox.setVendorLimits(options.vendorLimits);
			const calibration = await calibrate(context);
			log(`  vendor calls per contract: ${calibration.total} (${Object.entries(calibration.calls).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')})`);
			const profile = await nodeProfile(baseUrl, apiKey, calibration.result);
			let seq;
			if (options.seq > 0) {
				log(`  ${options.seq} contracts one after another…`);
				const run = await sequential({ ...context, n: options.seq });
				seq = { ...summarise(run.results), missing: run.missing };
			}
			const bursts = [];
			for (const n of options.n) {
				await sleep(2_000); // the vendors' rate-limit buckets refill between runs
				log(`  ${n} contracts at once…`);
				const statsBefore = limitStats(sandbox);
				const run = await burst({ ...context, n });
				const statsAfter = limitStats(sandbox);
				const summary = summarise(run.results);
				const window = callsBetween(sandbox, run.firstSent, run.lastEnd + 5);
				const stripeCalls = calibration.calls.stripe ?? 0;
				const floorMs = (n * stripeCalls * 1000) / STRIPE_TEST_LIMIT_PER_SECOND;
				const entry = {
					...summary,
					n,
					gaveUp: run.gaveUp,
					redelivered: run.redelivered,
					missing: run.missing,
					wallMs: run.wallMs,
					perSecond: (summary.completed * 1000) / run.wallMs,
					msPerContract: run.wallMs / n,
					duplicates: duplicates(sandbox, run.orders),
					stripePerContract: (window.calls.stripe ?? 0) / n,
					totalPerContract: Object.values(window.calls).reduce((a, b) => a + b, 0) / n,
					stripe429: window.limited.stripe ?? 0,
					limitedByVendor: diffLimited(statsBefore, statsAfter),
					floorMs,
					wallOverFloor: floorMs > 0 ? run.wallMs / floorMs : NaN,
				};
				log(`    ${entry.completed}/${n} completed, ${entry.failed + entry.missing} failed (${entry.missing} never finished), vendor gave up on ${entry.gaveUp} deliveries after ${entry.redelivered} redeliveries, ${(entry.wallMs / 1000).toFixed(1)} s, ${entry.stripe429} Stripe 429s${summary.topErrors.length ? `; errors: ${summary.topErrors.map(([e, c]) => `${c}× ${String(e).slice(0, 120)}`).join(' | ')}` : ''}`);
				const timeline = burstTimeline(sandbox, run);
				log(`    per 10 s from the first send: answered ${timeline.answered.join(' ')} | live ${timeline.live.join(' ')} | Stripe calls/s ${timeline.stripe.map((c) => (c / 10).toFixed(1)).join(' ')}`);
				bursts.push(entry);
			}
			figures.push({ flow: flow.name, label: flow.label, calls: calibration.calls, total: calibration.total, stripe: calibration.calls.stripe ?? 0, calibrationMs: calibration.result.latencyMs, profile, seq, bursts });
		}
	} finally {
		await stack.stop();
	}
	return { mode, workers, figures };
}

/**
 * Where one contract's time goes: each node's own time (n8n's executionTime), and the time between nodes (n8n's
 * scheduling, saving progress) as the rest of signature → live.
 * @param {string} baseUrl @param {string} apiKey @param {import('./run-flow').Result} result
 */
async function nodeProfile(baseUrl, apiKey, result) {
	const rows = nodeTimeline(await getExecution(baseUrl, apiKey, result.executionId), result.sentAt);
	const inNodes = rows.reduce((sum, row) => sum + row.durationMs, 0);
	const nodes = rows.map((row) => ({ node: row.node, ms: row.durationMs })).sort((a, b) => b.ms - a.ms);
	return { totalMs: result.latencyMs, inNodesMs: inNodes, firstNodeAtMs: rows[0]?.startMs ?? NaN, nodes };
}

/** 429s per vendor between two vendorLimitStats() readings. @param {Record<string, any>} before @param {Record<string, any>} after */
function diffLimited(before, after) {
	/** @type {Record<string, number>} */
	const out = {};
	for (const [vendor, stats] of Object.entries(after)) {
		const limited = (stats?.limited ?? 0) - (before[vendor]?.limited ?? 0);
		if (limited) out[vendor] = limited;
	}
	return out;
}

module.exports = { runMode, STRIPE_TEST_LIMIT_PER_SECOND };
