// @ts-check
'use strict';
/**
 * `npm run demo:quote-to-cash`: one deal through the quote → signature → cash template of the stack `npm start` runs.
 * Seeds a won deal in the sandboxed CRM, has the CRM report it to the CRM Trigger (Salesforce Outbound Message or
 * HubSpot v3 webhook), waits for the envelope the template sends, has DocuSign complete it (a signed Connect event to
 * the Connect configuration the DocuSign Trigger registered), and prints both executions' timelines.
 * Exit code 1 if either execution did not succeed.
 *
 *   npm run demo:quote-to-cash [-- --port 5678] [--stack /path/to/stack.json] [--provider salesforce]
 */
const { stackJsonPath, readStack, toEpochMs, executionIds, waitForExecution, firstJson, nodeTimeline, executionEnd, receiptsOf } = require('./bench/stack-client');

/** Which step each node of workflows/quote-to-cash.json belongs to. */
const PHASES = /** @type {Record<string, string>} */ ({
	'CRM Trigger': 'deal won',
	Config: 'routing',
	'Deal Won?': 'routing',
	'Sent by This Workflow?': 'routing',
	'Signed?': 'routing',
	'DocuSign Trigger': 'signature',
	'Get Won Deal': 'deal won',
	'Receipt: Deal Won': 'deal won',
	'Send Contract for Signature': 'envelope sent',
	'CRM: Record Envelope': 'envelope sent',
	'Get Signed Terms': 'signature',
	'Get Deal': 'signature',
	'Receipt: Contract Signed': 'signature',
	'Contract Policy': 'policy',
	'Receipt: Policy Allowed': 'policy',
	'Find or Create Customer': 'billing',
	'Create Subscription': 'billing',
	'Create Tenant': 'entitlement',
	'Enable Subscription': 'entitlement',
	'CRM: Mark Deal Live': 'CRM updated',
	'Receipt: CRM Updated': 'CRM updated',
	'CRM: CSM Hand-off Task': 'CSM hand-off',
	'Receipt: Hand-off Task': 'CSM hand-off',
	'Notify Customer': 'notification',
	'Receipt: Committed': 'committed',
	'Receipt: Needs a Person': 'exception',
	'Notify Ops: Needs a Person': 'exception',
	'Receipt: Live': 'live',
});

/**
 * What the sandbox admin routes the demo calls answer with (startAdmin in sandbox/index.js).
 * @typedef {import('../sandbox/quoteToCash').WonDeal} WonDeal
 * @typedef {{ status: number, acked?: boolean, sentAt: string }} DealWonDelivery
 * @typedef {{ deliveries: { status: number }[], sentAt: string }} EnvelopeTransition
 */

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ port: number, stackFile?: string, provider: string, timeoutMs: number }} */
	const options = { port: 5678, provider: 'salesforce', timeoutMs: 90_000 };
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--port') options.port = Number(argv[++i]);
		else if (argv[i] === '--stack') options.stackFile = argv[++i];
		else if (argv[i] === '--provider') options.provider = argv[++i];
		else throw new Error(`unknown argument ${argv[i]} (use --port N, --stack FILE, --provider salesforce)`);
	}
	if (options.provider !== 'salesforce') throw new Error('the stack imports the template as shipped (Salesforce); --provider hubspot runs in the e2e suite');
	return options;
}

const ms = (/** @type {number} */ value) => `${value >= 0 ? '+' : ''}${Math.round(value)} ms`;

/** @param {any} execution @param {number} t0 @param {(line: string) => void} log */
function printTimeline(execution, t0, log) {
	for (const row of nodeTimeline(execution, t0, PHASES)) {
		const status = row.status === 'success' ? '' : `  ✗ ${row.status}`;
		log(`  ${ms(row.startMs).padStart(9)}  ${row.phase.padEnd(14)} ${row.node.padEnd(30)} ${String(Math.round(row.durationMs)).padStart(5)} ms${status}`);
	}
}

