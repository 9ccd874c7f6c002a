/**
 * n8n killed (SIGKILL) between billing and entitlement. n8n never resumes that execution; the contract is billed and
 * never switched on. The reconciler template finds the stalled chain and hands the execution to the error workflow's
 * reconciler entry point: the Stripe subscription is cancelled, an exception receipt written and ops are mailed.
 *
 * Each run is held in Create Tenant by a Super Admin that never answers; n8n's process group is SIGKILLed once the
 * billing receipt is on the chain and n8n is started again on the same user folder and database (the stack's
 * restartN8n), so the scenarios after this one run on a live n8n.
 * 1. Default crash recovery: on restart n8n may amend the crashed execution from its event log and start the error
 *    workflow itself (Error Trigger). Whatever it did, the contract must end compensated exactly once.
 * 2. `N8N_EVENTBUS_RECOVERY_MODE=simple` (n8n only marks the execution crashed; likewise with a lost event log or a
 *    recovery that failed before): nothing fires, and the reconciler compensates it.
 * To be quick the shipped reconciler (every 5 minutes, stalled after 30) is switched through the public API to every
 * 5 seconds and stalled after 15 seconds, only after the second restart, and restored at the end.
 */
import { api, e2e, deliver, executions, outputOf, runsOf, sleep, type Execution } from '../support/context';

const FAST = { everySeconds: 5, stalledAfterMinutes: 0.25 };

/** Saves nodes into the (published) workflow; n8n re-publishes it, so the new schedule takes effect. */
async function saveNodes(id: string, workflow: any, nodes: any[]): Promise<void> {
	const saved = await api('PUT', `/workflows/${encodeURIComponent(id)}`, { name: workflow.name, nodes, connections: workflow.connections, settings: workflow.settings ?? { executionOrder: 'v1' } });
	if (saved.active !== true) throw new Error(`the reconciler ${id} is not published after the update`);
}

/** The reconciler's nodes with a schedule in seconds and a shorter Stalled After (what a person would set in the editor). */
function fastNodes(nodes: any[]): any[] {
	return nodes.map((node) => {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') return { ...node, parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: FAST.everySeconds }] } } };
		if (node.name === 'Config') {
			const config = JSON.parse(node.parameters.jsonOutput);
			config.reconcile.stalledAfterMinutes = FAST.stalledAfterMinutes;
			return { ...node, parameters: { ...node.parameters, jsonOutput: JSON.stringify(config, null, 2) } };
		}
		return node;
	});
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(500);
	}
}

