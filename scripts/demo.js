// @ts-check
'use strict';
/**
 * `npm run demo`: sends one signed contract through the stack `npm start` runs, and prints what happened.
 * Seeds a signed VMF order in the sandbox, has the sandbox deliver the Automations webhook (Verifier-Token) to the
 * published template, waits for the execution through n8n's public API and prints its timeline, with times relative
 * to the moment the signed webhook was sent. Exit code 1 if the execution did not succeed.
 *
 *   npm run demo [-- --port 5678] [--stack /path/to/stack.json]
 */
const {
	stackJsonPath,
	readStack,
	sandboxAdmin,
	toEpochMs,
	executionIds,
	waitForExecution,
	firstJson,
	nodeTimeline,
	executionEnd,
	receiptsOf,
} = require('./bench/stack-client');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ port: number, stackFile?: string, timeoutMs: number }} */
	const options = { port: 5678, timeoutMs: 90_000 };
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--port') options.port = Number(argv[++i]);
		else if (argv[i] === '--stack') options.stackFile = argv[++i];
		else if (argv[i] === '--timeout') options.timeoutMs = Number(argv[++i]) * 1000;
		else throw new Error(`unknown argument ${argv[i]} (use --port N, --stack FILE, --timeout SECONDS)`);
	}
	return options;
}

const ms = (/** @type {number} */ value) => `${value >= 0 ? '+' : ''}${Math.round(value)} ms`;

/**
 * Runs one contract through a running stack and returns what happened (also used by tests and the bench).
 * @param {{ stackFile: string, timeoutMs?: number, log?: (line: string) => void }} options
 */
async function runDemo({ stackFile, timeoutMs = 90_000, log = console.log }) {
	const stack = readStack(stackFile);
	const admin = sandboxAdmin(stack.adminUrl);
	const workflowId = stack.workflowIds.main ?? 'q2cContractSignd';

	log(`› Stack: n8n ${stack.baseUrl}, sandbox admin ${stack.adminUrl}`);
	const seeded = await admin.seedOrder({});
	log(`› Seeded signed order ${seeded.orderId} (business key ${seeded.businessKey})`);
	const known = await executionIds(stack.baseUrl, stack.apiKey, workflowId);
	const delivery = await admin.deliverAutomations(stack.webhookUrl, seeded.orderId);
	const t0 = toEpochMs(delivery.sentAt);
	log(`› Signed Automations webhook delivered → HTTP ${delivery.status} ${JSON.stringify(delivery.body ?? '').slice(0, 120)}`);
	if (delivery.status >= 300) throw new Error(`the webhook was refused (HTTP ${delivery.status})`);

	const execution = await waitForExecution({
		baseUrl: stack.baseUrl,
		apiKey: stack.apiKey,
		workflowId,
		known,
		timeoutMs,
		matches: (e) => firstJson(e, 'VMF Trigger')?.orderId === seeded.orderId,
	});
	const rows = nodeTimeline(execution, t0);
	const receipts = receiptsOf(execution);
	const liveMs = executionEnd(execution) - t0;

	log('');
	log(`Timeline of order ${seeded.orderId} — execution ${execution.id}, t = 0 when the signed webhook was sent (${new Date(t0).toISOString()})`);
	log(`  ${'+0 ms'.padStart(9)}  ${'signature sent'.padEnd(20)} sandbox → ${stack.webhookUrl}`);
	let lastPhase = '';
	for (const row of rows) {
		const phase = row.phase === lastPhase ? '' : row.phase;
		lastPhase = row.phase;
		const status = row.status === 'success' ? '' : `  ✗ ${row.status}`;
		log(`  ${ms(row.startMs).padStart(9)}  ${phase.padEnd(20)} ${row.node.padEnd(30)} ${String(Math.round(row.durationMs)).padStart(5)} ms${status}`);
	}
	log('');
	log('Per step (first start → last end, relative to the signature):');
	for (const phase of ['signature received', 'policy', 'billing', 'entitlement', 'VTM tasks', 'notification', 'live']) {
		const inPhase = rows.filter((r) => r.phase === phase);
		if (inPhase.length === 0) {
			log(`  ${phase.padEnd(20)} (did not run)`);
			continue;
		}
		const start = Math.min(...inPhase.map((r) => r.startMs));
		const end = Math.max(...inPhase.map((r) => r.endMs));
		log(`  ${phase.padEnd(20)} ${ms(start).padStart(9)} → ${ms(end).padStart(9)}`);
	}
	log('');
	log(`Status: ${execution.status}${execution.status === 'success' ? ` — live ${Math.round(liveMs)} ms after the signature` : ''}`);
	log(`Receipts: ${receipts.length} appended by this execution (chain of ${seeded.businessKey}: ${receipts.map((r) => r.workflow_step).join(' → ')})`);
	const failed = rows.find((r) => r.status === 'error');
	if (failed) log(`Failed at: ${failed.node}: ${JSON.stringify(execution.data?.resultData?.error?.message ?? '')}`);
	return { execution, seeded, delivery, rows, receipts, liveMs, ok: execution.status === 'success' };
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const stackFile = options.stackFile ?? stackJsonPath(options.port);
	const result = await runDemo({ stackFile, timeoutMs: options.timeoutMs });
	process.exit(result.ok ? 0 : 1);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`✗ demo failed: ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	});
}

module.exports = { runDemo };
