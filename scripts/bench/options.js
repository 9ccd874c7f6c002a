// @ts-check
'use strict';
/**
 * `npm run bench` arguments. Every list flag takes comma-separated values, so any subset can be run:
 *   --modes regular,queue1,queue2,queue4   n8n regular mode, or queue mode with 1, 2 or 4 workers
 *   --n 20,200,1000                         contracts sent at once (one burst per value)
 *   --flows ours,baseline                   which workflows
 *   --seq 20                                contracts sent one after another for p50/p95 (0 = skip)
 *   --latency 50                            sandbox latency per vendor call, ms
 *   --no-vendor-limits                      the sandbox without the vendors' rate limits
 *   --port 5900                             first n8n port (each mode's stack takes the next ones)
 *   --concurrency 20                        regular mode's N8N_CONCURRENCY_PRODUCTION_LIMIT (0 = n8n's unlimited)
 *   --start-times [--start-runs 1]          also n8n's start time with and without the pack (off by default)
 *   --cpu-profile DIR                       V8 CPU profiles of every n8n process, written to DIR when the stack stops
 */
const MODES = /** @type {const} */ (['regular', 'queue1', 'queue2', 'queue4']);
const FLOWS = /** @type {const} */ (['ours', 'baseline']);

/**
 * @typedef {object} BenchOptions
 * @property {Array<typeof MODES[number]>} modes
 * @property {number[]} n
 * @property {Array<typeof FLOWS[number]>} flows
 * @property {number} seq
 * @property {number} latency
 * @property {boolean} vendorLimits
 * @property {number} port
 * @property {number} concurrency
 * @property {boolean} startTimes
 * @property {number} startRuns
 * @property {string} [cpuProfileDir]
 */

const USAGE = 'use --modes regular,queue1,queue2,queue4 --n 20,200,1000 --flows ours,baseline --seq N --latency MS --port N --concurrency N --no-vendor-limits --start-times --start-runs N --cpu-profile DIR';

/** @param {string[]} argv @returns {BenchOptions} */
function parseArgs(argv) {
	/** @type {BenchOptions} */
	const options = { modes: ['regular'], n: [20, 200, 1000], flows: ['ours', 'baseline'], seq: 20, latency: 50, vendorLimits: true, port: 5900, concurrency: 20, startTimes: false, startRuns: 1 };
	for (let i = 0; i < argv.length; i += 1) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
		const text = () => String(inline ?? argv[++i] ?? '');
		const list = () => text().split(',').map((v) => v.trim()).filter(Boolean);
		if (flag === '--modes') options.modes = oneOf(list(), MODES, '--modes');
		else if (flag === '--flows') options.flows = oneOf(list(), FLOWS, '--flows');
		else if (flag === '--n') options.n = list().map((v) => positiveInt(v, '--n'));
		else if (flag === '--seq') options.seq = nonNegativeInt(text(), '--seq');
		else if (flag === '--latency') options.latency = nonNegativeInt(text(), '--latency');
		else if (flag === '--port') options.port = positiveInt(text(), '--port');
		else if (flag === '--concurrency') options.concurrency = nonNegativeInt(text(), '--concurrency');
		else if (flag === '--start-runs') options.startRuns = positiveInt(text(), '--start-runs');
		else if (flag === '--start-times') options.startTimes = true;
		else if (flag === '--no-start-times') options.startTimes = false;
		else if (flag === '--no-vendor-limits') options.vendorLimits = false;
		else if (flag === '--cpu-profile') options.cpuProfileDir = require('node:path').resolve(text() || '.');
		else throw new Error(`unknown argument ${arg} (${USAGE})`);
	}
	if (options.modes.length === 0 || options.flows.length === 0) throw new Error(`nothing to run (${USAGE})`);
	return options;
}

/** @template {string} T @param {string[]} values @param {readonly T[]} allowed @param {string} flag @returns {T[]} */
function oneOf(values, allowed, flag) {
	for (const value of values) if (!allowed.includes(/** @type {T} */ (value))) throw new Error(`${flag}: "${value}" is not one of ${allowed.join(', ')}`);
	return /** @type {T[]} */ (values);
}

/** @param {string} value @param {string} flag */
function positiveInt(value, flag) {
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} expects positive integers (got "${value}")`);
	return n;
}

/** @param {string} value @param {string} flag */
function nonNegativeInt(value, flag) {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} expects an integer ≥ 0 (got "${value}")`);
	return n;
}

/** Workers of a mode (0 = regular mode). @param {string} mode */
const workersOf = (mode) => (mode === 'regular' ? 0 : Number(mode.slice('queue'.length)));

module.exports = { parseArgs, workersOf, MODES, FLOWS };
