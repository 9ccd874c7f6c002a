/**
 * (b) The worker running a contract is SIGKILLed between billing and entitlement (a Super Admin that never answers
 * holds the run there). n8n never resumes an execution; the contract must end compensated exactly once.
 * 1. Only the worker dies: Bull's lock on the job expires (QUEUE_WORKER_LOCK_DURATION 60 s, then a stalled check
 *    every 30 s), the job fails "stalled more than maxStalledCount", and the process that enqueued it (here the
 *    webhook processor) starts the error workflow. A fresh worker joins meanwhile. The reconciler keeps its shipped
 *    schedule (stalled after 30 minutes) and later finds the chain closed.
 * 2. The worker and the main that enqueued the run die together (a lost machine): nobody is left waiting for the job,
 *    so nothing fires. The reconciler (made quick through the public API) finds the stalled chain in PostgreSQL and
 *    hands the execution to the error workflow.
 */
import { deliver, outputOf, runsOf, type Execution } from '../support/context';
import { markExecutions, newExecutionsOf, processesThatRan, queueE2e, sleep, timed, until } from './context';
import { quickReconciler } from './reconcilerSchedule';

const QUICK = { everySeconds: 5, stalledAfterMinutes: 0.25 };
/** Lock duration (60 s) + stalled-check interval (30 s) + margin: by then anything n8n does about the dead job is done. */
const BULL_GIVES_UP_MS = 110_000;
const BILLED = ['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create'];
const COMPENSATED = [...BILLED, 'compensation.billing.subscription.cancel', 'exception'];

/** A contract whose run bills in Stripe and then hangs in Create Tenant; resolves once it is there, with its execution and the worker running it. */
async function billedAndHanging(url: string): Promise<{ businessKey: string; executionId: string; worker: string }> {
	const { sb, ledger } = queueE2e();
	sb.addFault('superAdmin', { route: '*', fault: { timeout: true } });
	const order = await sb.seedSignedOrder();
	const superAdminCalls = sb.requests().superAdmin.length;
	expect((await deliver(sb.automationsDelivery(order.orderId), url)).status).toBe(200);
	await until(
		'the billing receipt and a Super Admin call',
		async () => (await ledger.list(order.businessKey)).some((r) => r.workflow_step === 'billing.subscription.create') && sb.requests().superAdmin.length > superAdminCalls,
		90_000,
	);
	const executionId = (await ledger.list(order.businessKey))[1].execution_id!;
	const ranOn = processesThatRan(executionId);
	expect(ranOn).toEqual([expect.stringMatching(/^worker-\d+$/)]);
	return { businessKey: order.businessKey, executionId, worker: ranOn[0] };
}

async function killWorkerNamed(role: string): Promise<void> {
	const { stack } = queueE2e();
	const index = stack.processes.workers.findIndex((worker: { role: string }) => worker.role === role);
	expect((await stack.killWorker(index)).role).toBe(role);
}

/** Once compensated and after n8n has had its chance: one error-workflow run for the execution, one exception, the subscription cancelled once. */
async function expectCompensatedOnce(crash: { businessKey: string; executionId: string }, knownErrors: Set<string>, killedAt: number): Promise<Execution> {
	const { sb, ledger, ids } = queueE2e();
	// Bull's stalled check runs on the surviving workers; on a loaded machine it can come later than the nominal 90 s.
	await until('the exception receipt', async () => (await ledger.list(crash.businessKey)).some((r) => r.workflow_step === 'exception'), 2 * BULL_GIVES_UP_MS - (Date.now() - killedAt));
	await sleep(Math.max(0, BULL_GIVES_UP_MS - (Date.now() - killedAt)));
	const handlers = (await newExecutionsOf(ids.errors, knownErrors, true)).filter((execution) => outputOf(execution, 'Failure')?.executionId === crash.executionId);
	process.stdout.write(`[queue e2e] (b) error workflow runs for ${crash.executionId}: ${JSON.stringify(handlers.map((e) => ({ id: e.id, mode: e.mode, status: e.status, ranOn: processesThatRan(e.id) })))}\n`);
	const receipts = await ledger.list(crash.businessKey);
	expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(COMPENSATED);
	expect(handlers).toHaveLength(1);
	expect(handlers[0].status).toBe('success');
	expect(receipts[receipts.length - 1].execution_id).toBe(handlers[0].id);
	expect((await ledger.verify(crash.businessKey)).valid).toBe(true);
	const subscriptions = sb.state().stripe.objects.subscription.filter((s) => s.metadata.q2c_business_key === crash.businessKey);
	expect(subscriptions).toEqual([expect.objectContaining({ status: 'canceled', cancellation_details: expect.objectContaining({ comment: 'Compensation: provisioning failed' }) })]);
	expect(sb.state().superAdmin.subscriptions.filter((s: any) => s.businessKey === crash.businessKey && s.status === 'active')).toEqual([]);
	return handlers[0];
}

