// @ts-check
'use strict';
/**
 * `npm run demo:self-service`: one Tier 2 (Professional) sign-up through workflows/self-service-signup.json of the stack
 * `npm start` runs. Creates a Checkout Session in the sandboxed Stripe, pays it on the hosted-page stand-in (Stripe
 * then delivers the signed checkout.session.completed to the template's Stripe Trigger) and prints the execution's
 * timeline: payment → tenant → dedicated database (created, polled until available) → connection stored as a secret
 * → migrations → entitlement → welcome email. Exit code 1 if the execution did not succeed.
 *
 *   npm run demo:self-service [-- --port 5678] [--stack /path/to/stack.json] [--plan professional_monthly]
 */
const Stripe = require('stripe');
const { createSignupCheckout, PLAN_PRICES } = require('../sandbox/stripe/signupCheckout');
const { stackJsonPath, readStack, toEpochMs, executionIds, waitForExecution, firstJson, nodeTimeline, executionEnd, receiptsOf } = require('./bench/stack-client');

/** Which step each node of workflows/self-service-signup.json belongs to (anything else: "routing"). */
const PHASES = /** @type {Record<string, string>} */ ({
	'Stripe Trigger': 'payment',
	'Get Checkout Session': 'payment',
	'Receipt: Payment Confirmed': 'payment',
	'Create Tenant': 'tenant',
	'Create Database (PostgreSQL Server)': 'database',
	'Get Database (PostgreSQL Server)': 'database',
	'Create Database (RDS)': 'database',
	'Get Database (RDS)': 'database',
	'Wait Before Polling': 'database',
	'Email: Being Set Up': 'being set up',
	'Notify Admins: Slow Setup': 'being set up',
	'Store Connection (PostgreSQL Server)': 'secret',
	'Store Connection (RDS)': 'secret',
	'Run Migrations (PostgreSQL Server)': 'migrations',
	'Run Migrations (RDS)': 'migrations',
	'Receipt: Database Linked': 'migrations',
	'Enable Subscription': 'entitlement',
	'Generate Owner API Key': 'entitlement',
	'Receipt: Committed': 'committed',
	'Email: Welcome': 'welcome',
	'Receipt: Live': 'live',
});

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ port: number, stackFile?: string, plan: string, timeoutMs: number }} */
	const options = { port: 5678, plan: 'professional_monthly', timeoutMs: 120_000 };
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--port') options.port = Number(argv[++i]);
		else if (argv[i] === '--stack') options.stackFile = argv[++i];
		else if (argv[i] === '--plan') options.plan = argv[++i];
		else throw new Error(`unknown argument ${argv[i]} (use --port N, --stack FILE, --plan ${Object.keys(PLAN_PRICES).join('|')})`);
	}
	if (!PLAN_PRICES[options.plan]) throw new Error(`--plan must be one of ${Object.keys(PLAN_PRICES).join(', ')}`);
	return options;
}

const ms = (/** @type {number} */ value) => `${value >= 0 ? '+' : ''}${Math.round(value)} ms`;

/** @param {{ stackFile: string, plan?: string, timeoutMs?: number, log?: (line: string) => void }} options */
async function runSelfServiceDemo({ stackFile, plan = 'professional_monthly', timeoutMs = 120_000, log = console.log }) {
	const stack = readStack(stackFile);
	const workflowId = stack.workflowIds.selfService ?? 'q2cSelfSignup001';
	const credentials = /** @type {Record<string, Record<string, unknown>>} */ (await (await fetch(`${stack.adminUrl}/credentials`)).json());
	const urls = /** @type {Record<string, unknown>} */ (await (await fetch(`${stack.adminUrl}/urls`)).json());
	const stripeUrl = new URL(String(urls.stripe));
	const stripe = new Stripe(String(credentials.billingStripeApi.secretKey), { host: stripeUrl.hostname, port: Number(stripeUrl.port), protocol: 'http', maxNetworkRetries: 0 });

	const { businessKey, session } = await createSignupCheckout(stripe, plan, { keyPrefix: 'signup-demo-' });
	log(`› Checkout Session ${session.id} for ${plan} (${PLAN_PRICES[plan] / 100} GBP/month), sign-up ${businessKey}`);

	const known = await executionIds(stack.baseUrl, stack.apiKey, workflowId);
	const paidAt = Date.now();
	const paid = await fetch(`${stripeUrl.origin}/__sandbox/checkout/sessions/${session.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'success' }) });
	if (!paid.ok) throw new Error(`paying the session: HTTP ${paid.status} ${await paid.text()}`);
	log('› Paid with the test card 4242 4242 4242 4242; Stripe delivers checkout.session.completed to the Stripe Trigger');
	const run = await waitForExecution({ baseUrl: stack.baseUrl, apiKey: stack.apiKey, workflowId, known, timeoutMs, matches: (e) => firstJson(e, 'Stripe Trigger')?.businessKey === businessKey });
	log('');
	log(`Execution ${run.id}, t = 0 when the card was charged:`);
	for (const row of nodeTimeline(run, paidAt, PHASES)) {
		const status = row.status === 'success' ? '' : `  ✗ ${row.status}`;
		const phase = PHASES[row.node] ? row.phase : 'routing';
		log(`  ${ms(row.startMs).padStart(9)}  ${phase.padEnd(13)} ${row.node.padEnd(38)} ${String(Math.round(row.durationMs)).padStart(5)} ms${status}`);
	}
	const database = ['Get Database (PostgreSQL Server)', 'Get Database (RDS)', 'Create Database (PostgreSQL Server)', 'Create Database (RDS)'].map((node) => firstJson(run, node)).find(Boolean);
	const ok = run.status === 'success';
	log('');
	log(`Status: ${run.status}${ok ? ` — academy live ${Math.round(executionEnd(run) - paidAt)} ms after the payment (${toEpochMs(run.stoppedAt) - toEpochMs(run.startedAt)} ms in n8n)` : ''}`);
	if (database) log(`Database: ${database.databaseName} on ${database.host ?? '?'}:${database.port ?? '?'} (${database.status}); its connection string is in the vault as ${database.secretReference ?? '—'}, never in n8n`);
	log(`Receipts of ${businessKey}: ${receiptsOf(run).map((r) => r.workflow_step).join(' → ')}`);
	return { ok, businessKey, execution: run };
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const result = await runSelfServiceDemo({ stackFile: options.stackFile ?? stackJsonPath(options.port), plan: options.plan, timeoutMs: options.timeoutMs });
	process.exit(result.ok ? 0 : 1);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`✗ demo failed: ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	});
}

module.exports = { runSelfServiceDemo };
