/**
 * The two templates executed in-process by n8n-core's engine with our nodes and n8n's real Set, If and
 * Send Email nodes, against the sandboxed vendors. Each scenario asserts the final state of the vendors,
 * the mailbox and the evidence chain, not just that nodes ran.
 */
import { runErrorWorkflow, runWebhook } from '../harness';
import { freshDataDir, openSandbox, template, writes, type Sandbox } from './context';

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

function deliver(orderId: string, staticData: Record<string, any> = {}, executionId = `exec-${++executions}`) {
	const delivery = sb.automationsDelivery(orderId);
	return runWebhook(main, TRIGGER, { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, staticData, executionId });
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
			'vmf.order.received',
			'policy.allowed',
			'billing.subscription.create',
			'superadmin.subscription.enable',
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
		expect(receipts.map((r) => r.workflow_step)).toEqual(['vmf.order.received', 'policy.blocked']);
		expect((receipts[1].policy_decision as any).allow).toBe(false);
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