export function workerKilled(): void {
	let restore: (() => Promise<void>) | undefined;
	afterAll(async () => {
		await restore?.();
	});

	it('only the worker dies: n8n fails the stalled job, its error workflow compensates once, and a fresh worker joins', () =>
		timed('(b1) worker killed mid-flow', async () => {
			const { sb, urls, ids, ledger, stack, workersSeen } = queueE2e();
			const knownErrors = await markExecutions(ids.errors);
			const crash = await billedAndHanging(urls.webhook);
			const killedAt = Date.now();
			await killWorkerNamed(crash.worker);
			// Right after the kill nothing is undone yet (checked before a replacement starts: on a slow machine that
			// takes long enough for Bull's stalled check to fail the job and compensate meanwhile).
			expect((await ledger.list(crash.businessKey)).map((r) => r.workflow_step)).toEqual(BILLED);
			sb.clearFaults();
			const replacement = await stack.startWorker();
			workersSeen.push(replacement);
			expect(stack.processes.workers).toHaveLength(2);
			process.stdout.write(`[queue e2e] (b1) killed ${crash.worker} running execution ${crash.executionId}; ${replacement.role} ready ${((Date.now() - killedAt) / 1000).toFixed(1)} s later\n`);

			const handler = await expectCompensatedOnce(crash, knownErrors, killedAt);
			expect(handler.mode).toBe('error');
			expect(runsOf(handler)['Error Trigger']).toBeDefined();
		}), 360_000);

	it('the worker and the main that enqueued the run die together: the reconciler compensates once through the error workflow', () =>
		timed('(b2) worker and main killed mid-flow', async () => {
			const { sb, urls, ids, ledger, stack } = queueE2e();
			const knownErrors = await markExecutions(ids.errors);
			const crash = await billedAndHanging(urls.main);
			const killedAt = Date.now();
			await killWorkerNamed(crash.worker);
			await stack.restartN8n({ signal: 'SIGKILL' });
			sb.clearFaults();
			process.stdout.write(`[queue e2e] (b2) killed ${crash.worker} (execution ${crash.executionId}) and the main; main back ${((Date.now() - killedAt) / 1000).toFixed(1)} s later\n`);
			expect((await ledger.list(crash.businessKey)).map((r) => r.workflow_step)).toEqual(BILLED);

			restore = await quickReconciler(QUICK.everySeconds, QUICK.stalledAfterMinutes);
			const exception = await until('the exception receipt', async () => (await ledger.list(crash.businessKey)).find((r) => r.workflow_step === 'exception'), 120_000);
			expect(exception.subject).toMatch(/^No receipt for [\d.]+ minutes after "billing.subscription.create"/);
			const handler = await expectCompensatedOnce(crash, knownErrors, killedAt);
			expect(handler.mode).toBe('integrated');
			expect(runsOf(handler)['When Called by the Reconciler']).toBeDefined();
			await restore();
			restore = undefined;
		}), 360_000);
}
