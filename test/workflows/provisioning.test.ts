/**
 * The two templates executed in-process by n8n-core's engine with our nodes and n8n's real Set, If and
 * Send Email nodes, against the sandboxed vendors. Each scenario asserts the final state of the vendors,
 * the mailbox and the evidence chain, not just that nodes ran.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runErrorWorkflow, runWebhook } from '../harness';
import { freshDataDir, openSandbox, template, writes, type Sandbox } from './context';
import { FAILING_NODE, failsAfterEntitlement, withShortRetryWaits } from './failingVariants';

const main = template('contract-signed-provisioning.json');
const errorHandler = template('provisioning-error-handler.json');
const TRIGGER = 'VMF Trigger';

let sb: Sandbox;
let executions = 0;

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

function deliver(orderId: string, staticData: Record<string, any> = {}, executionId = `exec-${++executions}`, workflow = main) {
	const delivery = sb.automationsDelivery(orderId);
	return runWebhook(workflow, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, staticData, executionId });
}

/** The template with its trigger deduplicating per delivery only (Once per Contract off). */
function perDeliveryOnly(workflow: typeof main): typeof main {
	const copy = JSON.parse(JSON.stringify(workflow));
	const trigger = copy.nodes.find((node: { name: string }) => node.name === TRIGGER);
	trigger.parameters.options = { ...trigger.parameters.options, oncePerContract: false };
	return copy;
}

function stripeObjects(kind: string): Array<Record<string, any>> {
	return sb.state().stripe.objects[kind] ?? [];
}