export function reconciler(): void {
	describe('n8n killed between billing and entitlement', () => {
		let restore: (() => Promise<void>) | undefined;
		afterAll(async () => {
			await restore?.();
		});

		it('after a restart the contract is compensated once: by n8n\'s own recovery, or else by the reconciler through the error workflow', async () => {
			const { sb, ids, ledger, stack } = e2e();
			const reconcilerId: string = stack.workflowIds.reconciler;
			expect(reconcilerId).toBe('q2cReconcileRuns');
			const before = new Map<string, Set<string>>();
			for (const id of [ids.main, ids.errors, reconcilerId]) before.set(id, new Set((await executions(id)).map((execution) => execution.id)));
			const fresh = async (id: string, includeData = false): Promise<Execution[]> =>
				(await executions(id, includeData)).filter((execution) => !before.get(id)!.has(execution.id)).sort((a, b) => Number(a.id) - Number(b.id));
			const subscriptionOf = (businessKey: string) => sb.state().stripe.objects.subscription.find((s) => s.metadata.q2c_business_key === businessKey);
			const stepsOf = async (businessKey: string) => (await ledger.list(businessKey)).map((r) => r.workflow_step);
			/** Handler executions (with data) that handled the given stopped execution. */
			const handlerRunsFor = async (executionId: string) => (await fresh(ids.errors, true)).filter((execution) => outputOf(execution, 'Failure')?.executionId === executionId);

			/** A contract whose run bills in Stripe and hangs in Create Tenant (Super Admin never answers), then n8n killed and restarted. */
			async function crashAfterBilling(env: Record<string, string> = {}): Promise<{ businessKey: string; executionId: string }> {
				sb.addFault('superAdmin', { route: '*', fault: { timeout: true } });
				const order = await sb.seedSignedOrder();
				const superAdminCalls = sb.requests().superAdmin.length;
				expect((await deliver(sb.automationsDelivery(order.orderId))).status).toBe(200);
				await until(
					'the billing receipt and a Super Admin call',
					async () => (await stepsOf(order.businessKey)).includes('billing.subscription.create') && sb.requests().superAdmin.length > superAdminCalls,
					60_000,
				);
				// The receipts name the n8n execution (still running: the public API does not list it yet).
				const executionId = (await ledger.list(order.businessKey))[1].execution_id!;
				await stack.restartN8n({ signal: 'SIGKILL', env });
				sb.clearFaults();
				return { businessKey: order.businessKey, executionId };
			}

			// 1 · Default crash recovery.
			const first = await crashAfterBilling();
			await sleep(8000);
			const recovered = await handlerRunsFor(first.executionId);
			console.log(
				`[reconciler e2e] default crash recovery: execution ${first.executionId} is now "${(await fresh(ids.main)).find((e) => e.id === first.executionId)?.status}", ` +
					`error workflow runs for it: ${JSON.stringify(recovered.map((e) => ({ id: e.id, mode: e.mode, status: e.status, trigger: runsOf(e)['Error Trigger'] ? 'Error Trigger' : 'reconciler' })))}`,
			);
			for (const execution of recovered) expect(runsOf(execution)['Error Trigger']).toBeDefined();

			// 2 · Simple crash recovery: n8n marks the run crashed and starts nothing.
			const second = await crashAfterBilling({ N8N_EVENTBUS_RECOVERY_MODE: 'simple' });
			await sleep(3000);
			const crashed = (await fresh(ids.main)).find((execution) => execution.id === second.executionId);
			expect(crashed?.status).not.toBe('success');
			expect(await handlerRunsFor(second.executionId)).toEqual([]);
			expect(await stepsOf(second.businessKey)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create']);
			expect(subscriptionOf(second.businessKey)?.status).toBe('active');
			expect(sb.state().superAdmin.tenants).toEqual([]);

			// The reconciler, made quick for the test (the shipped one: every 5 minutes, stalled after 30).
			const shipped = await api('GET', `/workflows/${encodeURIComponent(reconcilerId)}`);
			restore = async () => {
				restore = undefined;
				await saveNodes(reconcilerId, shipped, shipped.nodes);
			};
			await saveNodes(reconcilerId, shipped, fastNodes(shipped.nodes));

			const exception = await until('the exception receipt', async () => (await ledger.list(second.businessKey)).find((r) => r.workflow_step === 'exception'), 90_000);
			expect(subscriptionOf(second.businessKey)).toMatchObject({ status: 'canceled', cancellation_details: expect.objectContaining({ comment: 'Compensation: provisioning failed' }) });
			expect(await stepsOf(second.businessKey)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create', 'compensation.billing.subscription.cancel', 'exception']);
			expect(exception.subject).toMatch(/^No receipt for [\d.]+ minutes after "billing.subscription.create"/);
			expect(exception.resource_ref).toBe('after receipt billing.subscription.create');
			expect((await ledger.verify(second.businessKey)).valid).toBe(true);

			// The error workflow ran once for that execution, called by the reconciler (a sub-workflow run).
			const [handler, ...more] = await until(
				'the error workflow execution',
				async () => {
					const runs = await handlerRunsFor(second.executionId);
					return runs.length > 0 && runs.every((execution) => execution.stoppedAt) ? runs : undefined;
				},
				30_000,
			);
			expect(more).toEqual([]);
			expect({ status: handler.status, mode: handler.mode }).toEqual({ status: 'success', mode: 'integrated' });
			expect(exception.execution_id).toBe(handler.id);
			expect(runsOf(handler)['When Called by the Reconciler']).toBeDefined();
			expect(runsOf(handler)['Error Trigger']).toBeUndefined();
			expect(runsOf(handler)['Disable Entitlement']).toBeUndefined();

			// The reconciler execution that found it (listed once it has finished: after its summary email).
			const found = await until(
				'the reconciler execution',
				async () =>
					(await fresh(reconcilerId, true)).find((execution) =>
						(runsOf(execution)['Find Stalled Contracts']?.[0]?.data?.main?.[0] ?? []).some((item) => item.json.businessKey === second.businessKey),
					),
				30_000,
			);
			expect(found).toMatchObject({ status: 'success', mode: 'trigger' });
			const handedOver = (runsOf(found)['Handed Over'] ?? []).map((run) => run.data?.main?.[0]?.[0]?.json);
			expect(handedOver).toContainEqual(expect.objectContaining({ executionId: second.executionId, handled: true }));

			const mails = await until(
				'the two ops emails',
				async () => {
					const messages = sb.mail.messages();
					const fromHandler = messages.find((m) => m.subject === `Provisioning stalled for contract ${second.businessKey}`);
					const summary = messages.find((m) => m.subject.startsWith('Reconciler:') && m.text.includes(`Execution ${second.executionId}, contract ${second.businessKey}`));
					return fromHandler && summary ? { fromHandler, summary } : undefined;
				},
				20_000,
			);
			expect(mails.fromHandler.to).toEqual(['revops@example.com']);
			expect(mails.fromHandler.text).toContain(`Execution ${second.executionId} stopped after receipt "billing.subscription.create" and never finished or failed`);
			expect(mails.fromHandler.text).toContain('Subscription cancelled: yes');
			expect(mails.fromHandler.text).toContain(`Exception receipt: ${exception.id}`);
			expect(mails.summary.text).toContain('compensated by the error workflow');

			// Each contract handled once, whoever did it: later rounds find their attempts closed by the exception.
			await sleep(FAST.everySeconds * 1000 * 2 + 1000);
			for (const crash of [first, second]) {
				expect(await handlerRunsFor(crash.executionId)).toHaveLength(1);
				expect((await stepsOf(crash.businessKey)).filter((step) => step === 'exception')).toHaveLength(1);
				expect(subscriptionOf(crash.businessKey)?.status).toBe('canceled');
			}

			await restore();
			const restored = await api('GET', `/workflows/${encodeURIComponent(reconcilerId)}`);
			expect(restored.active).toBe(true);
			expect(restored.nodes.find((node: any) => node.type === 'n8n-nodes-base.scheduleTrigger').parameters).toEqual({ rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } });
		}, 420_000);
	});
}
