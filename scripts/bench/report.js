// @ts-check
'use strict';
/** The benchmark's printed tables (README material): one block per mode, then the cross-mode factors. */

const fmt = (/** @type {number} */ value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ms = (/** @type {number} */ value) => (Number.isFinite(value) ? `${fmt(value)}ms` : 'n/a');
const secs = (/** @type {number} */ value) => (Number.isFinite(value) ? `${fmt(value / 1000, 1)}s` : 'n/a');
const pad = (/** @type {string | number} */ text, /** @type {number} */ width, left = false) => (left ? String(text).padEnd(width) : String(text).padStart(width));

/** @typedef {Awaited<ReturnType<typeof import('./mode').runMode>>} ModeResult */

/** @param {ModeResult} result @param {number} latency */
function modeBlock(result, latency) {
	const out = [`mode ${result.mode}${result.workers ? ` (queue mode, ${result.workers} worker${result.workers > 1 ? 's' : ''})` : ' (regular n8n)'}`];
	out.push(`${pad('flow', 31, true)}${pad('Stripe', 7)}${pad('calls', 6)}${pad('floor', 8)}${pad('p50', 8)}${pad('p95', 8)}${pad('p50/floor', 10)}   (one contract at a time)`);
	for (const f of result.figures) {
		const floor = f.total * latency;
		out.push(`${pad(f.label, 31, true)}${pad(f.stripe, 7)}${pad(f.total, 6)}${pad(ms(floor), 8)}${pad(ms(f.seq?.p50 ?? NaN), 8)}${pad(ms(f.seq?.p95 ?? NaN), 8)}${pad(fmt((f.seq?.p50 ?? NaN) / floor, 2), 10)}`);
	}
	out.push(
		`${pad('N', 6)} ${pad('flow', 9, true)}${pad('done', 6)}${pad('failed', 7)}${pad('dup', 5)}${pad('gave up', 8)}${pad('p50@N', 9)}${pad('p95@N', 9)}${pad('wall', 8)}${pad('c/s', 7)}${pad('ms/c', 7)}${pad('Stripe/c', 9)}${pad('all/c', 7)}${pad('429s', 6)}${pad('RL floor', 9)}${pad('wall/floor', 11)}`,
	);
	const ns = [...new Set(result.figures.flatMap((f) => f.bursts.map((b) => b.n)))];
	for (const n of ns) {
		for (const f of result.figures) {
			const b = f.bursts.find((x) => x.n === n);
			if (!b) continue;
			const failed = b.failed + b.missing;
			out.push(
				`${pad(n, 6)} ${pad(f.flow, 9, true)}${pad(b.completed, 6)}${pad(failed, 7)}${pad(b.duplicates.contracts, 5)}${pad(b.gaveUp, 8)}${pad(ms(b.p50), 9)}${pad(ms(b.p95), 9)}${pad(secs(b.wallMs), 8)}${pad(fmt(b.perSecond, 2), 7)}${pad(fmt(b.msPerContract), 7)}${pad(fmt(b.stripePerContract, 1), 9)}${pad(fmt(b.totalPerContract, 1), 7)}${pad(b.stripe429, 6)}${pad(secs(b.floorMs), 9)}${pad(fmt(b.wallOverFloor, 2), 11)}`,
			);
			if (b.topErrors.length) out.push(`         ${f.flow} failures: ${b.topErrors.map(([e, c]) => `${c}× ${String(e).slice(0, 100)}`).join(' | ')}`);
		}
		const ours = result.figures.find((f) => f.flow === 'ours')?.bursts.find((x) => x.n === n);
		const base = result.figures.find((f) => f.flow === 'baseline')?.bursts.find((x) => x.n === n);
		if (ours && base) out.push(`       ours / baseline at N=${n}: completed-contract throughput ${fmt(ours.perSecond / base.perSecond, 2)}×, p50 ${fmt(ours.p50 / base.p50, 2)}×`);
	}
	const ours = result.figures.find((f) => f.flow === 'ours');
	const base = result.figures.find((f) => f.flow === 'baseline');
	if (ours?.seq && base?.seq) out.push(`ours / baseline one at a time: p50 ${fmt(ours.seq.p50 / base.seq.p50, 2)}×, p95 ${fmt(ours.seq.p95 / base.seq.p95, 2)}×`);
	for (const f of result.figures) {
		const p = f.profile;
		if (p) out.push(`${f.flow} one contract at L: ${ms(p.totalMs)} = ${ms(p.firstNodeAtMs)} before the first node + ${ms(p.inNodesMs)} in nodes + rest between nodes; slowest: ${p.nodes.slice(0, 6).map((n) => `${n.node} ${fmt(n.ms)}`).join(', ')}`);
	}
	for (const f of result.figures) {
		if (f.bursts.length < 2) continue;
		out.push(`${f.flow}: wall time per contract vs N: ${f.bursts.map((b) => `N=${b.n} ${fmt(b.msPerContract)} ms`).join(', ')}`);
	}
	return out;
}

/** @param {ModeResult[]} results */
function scalingLines(results) {
	const out = [];
	const byWorkers = (/** @type {number} */ w) => results.find((r) => r.workers === w);
	const one = byWorkers(1);
	for (const more of [2, 4]) {
		const other = byWorkers(more);
		if (!one || !other) continue;
		for (const flow of ['ours', 'baseline']) {
			const a = one.figures.find((f) => f.flow === flow);
			const b = other.figures.find((f) => f.flow === flow);
			if (!a || !b) continue;
			const factors = b.bursts
				.map((burst) => ({ n: burst.n, mine: burst.perSecond, base: a.bursts.find((x) => x.n === burst.n)?.perSecond ?? NaN }))
				.map(({ n, mine, base }) => `N=${n} ${fmt(mine / base, 2)}×`);
			out.push(`${flow}: ${more} workers vs 1, completed-contract throughput: ${factors.join(', ')}`);
		}
	}
	return out;
}

/**
 * @param {{ results: ModeResult[], options: import('./options').BenchOptions, runtime: { n8nVersion: string, nodeVersion: string }, machine: string, startTimes?: { without: number[], withPack: number[] } }} input
 */
function report({ results, options, runtime, machine, startTimes }) {
	const line = '─'.repeat(118);
	const out = ['', line, `Benchmark ${new Date().toISOString()} — n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}, ${machine}`];
	out.push(`sandbox latency L = ${options.latency} ms per vendor call; vendor rate limits ${options.vendorLimits ? 'ON (Stripe test mode 25/s, search 20/s)' : 'off'}`);
	if (options.modes.includes('regular')) out.push(`regular mode: N8N_CONCURRENCY_PRODUCTION_LIMIT ${options.concurrency || 'unset (unlimited)'}`);
	for (const result of results) out.push(line, ...modeBlock(result, options.latency));
	const scaling = scalingLines(results);
	if (scaling.length) out.push(line, ...scaling);
	if (startTimes) {
		const median = (/** @type {number[]} */ v) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
		const bare = median(startTimes.without);
		const pack = median(startTimes.withPack);
		out.push(line, `n8n start (spawn → readiness, fresh user folder): without the pack ${fmt(bare, 1)} s, with the pack ${fmt(pack, 1)} s`);
	}
	out.push(
		line,
		'Stripe / calls: vendor calls of one contract (sandbox log + SMTP); floor = calls × L; p50/p95: signature → live, one at a time.',
		'N rows: all N sent at once. done = successful executions; failed = failed + never finished executions; dup = contracts',
		'with more than one Stripe customer / subscription or tenant; gave up = deliveries the vendor stopped redelivering without a 2xx',
		'(the contract may still have run); c/s = done ÷ wall; Stripe/c, all/c = vendor requests in the window ÷ N',
		'(429s included); RL floor = N × Stripe calls per contract ÷ 25/s; wall/floor = the burst\'s wall time over it.',
	);
	return out.join('\n');
}

module.exports = { report };