/** @param {{ stackFile: string, timeoutMs?: number, log?: (line: string) => void }} options */
async function runQuoteToCashDemo({ stackFile, timeoutMs = 90_000, log = console.log }) {
	const stack = readStack(stackFile);
	const workflowId = stack.workflowIds.quoteToCash ?? 'q2cQuoteToCash01';
	/** @param {string} path @param {unknown} json @returns {Promise<unknown>} JSON the caller casts to the route's answer */
	const post = async (path, json) => {
		const response = await fetch(`${stack.adminUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
		if (!response.ok) throw new Error(`sandbox ${path}: HTTP ${response.status} ${await response.text()}`);
		return response.json();
	};

	const deal = /** @type {WonDeal} */ (await post('/seed-deal', { provider: 'salesforce' }));
	log(`› Seeded won Salesforce opportunity ${deal.dealId} "${deal.name}" (${deal.amountMinor / 100} ${deal.currency.toUpperCase()}/month, signer ${deal.customer.email})`);
	let known = await executionIds(stack.baseUrl, stack.apiKey, workflowId);
	const won = /** @type {DealWonDelivery} */ (await post('/deliver/deal-won', { url: `${stack.baseUrl}/webhook/q2c-deal-won/webhook`, dealId: deal.dealId }));
	const tWon = toEpochMs(won.sentAt);
	log(`› Outbound Message delivered → HTTP ${won.status}, acknowledged: ${won.acked}`);
	const sent = await waitForExecution({ baseUrl: stack.baseUrl, apiKey: stack.apiKey, workflowId, known, timeoutMs, matches: (e) => firstJson(e, 'CRM Trigger')?.dealId === deal.dealId });
	log('');
	log(`Execution ${sent.id} (deal won → envelope), t = 0 when Salesforce sent the message:`);
	printTimeline(sent, tWon, log);

	const envelopes = await (await fetch(`${stack.adminUrl}/envelopes?businessKey=${encodeURIComponent(deal.businessKey)}`)).json();
	if (!Array.isArray(envelopes) || envelopes.length === 0) throw new Error('the template sent no envelope');
	const envelope = envelopes[0];
	log(`› Envelope ${envelope.envelopeId} is "${envelope.status}"; the customer signs it…`);

	known = await executionIds(stack.baseUrl, stack.apiKey, workflowId);
	const signed = /** @type {EnvelopeTransition} */ (await post('/envelopes/transition', { envelopeId: envelope.envelopeId, event: 'envelope-completed' }));
	const tSigned = toEpochMs(signed.sentAt);
	log(`› DocuSign Connect delivered envelope-completed → ${signed.deliveries.map((d) => `HTTP ${d.status}`).join(', ')}`);
	const live = await waitForExecution({ baseUrl: stack.baseUrl, apiKey: stack.apiKey, workflowId, known, timeoutMs, matches: (e) => firstJson(e, 'DocuSign Trigger')?.envelopeId === envelope.envelopeId });
	log('');
	log(`Execution ${live.id} (signed → live), t = 0 when DocuSign sent the event:`);
	printTimeline(live, tSigned, log);
	const receipts = [...receiptsOf(sent), ...receiptsOf(live)];
	const ok = sent.status === 'success' && live.status === 'success';
	log('');
	log(`Status: ${live.status}${ok ? ` — live ${Math.round(executionEnd(live) - tSigned)} ms after the signature` : ''}`);
	log(`Receipts of ${deal.businessKey}: ${receipts.map((r) => r.workflow_step).join(' → ')}`);
	return { ok, deal, envelope, executions: [sent, live] };
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const result = await runQuoteToCashDemo({ stackFile: options.stackFile ?? stackJsonPath(options.port), timeoutMs: options.timeoutMs });
	process.exit(result.ok ? 0 : 1);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`✗ demo failed: ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	});
}

module.exports = { runQuoteToCashDemo };