describe('contract signed → live', () => {
	it('bills at the contract prices, switches the tenant on with its tier flags, completes VTM tasks, notifies the partner and chains receipts', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey, contract } = await sb.seedSignedOrder();
		const { response, run } = await deliver(orderId);

		expect(response.status).toBe(200);
		expect(run?.error?.message).toBeUndefined();
		expect(run?.status).toBe('success');
		expect(run?.executedNodes).toContain('Receipt: Live');

		const subscriptions = stripeObjects('subscription');
		expect(subscriptions).toHaveLength(1);
		expect(subscriptions[0].metadata.q2c_business_key).toBe(businessKey);
		const billed = subscriptions[0].items.data.map((item: any) => [item.price.unit_amount, item.quantity]).sort();
		const contracted = contract.lineItems.filter((l: any) => l.interval !== 'one_time').map((l: any) => [l.unitAmount, l.quantity]).sort();
		expect(billed).toEqual(contracted);

		const enabled = run!.nodeOutput('Enable Subscription')[0] as Record<string, any>;
		expect(enabled.subscription.status).toBe('active');
		expect(Object.keys(enabled.featureFlags.flags).length).toBeGreaterThan(0);

		const tasks = run!.nodeOutput('Complete VTM Task');
		expect(tasks.length).toBeGreaterThan(0);
		expect(tasks.every((t) => t.status === 'done')).toBe(true);

		const mail = await sb.mail.waitFor(1);
		expect(mail).toHaveLength(1);
		expect(mail[0].to).toContain(contract.customer.email);
		expect(mail[0].text).toContain(subscriptions[0].id);

		const steps = (await ledger.list(businessKey)).map((r) => r.workflow_step);
		expect(steps).toEqual([
			'vmf.delivery.accepted',
			'vmf.order.received',
			'policy.allowed',
			'billing.subscription.create',
			'superadmin.subscription.enable',
			'provisioning.committed',
			'vmf.vtm.tasks.complete',
			'provisioning.live',
		]);
		expect((await ledger.verify(businessKey)).valid).toBe(true);
	});

	it('runs once when the same webhook is delivered three times: one subscription, one entitlement, one email', async () => {
		freshDataDir();
		const { orderId } = await sb.seedSignedOrder();
		const staticData = {};
		const runs = [];
		for (let i = 0; i < 3; i++) runs.push(await deliver(orderId, staticData));

		expect(runs.filter((r) => r.run !== undefined)).toHaveLength(1);
		expect(runs[0].run?.status).toBe('success');
		for (const duplicate of runs.slice(1)) {
			expect(duplicate.response.status).toBe(200);
			expect(duplicate.response.body).toMatchObject({ duplicate: true });
		}
		expect(stripeObjects('subscription')).toHaveLength(1);
		expect(writes(sb, 'superAdmin').filter((r) => r.path.endsWith('/subscription/enable'))).toHaveLength(1);
		await sb.mail.waitFor(1);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(sb.mail.messages()).toHaveLength(1);
	});

	it('keeps one subscription and one tenant even when the dedupe mark is lost (idempotency keys from the contract id)', async () => {
		freshDataDir();
		const { orderId } = await sb.seedSignedOrder();
		const first = await deliver(orderId);
		freshDataDir(); // a new data dir forgets the delivery, as a second n8n machine would
		const second = await deliver(orderId);

		expect(first.run?.status).toBe('success');
		expect(second.run?.status).toBe('success');
		expect(stripeObjects('subscription')).toHaveLength(1);
		const tenants = second.run!.nodeOutput('Create Tenant').map((t: any) => t.tenant.id);
		expect(tenants).toEqual(first.run!.nodeOutput('Create Tenant').map((t: any) => t.tenant.id));
	});

	it('sends a blocked contract to a person: no billing or entitlement call, a blocked receipt and an ops email', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder({ jurisdiction: 'KP' });
		const { run } = await deliver(orderId);

		expect(run?.status).toBe('success');
		expect(run?.executedNodes).toContain('Notify Ops: Contract Blocked');
		expect(run?.executedNodes).not.toContain('Find or Create Customer');
		expect(writes(sb, 'stripe')).toEqual([]);
		expect(sb.requests().superAdmin ?? []).toEqual([]);

		const [mail] = await sb.mail.waitFor(1);
		expect(mail.to).toContain('revops@example.com');
		expect(mail.text).toContain('KP');
		const receipts = await ledger.list(businessKey);
		expect(receipts.map((r) => r.workflow_step)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.blocked']);
		expect((receipts.find((r) => r.workflow_step === 'policy.blocked')!.policy_decision as any).allow).toBe(false);
	});

	it('rejects a forged delivery with 401 and starts nothing', async () => {
		freshDataDir();
		const { orderId } = await sb.seedSignedOrder();
		const delivery = sb.automationsDelivery(orderId, { token: 'not-the-verifier-token' });
		const { response, run } = await runWebhook(main, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials });
		expect(response.status).toBe(401);
		expect(run).toBeUndefined();
		expect(JSON.stringify(response.body)).not.toContain(String(sb.credentials.vmfWebhookApi.verifierToken));
	});

	it('answers a malformed delivery with 400 naming the field, before any vendor call', async () => {
		freshDataDir();
		const delivery = sb.automationsDelivery('ORDER-X');
		const body = JSON.parse(delivery.rawBody);
		delete body.orderId;
		const rawBody = JSON.stringify(body);
		const { response, run } = await runWebhook(main, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody }, { credentials: sb.credentials });
		expect(response.status).toBe(400);
		expect(JSON.stringify(response.body)).toMatch(/orderId/);
		expect(run).toBeUndefined();
		expect(sb.requests().vmf ?? []).toEqual([]);
	});

	it('stops a contract with a missing field with an error naming it, before billing or entitlement', async () => {
		freshDataDir();
		const { orderId } = await sb.seedSignedOrder({ customerEmail: null });
		const { run } = await deliver(orderId);
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Get Signed Order');
		expect(run?.error?.message).toMatch(/q2c-customer-email/);
		expect(writes(sb, 'stripe')).toEqual([]);
		expect(sb.requests().superAdmin ?? []).toEqual([]);
	});
});

