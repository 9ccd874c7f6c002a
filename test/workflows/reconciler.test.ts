/**
 * The provisioning reconciler executed in-process by n8n-core's engine, together with the error handler it calls:
 * the reconciler's Execute Workflow node runs the shipped handler from its "When Called by the Reconciler" entry
 * point (the harness's executeWorkflow hook does what n8n does: start the sub-workflow with the items passed, trimmed
 * to the trigger's declared inputs, and return its last node's output). Chains are left half-done by the real
 * contract-signed template, so the Stripe subscription the handler cancels is one the template created.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, IExecuteWorkflowInfo, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';
import { runWebhook, runWorkflow, type WorkflowJson, type WorkflowRunResult } from '../harness';
import { freshDataDir, openSandbox, template, type Sandbox } from './context';
import { withShortRetryWaits } from './failingVariants';

const main = template('contract-signed-provisioning.json');
const handler = withShortRetryWaits(template('provisioning-error-handler.json'));
const shipped = template('provisioning-reconciler.json');
const HANDLER_ENTRY = 'When Called by the Reconciler';

let sb: Sandbox;
beforeAll(async () => {
	sb = await openSandbox();
});
afterAll(async () => {
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	sb.clearFaults();
});

/** The reconciler with other Config values (as a business user would set them), and seconds-long retry waits. */
function reconciler(reconcile: Record<string, unknown> = {}): WorkflowJson {
	const copy = withShortRetryWaits(structuredClone(shipped)) as WorkflowJson & { nodes: Array<{ name: string; parameters: Record<string, any> }> };
	const config = copy.nodes.find((node) => node.name === 'Config')!;
	const values = JSON.parse(config.parameters.jsonOutput as string);
	config.parameters.jsonOutput = JSON.stringify({ ...values, reconcile: { ...values.reconcile, ...reconcile } });
	return copy;
}

interface HandlerCall {
	workflowId: string | undefined;
	input: IDataObject[];
	run: WorkflowRunResult;
}

/** n8n's executeWorkflow for the harness: runs the error handler from its reconciler entry point. */
function subWorkflows(calls: HandlerCall[]): IWorkflowExecuteAdditionalData['executeWorkflow'] {
	return async (workflowInfo: IExecuteWorkflowInfo, _additionalData, options) => {
		if (workflowInfo.id !== 'q2cProvisionErrs') throw new Error(`unknown workflow ${workflowInfo.id}`);
		const entry = handler.nodes.find((node) => node.name === HANDLER_ENTRY)!;
		const declared = (entry.parameters.workflowInputs as { values: Array<{ name: string }> }).values.map((value) => value.name);
		// What the Execute Workflow Trigger outputs: only its declared inputs, null when not passed.
		const input = (options.inputData ?? []).map((item) => Object.fromEntries(declared.map((name) => [name, item.json[name] ?? null])) as IDataObject);
		const run = await runWorkflow(handler, {
			startNode: HANDLER_ENTRY,
			startData: input,
			credentials: sb.credentials,
			executionId: `exec-handler-${calls.length + 1}`,
			mode: 'integrated',
		});
		calls.push({ workflowId: workflowInfo.id, input, run });
		if (run.status !== 'success') throw run.error ?? new Error(`the handler ended ${run.status}`);
		return { executionId: run.executionId, data: [run.nodeItems(run.lastNodeExecuted!)] };
	};
}

async function runReconciler(workflow: WorkflowJson, calls: HandlerCall[], executeWorkflow = subWorkflows(calls)): Promise<WorkflowRunResult> {
	return runWorkflow(workflow, {
		startNode: 'Every 5 Minutes',
		startData: [{ timestamp: new Date().toISOString() }],
		credentials: sb.credentials,
		executeWorkflow,
		executionId: `exec-reconciler-${Math.random().toString(36).slice(2, 8)}`,
	});
}

/** The shipped template, run until Super Admin fails: billed, never entitled, and no error workflow run (as if n8n died). */
async function halfDoneContract(executionId: string): Promise<{ businessKey: string; subscriptionId: string }> {
	sb.addFault('superAdmin', { route: '*', fault: { status: 503 } });
	const { orderId, businessKey } = await sb.seedSignedOrder();
	const delivery = sb.automationsDelivery(orderId);
	const { run } = await runWebhook(main, 'VMF Trigger', { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId });
	expect(run?.status).toBe('error');
	sb.clearFaults();
	const subscription = stripeSubscriptions().find((s) => s.metadata.q2c_business_key === businessKey)!;
	expect(subscription.status).toBe('active');
	return { businessKey, subscriptionId: subscription.id };
}