describe('exactly once per contract', () => {
	function deliverVariant(orderId: string, note: string, executionId: string) {
		// A distinct delivery of the same order: another body (a channel's extra field) means another delivery id.
		const delivery = sb.automationsDelivery(orderId, { body: { event: note } });
		return runWebhook(main, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId });
	}

	it('8 distinct deliveries of one contract at once, and one more after go-live: one run, one email, one live receipt', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const results = await Promise.all(Array.from({ length: 8 }, (_, i) => deliverVariant(orderId, `delivery-${i}`, `exec-burst-${i}`)));
		const runs = results.filter((result) => result.run);
		expect(runs).toHaveLength(1);
		expect(runs[0].run?.status).toBe('success');
		// The others are told the contract is starting (503, retry: no receipt yet) or in progress (200).
		const heldOff = results.filter(({ response }) => {
			const body = response.body as Record<string, unknown>;
			return (response.status === 503 && body?.starting === true) || (response.status === 200 && body?.inProgress === true);
		});
		expect(heldOff).toHaveLength(7);
		const late = await deliverVariant(orderId, 'after-go-live', 'exec-late');
		expect(late.run).toBeUndefined();
		expect(late.response.body).toMatchObject({ duplicate: true, finished: 'provisioning.committed' });

		expect(stripeObjects('subscription')).toHaveLength(1);
		expect(sb.state().superAdmin.tenants).toHaveLength(1);
		expect(writes(sb, 'superAdmin').filter((call) => call.path.endsWith('/subscription/enable'))).toHaveLength(1);
		await sb.mail.waitFor(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(sb.mail.messages()).toHaveLength(1);
		const steps = (await ledger.list(businessKey)).map((receipt) => receipt.workflow_step);
		expect(steps.filter((step) => step === 'provisioning.live')).toHaveLength(1);
	});

	it('a failed run, compensated, then the vendor redelivers: it runs again once, with fresh resources, and goes live for real', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		sb.addFault('superAdmin', { route: 'POST /v1/tenants/{tenantId}/subscription/enable', fault: { status: 500 } });
		const failed = await deliver(orderId, {}, 'exec-attempt-0');
		expect(failed.run?.status).toBe('error');
		sb.clearFaults();
		const handled = await runErrorWorkflow(withShortRetryWaits(errorHandler), failed.run!, { credentials: sb.credentials, executionId: 'exec-attempt-0-handler' });
		expect(handled.status).toBe('success');
		const [first] = stripeObjects('subscription');
		expect(first.status).toBe('canceled');

		// The same delivery comes again, twice at once: one run (attempt 1), and the other is in progress.
		const [again, concurrent] = await Promise.all([deliver(orderId, {}, 'exec-attempt-1'), deliver(orderId, {}, 'exec-attempt-1b')]);
		const rerun = [again, concurrent].filter((result) => result.run);
		expect(rerun).toHaveLength(1);
		expect(rerun[0].run?.status).toBe('success');
		const subscriptions = stripeObjects('subscription');
		expect(subscriptions.map((subscription) => subscription.status).sort()).toEqual(['active', 'canceled']);
		const live = subscriptions.find((subscription) => subscription.status === 'active')!;
		expect(live.id).not.toBe(first.id);
		expect(sb.state().superAdmin.subscriptions).toEqual([expect.objectContaining({ status: 'active' })]);
		const receipts = await ledger.list(businessKey);
		expect(receipts.filter((receipt) => receipt.workflow_step === 'billing.subscription.create').map((receipt) => receipt.resource_ref)).toEqual([first.id, live.id]);
		expect(receipts.at(-1)?.workflow_step).toBe('provisioning.live');
		expect((await ledger.verify(businessKey)).valid).toBe(true);
	}, 90_000);
});

describe('an amended contract', () => {
	it('updates the live subscription to the amended terms (20 seats instead of 10) instead of returning the old one', async () => {
		freshDataDir();
		const items = (seats: number) => [
			{ sku: 'MP-PLATFORM', name: 'Platform', quantity: 1, amount: 49900, intervalCode: 'monthly' },
			{ sku: 'MP-SEATS', name: 'Coach seats', quantity: seats, amount: 1500, intervalCode: 'monthly' },
		];
		const { orderId, contract } = await sb.seedSignedOrder({ lineItems: items(10) });
		// Delivered to a trigger that dedupes per delivery: the amended order comes again and runs again.
		const perDelivery = perDeliveryOnly(main);
		expect((await deliver(orderId, {}, 'exec-amend-0', perDelivery)).run?.status).toBe('success');
		await sb.seedSignedOrder({ orderId, lineItems: items(20), customerEmail: contract.customer.email });
		const delivery = sb.automationsDelivery(orderId, { body: { event: 'order-amended' } });
		const { run } = await runWebhook(perDelivery, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId: 'exec-amend-1' });
		expect({ status: run?.status, error: run?.error?.message, node: run?.errorNode }).toEqual({ status: 'success', error: undefined, node: undefined });
		const subscriptions = stripeObjects('subscription');
		expect(subscriptions).toHaveLength(1);
		const seats = subscriptions[0].items.data.find((item: any) => item.metadata.q2c_sku === 'MP-SEATS');
		expect(seats.quantity).toBe(20);
		expect(run?.nodeOutput('Create Subscription')[0]).toMatchObject({ id: subscriptions[0].id, created: false, amended: true });
	}, 60_000);
});

describe('a second attempt that fails after the entitlement was switched on again', () => {
	it('is undone for real: the handler disables the entitlement under the attempt\'s own key, not with the first attempt\'s answer replayed', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const failing = failsAfterEntitlement(main);
		const handler = withShortRetryWaits(errorHandler);
		for (const attempt of [0, 1]) {
			const { run } = await deliver(orderId, {}, `exec-after-enable-${attempt}`, failing);
			expect(run?.status).toBe('error');
			expect(sb.state().superAdmin.subscriptions).toEqual([expect.objectContaining({ status: 'active' })]);
			const handled = await runErrorWorkflow(handler, run!, { credentials: sb.credentials, executionId: `exec-after-enable-${attempt}-handler` });
			expect(handled.status).toBe('success');
			// Switched off again after each attempt: attempt 1's disable is not answered with attempt 0's replay.
			expect(sb.state().superAdmin.subscriptions).toEqual([expect.objectContaining({ status: 'disabled' })]);
			expect(stripeObjects('subscription').every((subscription) => subscription.status === 'canceled')).toBe(true);
		}
		expect(stripeObjects('subscription')).toHaveLength(2);
		const steps = (await ledger.list(businessKey)).map((receipt) => receipt.workflow_step);
		expect(steps.filter((step) => step === 'exception')).toHaveLength(2);
	}, 90_000);
});

describe('after the commit point (billing and entitlement done)', () => {
	it('keeps the customer live when SMTP is down: the step is retried, then recorded as an exception for a person, nothing rolled back', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const delivery = sb.automationsDelivery(orderId);
		// Nothing listens on port 1: every mail (the partner's and the ops alert) fails.
		const credentials = { ...sb.credentials, smtp: { ...sb.credentials.smtp, port: 1 } };
		const { run } = await runWebhook(main, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials, executionId: 'exec-smtp-down' });

		// The execution succeeds, so the error workflow (and its rollback) never starts.
		expect(run?.status).toBe('success');
		expect(stripeObjects('subscription')[0].status).toBe('active');
		expect(sb.state().superAdmin.tenants.every((t: any) => t.subscription?.status !== 'disabled')).toBe(true);
		const receipts = await ledger.list(businessKey);
		const steps = receipts.map((r) => r.workflow_step);
		expect(steps).toContain('provisioning.committed');
		expect(steps).toContain('vmf.vtm.tasks.complete');
		expect(steps).not.toContain('provisioning.live');
		const exception = receipts.find((r) => r.workflow_step === 'exception.after_commit');
		expect(exception?.subject).toMatch(/^Notify Partner failed after the commit: /);
		expect(exception?.resource_ref).toBe(stripeObjects('subscription')[0].id);
		expect((await ledger.verify(businessKey)).valid).toBe(true);
		expect(run?.executedNodes).toContain('Notify Ops: Needs a Person');
	}, 60_000);

	it('tells the partner even when VTM is down, and records the VTM failure for a person', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		sb.addFault('vtm', { route: '*', fault: { status: 500 } });
		const { run } = await deliver(orderId, {}, 'exec-vtm-down');

		expect(run?.status).toBe('success');
		expect(stripeObjects('subscription')[0].status).toBe('active');
		const steps = (await ledger.list(businessKey)).map((r) => r.workflow_step);
		expect(steps).toEqual(expect.arrayContaining(['provisioning.committed', 'exception.after_commit', 'provisioning.live']));
		expect(steps).not.toContain('vmf.vtm.tasks.complete');
		const mails = await sb.mail.waitFor(2);
		expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining('is live but needs a person')]));
		const alert = mails.find((m) => m.subject.includes('needs a person'))!;
		expect(alert.text).toMatch(/List VTM Tasks failed after the commit/);
		expect(alert.text).toMatch(/not rolled back/);
	}, 60_000);
});