async function liveContract(executionId: string): Promise<string> {
	const { orderId, businessKey } = await sb.seedSignedOrder();
	const delivery = sb.automationsDelivery(orderId);
	const { run } = await runWebhook(main, 'VMF Trigger', { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId });
	expect(run?.status).toBe('success');
	return businessKey;
}

function stripeSubscriptions(): Array<Record<string, any>> {
	return sb.state().stripe.objects.subscription ?? [];
}

/** The sandbox's SMTP sink keeps every message; a test that counts emails starts from an empty mailbox. */
const clearMail = () => (sb.mail as unknown as { clear(): void }).clear();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const steps = async (ledger: EvidenceLedger, businessKey: string) => (await ledger.list(businessKey)).map((receipt) => receipt.workflow_step);

describe('provisioning reconciler', () => {
	it('ships a schedule, a Config with the age and addresses, and calls the error handler by its fixed id', () => {
		const byName = new Map(shipped.nodes.map((node) => [node.name, node]));
		expect(shipped.id).toBe('q2cReconcileRuns');
		expect(shipped.settings).toEqual({ executionOrder: 'v1' });
		expect(byName.get('Every 5 Minutes')?.parameters).toEqual({ rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } });
		const config = JSON.parse(byName.get('Config')!.parameters.jsonOutput as string);
		expect(config).toMatchObject({ reconcile: { stalledAfterMinutes: 30 }, notifications: { opsEmail: expect.any(String), fromEmail: expect.any(String) } });
		expect(byName.get('Find Stalled Contracts')?.parameters).toMatchObject({ operation: 'findStalled', stalledAfterMinutes: '={{ $json.reconcile.stalledAfterMinutes }}' });
		expect(byName.get('Compensate (Error Workflow)')?.parameters).toMatchObject({ source: 'database', workflowId: { value: handler.id } });
		expect(shipped.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(4);
	});

	it('a contract billed but never entitled, with no exception, gets the error workflow\'s compensation once it is old enough', async () => {
		const { ledger } = freshDataDir();
		const { businessKey, subscriptionId } = await halfDoneContract('exec-died-1');
		expect(await steps(ledger, businessKey)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create']);
		await sleep(1300);
		clearMail();

		const calls: HandlerCall[] = [];
		const run = await runReconciler(reconciler({ stalledAfterMinutes: 0.02 }), calls);
		expect(run.error?.message).toBeUndefined();
		expect(run.status).toBe('success');
		expect(run.nodeOutput('Find Stalled Contracts')).toEqual([
			expect.objectContaining({ businessKey, executionId: 'exec-died-1', executionIds: ['exec-died-1'], attempt: 0, lastStep: 'billing.subscription.create' }),
		]);

		// The error handler ran from its second entry point, for that execution, and undid the billing.
		expect(calls).toHaveLength(1);
		expect(calls[0].input).toEqual([{ executionId: 'exec-died-1', reason: expect.stringMatching(/^No receipt for [\d.]+ minutes after "billing.subscription.create"/), lastStep: 'billing.subscription.create' }]);
		const handled = calls[0].run;
		expect(handled.status).toBe('success');
		expect(handled.nodeOutput('Failure')[0]).toMatchObject({ calledBy: 'reconciler', executionId: 'exec-died-1', lastNode: 'after receipt billing.subscription.create', outcome: 'stalled' });
		expect(handled.executedNodes).toContain('Cancel Subscription');
		expect(handled.executedNodes).not.toContain('Disable Entitlement');
		expect(stripeSubscriptions().find((s) => s.id === subscriptionId)).toMatchObject({ status: 'canceled' });

		const receipts = await ledger.list(businessKey);
		expect(receipts.map((r) => r.workflow_step)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create', 'compensation.billing.subscription.cancel', 'exception']);
		const exception = receipts.at(-1)!;
		expect(exception.subject).toMatch(/^No receipt for [\d.]+ minutes after "billing.subscription.create" \(Stalled After: 0.02 min\), and the run neither finished nor failed$/);
		expect(exception.resource_ref).toBe('after receipt billing.subscription.create');
		expect(exception.execution_id).toBe(handled.executionId);
		expect(exception.policy_decision).toMatchObject({ decision: 'rolled back', rolledBack: true, undone: ['compensation.billing.subscription.cancel'], needsPerson: false });
		expect((await ledger.verify(businessKey)).valid).toBe(true);

		// Ops get the handler's email (what was undone) and the reconciler's summary.
		const mails = await sb.mail.waitFor(2);
		const fromHandler = mails.find((mail) => mail.subject.startsWith('Provisioning stalled'))!;
		expect(fromHandler.subject).toBe(`Provisioning stalled for contract ${businessKey}`);
		expect(fromHandler.text).toContain('Execution exec-died-1 stopped after receipt "billing.subscription.create" and never finished or failed');
		expect(fromHandler.text).toContain('Subscription cancelled: yes');
		expect(fromHandler.text).toContain(`Exception receipt: ${exception.id}`);
		expect(fromHandler.text).toContain('Stalled execution: exec-died-1');
		const summary = mails.find((mail) => mail.subject.startsWith('Reconciler:'))!;
		expect(summary.subject).toBe('Reconciler: 1 stalled provisioning run handed to the error workflow');
		expect(summary.to).toEqual(['revops@example.com']);
		expect(summary.text).toContain(`Execution exec-died-1, contract ${businessKey} (after "billing.subscription.create"`);
		expect(summary.text).toContain('compensated by the error workflow (its email says what was undone and what a person must still do)');

		// n8n's own error workflow for the same dead run, arriving after the reconciler's (queue mode: a worker's stalled
		// job): the run is already closed by the exception, so nothing is undone, recorded or mailed twice.
		clearMail();
		const late = await runWorkflow(handler, {
			startNode: HANDLER_ENTRY,
			startData: [{ executionId: 'exec-died-1', reason: 'job stalled more than the allowable limit', lastStep: null }],
			credentials: sb.credentials,
			executionId: 'exec-handler-late',
			mode: 'integrated',
		});
		expect(late.status).toBe('success');
		expect(late.nodeOutput('Find Failed Contracts')).toEqual([expect.objectContaining({ businessKey, handledBy: exception.id })]);
		expect(late.executedNodes).not.toContain('Loop Over Contracts');
		expect(late.executedNodes).not.toContain('Cancel Subscription');
		expect(await steps(ledger, businessKey)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create', 'compensation.billing.subscription.cancel', 'exception']);
		await sleep(200);
		expect(sb.mail.messages()).toEqual([]);

		// The exception ends that attempt: the next round finds nothing and mails nobody.
		const again = await runReconciler(reconciler({ stalledAfterMinutes: 0 }), calls);
		expect(again.status).toBe('success');
		expect(again.executedNodes).not.toContain('Execution Known?');
		expect(calls).toHaveLength(1);
		await sleep(200);
		expect(sb.mail.messages()).toEqual([]);
	}, 60_000);

	it('a fresh half-done contract and a finished one are left alone', async () => {
		const { ledger } = freshDataDir();
		const live = await liveContract('exec-live-1');
		const { businessKey: fresh, subscriptionId } = await halfDoneContract('exec-fresh-1');
		clearMail();
		const calls: HandlerCall[] = [];

		// The shipped Config: 30 minutes. Nothing is that old.
		const run = await runReconciler(reconciler(), calls);
		expect(run.status).toBe('success');
		expect(run.nodeOutput('Find Stalled Contracts')).toEqual([]);
		expect(run.executedNodes).not.toContain('Compensate (Error Workflow)');

		expect(calls).toEqual([]);
		expect(stripeSubscriptions().find((s) => s.id === subscriptionId)?.status).toBe('active');
		await sleep(200);
		expect(sb.mail.messages().filter((mail) => mail.subject.startsWith('Reconciler') || mail.subject.startsWith('Provisioning'))).toEqual([]);

		// With no age limit the unfinished contract is taken at once, and still the live one is left alone.
		const immediate = await runReconciler(reconciler({ stalledAfterMinutes: 0 }), calls);
		expect(immediate.nodeOutput('Find Stalled Contracts').map((item) => item.businessKey)).toEqual([fresh]);
		expect(calls.map((call) => call.input[0].executionId)).toEqual(['exec-fresh-1']);
		expect((await steps(ledger, live)).at(-1)).toBe('provisioning.live');
		expect(stripeSubscriptions().filter((s) => s.metadata.q2c_business_key === live).map((s) => s.status)).toEqual(['active']);
		expect((await steps(ledger, fresh)).slice(-2)).toEqual(['compensation.billing.subscription.cancel', 'exception']);
	}, 60_000);

	it('one call per stopped execution (a batch is handled once), contracts without an execution id go to a person', async () => {
		const { dir } = freshDataDir();
		const longAgo = new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence')), { now: () => new Date(Date.now() - 45 * 60_000) });
		for (const key of ['DEAL-A', 'DEAL-B']) await longAgo.append({ businessKey: key, workflowStep: 'crm.deal.won', subject: 'system:n8n', resourceRef: key, executionId: 'exec-batch' });
		await longAgo.append({ businessKey: 'MANUAL-1', workflowStep: 'vmf.order.received', subject: 'user:ops', resourceRef: 'MANUAL-1' });
		// A delivery the trigger accepted (Answer Vendor: as soon as recorded) whose run n8n never created.
		await longAgo.append({ businessKey: 'ACCEPTED-1', workflowStep: 'vmf.delivery.accepted', subject: 'system:vmf', resourceRef: 'vmf-au-1' });
		// Another flow's chain in the same store (a routed lead): not a contract this reconciler may undo.
		await longAgo.append({ businessKey: 'LEAD-1', workflowStep: 'revops.lead.routed', subject: 'system:n8n', resourceRef: 'LEAD-1', executionId: 'exec-lead' });
		const calls: HandlerCall[] = [];

		const run = await runReconciler(reconciler(), calls);
		expect(run.status).toBe('success');
		expect(run.nodeOutput('Find Stalled Contracts').map((item) => item.businessKey)).toEqual(['DEAL-A', 'DEAL-B', 'MANUAL-1', 'ACCEPTED-1']);
		expect(calls.map((call) => call.input[0].executionId)).toEqual(['exec-batch']);
		const ledger = new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence')));
		for (const key of ['DEAL-A', 'DEAL-B']) expect(await steps(ledger, key)).toEqual(['crm.deal.won', 'exception']);
		expect(await steps(ledger, 'MANUAL-1')).toEqual(['vmf.order.received']);
		expect(await steps(ledger, 'ACCEPTED-1')).toEqual(['vmf.delivery.accepted']);
		expect(await steps(ledger, 'LEAD-1')).toEqual(['revops.lead.routed']);

		const mails = await sb.mail.waitFor(3);
		expect(mails.map((mail) => mail.subject).sort()).toEqual([
			'Provisioning stalled for 2 contracts: DEAL-A, DEAL-B',
			'Reconciler: 1 stalled provisioning run handed to the error workflow',
			'Reconciler: 2 stalled contracts without an execution id (a person must check it)',
		]);
		expect(mails.find((mail) => mail.subject.includes('handed'))!.text).toContain('Execution exec-batch, contract DEAL-A (after "crm.deal.won", quiet for 45 min), DEAL-B');
		const toPerson = mails.find((mail) => mail.subject.includes('execution id'))!.text;
		expect(toPerson).toContain('MANUAL-1: steps vmf.order.received (quiet for 45 min)');
		expect(toPerson).toContain('ACCEPTED-1: steps vmf.delivery.accepted (quiet for 45 min)');
	}, 60_000);

	it('says so when the error workflow cannot be run, or the evidence store cannot be read', async () => {
		const { dir } = freshDataDir();
		const longAgo = new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence')), { now: () => new Date(Date.now() - 45 * 60_000) });
		await longAgo.append({ businessKey: 'ORD-9', workflowStep: 'vmf.order.received', subject: 's', resourceRef: 'ORD-9', executionId: 'exec-9' });
		await longAgo.append({ businessKey: 'ORD-9', workflowStep: 'billing.subscription.create', subject: 's', resourceRef: 'sub_9', executionId: 'exec-9' });
		const notPublished = async () => {
			throw new Error('Workflow q2cProvisionErrs is not published');
		};

		const run = await runReconciler(reconciler(), [], notPublished);
		expect(run.status).toBe('success');
		expect(run.nodeOutput('Handed Over')).toEqual([{ executionId: 'exec-9', contracts: ['ORD-9 (after "billing.subscription.create", quiet for 45 min)'], handled: false, handlerError: expect.stringContaining('not published') }]);
		const [summary] = await sb.mail.waitFor(1);
		expect(summary.subject).toBe('Reconciler: 1 stalled provisioning run handed to the error workflow (a person must finish it)');
		expect(summary.text).toMatch(/NOT compensated, the error workflow could not be run: .*not published.*A person must undo it by hand/);

		clearMail();
		const broken = freshDataDir().dir;
		mkdirSync(join(broken, 'evidence'), { recursive: true });
		writeFileSync(join(broken, 'evidence', 'chains'), 'not a directory');
		const unreadable = await runReconciler(reconciler(), []);
		expect(unreadable.status).toBe('success');
		expect(unreadable.executedNodes).toContain('Notify Ops: Store Unreadable');
		const [alert] = await sb.mail.waitFor(1);
		expect(alert.subject).toBe('Reconciler: the evidence store could not be read (stalled contracts may go unnoticed)');
		expect(alert.text).toMatch(/ENOTDIR|path is a file/);
	}, 60_000);
});