describe('provisioning error handler', () => {
	it('cancels the subscription when super admin fails after billing succeeded, records the exception and alerts ops', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		sb.addFault('superAdmin', { route: '*', fault: { status: 500 } });
		const { run } = await deliver(orderId, {}, 'exec-superadmin-down');

		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Create Tenant');
		const [subscription] = stripeObjects('subscription');
		expect(subscription.status).toBe('active');

		sb.clearFaults();
		const handled = await runErrorWorkflow(errorHandler, run!, { credentials: sb.credentials, executionId: 'exec-error-handler' });
		expect(handled.error?.message).toBeUndefined();
		expect(handled.status).toBe('success');
		expect(handled.executedNodes).toContain('Cancel Subscription');
		expect(handled.executedNodes).not.toContain('Disable Entitlement');
		expect(stripeObjects('subscription')[0].status).toBe('canceled');

		const steps = (await ledger.list(businessKey)).map((r) => r.workflow_step);
		expect(steps.slice(-2)).toEqual(['compensation.billing.subscription.cancel', 'exception']);
		expect((await ledger.verify(businessKey)).valid).toBe(true);

		const [mail] = await sb.mail.waitFor(1);
		expect(mail.to).toContain('revops@example.com');
		expect(mail.subject).toContain(businessKey);
		expect(mail.text).toMatch(/Subscription cancelled: yes/);
	});

	it('never rolls back a contract that already went live', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const { run } = await deliver(orderId, {}, 'exec-live');
		expect(run?.status).toBe('success');
		const failedAfterLive = { ...run!, status: 'error' as const, error: Object.assign(new Error('SMTP relay refused'), { node: { name: 'Notify Partner' } }) };
		const handled = await runErrorWorkflow(errorHandler, failedAfterLive as any, { credentials: sb.credentials });
		expect(handled.status).toBe('success');
		expect(handled.executedNodes).not.toContain('Cancel Subscription');
		expect(stripeObjects('subscription')[0].status).toBe('active');
		expect((await ledger.list(businessKey)).at(-1)?.workflow_step).toBe('exception');
	});
});

describe('provisioning error handler: compensation that always finishes', () => {
	// Same tries as the template (asserted below), 10 ms apart instead of 5 s, so the suite stays quick.
	const handler = withShortRetryWaits(errorHandler);
	const UNDO_NODES = ['Disable Entitlement', 'Cancel Subscription', 'Cancel Vendasta Assignment', 'Void Envelope'];

	/** A real failed execution: billed in Stripe and switched on in Super Admin, then failing before the commit point. */
	async function failAfterEntitlement(executionId: string, options: { committed?: boolean } = {}) {
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const delivery = sb.automationsDelivery(orderId);
		const { run } = await runWebhook(failsAfterEntitlement(main, options), TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId });
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe(FAILING_NODE);
		const tenantId = String(run!.nodeOutput('Enable Subscription')[0].tenantId);
		const [subscription] = stripeObjects('subscription');
		expect(subscription.status).toBe('active');
		expect(entitlementOf(tenantId)).toBe('active');
		return { run: run!, businessKey, tenantId, subscriptionId: String(subscription.id) };
	}

	function entitlementOf(tenantId: string): string | undefined {
		return sb.state().superAdmin.subscriptions.find((s: any) => s.tenantId === tenantId)?.status;
	}

	it('ships every undo step with retries and "continue" on error, and no Code node', () => {
		const nodes = errorHandler.nodes as Array<Record<string, any>>;
		for (const name of UNDO_NODES) {
			const node = nodes.find((n) => n.name === name);
			expect({ name, onError: node?.onError, retryOnFail: node?.retryOnFail, maxTries: node?.maxTries, waitBetweenTries: node?.waitBetweenTries }).toEqual({
				name,
				onError: 'continueRegularOutput',
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 5000,
			});
		}
		expect(nodes.filter((n) => /\.(code|function|functionItem)$/.test(n.type))).toEqual([]);
	});

	it('super admin down during compensation: the Stripe subscription is still cancelled, the failed step is recorded and ops are told the entitlement is still on', async () => {
		const { ledger } = freshDataDir();
		const { run, businessKey, tenantId, subscriptionId } = await failAfterEntitlement('exec-fails-after-entitlement');

		sb.addFault('superAdmin', { route: '*', fault: { status: 503 } });
		const handled = await runErrorWorkflow(handler, run, { credentials: sb.credentials, executionId: 'exec-handler-superadmin-down' });
		expect(handled.error?.message).toBeUndefined();
		expect(handled.status).toBe('success');

		// Super Admin was tried on every one of the node's 3 tries (each try is one call with the connector's own retries).
		const disableCalls = (sb.requests().superAdmin ?? []).filter((r) => r.path === `/v1/tenants/${tenantId}/subscription/disable`);
		expect(disableCalls.length % 3).toBe(0);
		expect(disableCalls.length).toBeGreaterThanOrEqual(3);
		expect(entitlementOf(tenantId)).toBe('active');
		// ... and the next step still ran.
		expect(stripeObjects('subscription').map((s) => [s.id, s.status])).toEqual([[subscriptionId, 'canceled']]);

		const written = (await ledger.list(businessKey)).filter((r) => r.execution_id === 'exec-handler-superadmin-down');
		expect(written.map((r) => r.workflow_step)).toEqual(['compensation.superadmin.subscription.disable', 'compensation.billing.subscription.cancel', 'exception']);
		const [disable, cancel, exception] = written;
		expect(disable.resource_ref).toBe(tenantId);
		expect(disable.policy_decision).toEqual({ outcome: 'failed', error: expect.stringMatching(/503/) });
		expect(cancel.resource_ref).toBe(subscriptionId);
		expect(cancel.policy_decision).toEqual({ outcome: 'succeeded', error: null });
		expect(exception.resource_ref).toBe(FAILING_NODE);
		expect(exception.policy_decision).toMatchObject({
			rolledBack: true,
			undone: ['compensation.billing.subscription.cancel'],
			failed: [{ step: 'compensation.superadmin.subscription.disable', error: expect.stringMatching(/503/) }],
			needsPerson: true,
			todo: [`switch off the subscription of tenant ${tenantId} in Super Admin`],
		});
		expect(JSON.stringify(written)).not.toContain(String(sb.credentials.superAdminApi.apiKey));
		expect((await ledger.verify(businessKey)).valid).toBe(true);

		const mails = await sb.mail.waitFor(1);
		expect(mails).toHaveLength(1);
		const [mail] = mails;
		expect(mail.to).toContain('revops@example.com');
		expect(mail.subject).toBe(`Provisioning failed for contract ${businessKey} (a person must finish it)`);
		expect(mail.text).toContain(`failed at "${FAILING_NODE}"`);
		expect(mail.text).toMatch(/Entitlement disabled: NO, failed after retries: .*503/);
		expect(mail.text).toContain('Subscription cancelled: yes');
		expect(mail.text).toContain(`A PERSON MUST: switch off the subscription of tenant ${tenantId} in Super Admin.`);
		expect(mail.text).toContain(`Exception receipt: ${exception.id}`);
	});

	it('Stripe cancel failing: the entitlement is still switched off, the exception names the failed step and ops are told to cancel the subscription', async () => {
		const { ledger } = freshDataDir();
		const { run, businessKey, tenantId, subscriptionId } = await failAfterEntitlement('exec-fails-after-entitlement-2');

		sb.addFault('stripe', { route: 'DELETE /v1/subscriptions/{subscription_exposed_id}', fault: { status: 400 } });
		const handled = await runErrorWorkflow(handler, run, { credentials: sb.credentials, executionId: 'exec-handler-stripe-down' });
		expect(handled.status).toBe('success');
		expect(writes(sb, 'stripe').filter((r) => r.method === 'DELETE')).toHaveLength(3);

		expect(entitlementOf(tenantId)).toBe('disabled');
		expect(stripeObjects('subscription').map((s) => [s.id, s.status])).toEqual([[subscriptionId, 'active']]);

		const written = (await ledger.list(businessKey)).filter((r) => r.execution_id === 'exec-handler-stripe-down');
		expect(written.map((r) => [r.workflow_step, (r.policy_decision as any)?.outcome])).toEqual([
			['compensation.superadmin.subscription.disable', 'succeeded'],
			['compensation.billing.subscription.cancel', 'failed'],
			['exception', undefined],
		]);
		expect(written[2].policy_decision).toMatchObject({
			undone: ['compensation.superadmin.subscription.disable'],
			failed: [{ step: 'compensation.billing.subscription.cancel' }],
			todo: [`cancel Stripe subscription ${subscriptionId}`],
		});

		const [mail] = await sb.mail.waitFor(1);
		expect(mail.subject).toContain('(a person must finish it)');
		expect(mail.text).toContain('Entitlement disabled: yes');
		expect(mail.text).toMatch(/Subscription cancelled: NO, failed after retries: /);
		expect(mail.text).toContain(`A PERSON MUST: cancel Stripe subscription ${subscriptionId}.`);
		expect(mail.text).toContain(`Exception receipt: ${written[2].id}`);
	});

	it('never rolls back a committed contract (billed and switched on): the exception is recorded and ops are told, nothing is undone', async () => {
		const { ledger } = freshDataDir();
		const { run, businessKey, tenantId, subscriptionId } = await failAfterEntitlement('exec-fails-after-commit', { committed: true });
		expect((await ledger.list(businessKey)).map((r) => r.workflow_step)).toContain('provisioning.committed');

		const handled = await runErrorWorkflow(handler, run, { credentials: sb.credentials, executionId: 'exec-handler-committed' });
		expect(handled.status).toBe('success');
		expect(handled.executedNodes.filter((name) => UNDO_NODES.includes(name))).toEqual([]);
		expect(entitlementOf(tenantId)).toBe('active');
		expect(stripeObjects('subscription').map((s) => [s.id, s.status])).toEqual([[subscriptionId, 'active']]);

		const written = (await ledger.list(businessKey)).filter((r) => r.execution_id === 'exec-handler-committed');
		expect(written.map((r) => r.workflow_step)).toEqual(['exception']);
		expect(written[0].policy_decision).toMatchObject({ rolledBack: false, undone: [], failed: [], needsPerson: true });

		const [mail] = await sb.mail.waitFor(1);
		expect(mail.subject).toBe(`Provisioning failed for contract ${businessKey} (a person must finish it)`);
		expect(mail.text).toContain('NOT rolled back: it was committed');
		expect(mail.text).toContain('Entitlement disabled: no, left as it is (not rolled back)');
		expect(mail.text).toContain('DocuSign envelope voided: not needed');
		expect(mail.text).toContain(`A PERSON MUST: finish "${FAILING_NODE}" by hand (nothing was undone).`);
	});

	it('evidence store unreadable: nothing is undone blindly, and ops are still mailed that the receipts could not be read or written', async () => {
		const { dir } = freshDataDir();
		const { orderId } = await sb.seedSignedOrder();
		sb.addFault('superAdmin', { route: 'POST /v1/tenants', fault: { status: 400 } });
		const { run } = await deliver(orderId, {}, 'exec-store-gone');
		expect(run?.status).toBe('error');
		sb.clearFaults();
		// The data dir is now a file: every read or write of the evidence store fails.
		const broken = join(dir, 'not-a-directory');
		writeFileSync(broken, '');
		process.env.Q2C_DATA_DIR = broken;

		const handled = await runErrorWorkflow(handler, run!, { credentials: sb.credentials, executionId: 'exec-handler-store-gone' });
		expect(handled.status).toBe('success');
		expect(handled.executedNodes.filter((name) => UNDO_NODES.includes(name))).toEqual([]);
		expect(stripeObjects('subscription').map((s) => s.status)).toEqual(['active']);

		const [mail] = await sb.mail.waitFor(1);
		expect(mail.subject).toBe('Provisioning failed for contract execution-exec-store-gone (a person must finish it)');
		expect(mail.text).toContain('nothing undone: the receipts of the failed execution could not be read');
		expect(mail.text).toContain('Subscription cancelled: unknown');
		expect(mail.text).toMatch(/A PERSON MUST: find out what the failed execution did and undo it by hand/);
		expect(mail.text).toMatch(/Exception receipt: NOT WRITTEN: /);
	});

	it('never rolls back a contract that went live in an earlier execution, even when a later execution for it billed again and failed', async () => {
		const { ledger, dir } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const first = await deliver(orderId, {}, 'exec-went-live');
		expect(first.run?.status).toBe('success');
		// The delivery comes again to a trigger that dedupes per delivery only, and its dedupe mark is gone (e.g.
		// another n8n machine): the run repeats idempotently (same subscription) and fails at Super Admin.
		rmSync(join(dir, 'dedupe'), { recursive: true, force: true });
		sb.addFault('superAdmin', { route: 'POST /v1/tenants', fault: { status: 400 } });
		const second = await deliver(orderId, {}, 'exec-rerun', perDeliveryOnly(main));
		expect(second.run?.status).toBe('error');
		expect(second.run?.executedNodes).toContain('Create Subscription');
		sb.clearFaults();

		const handled = await runErrorWorkflow(handler, second.run!, { credentials: sb.credentials, executionId: 'exec-handler-rerun' });
		expect(handled.status).toBe('success');
		expect(handled.executedNodes).not.toContain('Cancel Subscription');
		expect(stripeObjects('subscription').map((s) => s.status)).toEqual(['active']);
		const exception = (await ledger.list(businessKey)).at(-1)!;
		expect(exception).toMatchObject({ workflow_step: 'exception', execution_id: 'exec-handler-rerun', policy_decision: expect.objectContaining({ rolledBack: false }) });
	});
});
