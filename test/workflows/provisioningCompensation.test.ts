/**
 * The error handler undoing provisioning, in-process on n8n-core's engine against the sandbox: a run that created a
 * tenant, a database on the sandbox PostgreSQL, triggered a GitLab pipeline and upserted a Cloudflare record (each with
 * its own receipt) fails; the shipped handler then deletes the database, starts the destroy pipeline, removes or
 * restores the record, marks the tenant, refunds a self-service payment, writes a receipt per undo and an exception,
 * and tells ops and the customer.
 */
import { runErrorWorkflow, runWebhook, runWorkflow, type WorkflowRunResult } from '../harness';
import { EvidenceLedger } from '../../connectors/evidence';
import { freshDataDir, openSandbox, template, writes, type Sandbox } from './context';
import { failsAfterEntitlement, withShortRetryWaits } from './failingVariants';
import { cloudflareRecords, databasesLike, dropDatabasesLike, existingCloudflareRecord, FAIL_NODE, failingProvisioning, paidCheckout, provisioning, type Signup, type Step, ZONE } from './provisioningCompensationKit';

const handler = withShortRetryWaits(template('provisioning-error-handler.json'));
const PROVISIONING_UNDO = [
	'Remove DNS Record (Cloudflare)',
	'Restore DNS Record (Cloudflare)',
	'Destroy Pipeline (GitLab)',
	'Delete Database (PostgreSQL Server)',
	'Revoke API Key',
	'Mark Tenant Provisioning Failed',
	'Get Checkout Session',
	'Get Paid Invoice',
	'Refund Payment',
	'Notify Customer',
];

let sb: Sandbox;
let signups = 0;
beforeAll(async () => {
	sb = await openSandbox();
});
afterAll(async () => {
	// The tenant databases the failing runs created are named after the Super Admin fake's tenant ids (ten_…).
	if (sb) await dropDatabasesLike(sb, 'tenant_ten_');
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	sb.clearFaults();
});

function newSignup(extra: Partial<Signup> = {}): Signup {
	const n = `${Date.now().toString(36)}${++signups}`;
	return { businessKey: `SIGNUP-${n}`, subdomain: `club${n}`, customerEmail: `owner-${n}@club.test`, ...extra };
}

async function failedRun(signup: Signup, steps?: Step[]): Promise<WorkflowRunResult> {
	const run = await runWorkflow(failingProvisioning(steps), { startNode: 'Start', startData: [{ ...signup }], credentials: sb.credentials, executionId: `exec-${signup.businessKey}` });
	expect({ status: run.status, node: run.errorNode }).toEqual({ status: 'error', node: FAIL_NODE });
	return run;
}

async function handle(run: WorkflowRunResult, executionId: string): Promise<WorkflowRunResult> {
	const handled = await runErrorWorkflow(handler, run, { credentials: sb.credentials, executionId });
	expect({ status: handled.status, error: handled.error?.message }).toEqual({ status: 'success', error: undefined });
	return handled;
}

async function written(ledger: EvidenceLedger, businessKey: string, executionId: string) {
	return (await ledger.list(businessKey)).filter((receipt) => receipt.execution_id === executionId);
}

const gitlab = () => provisioning(sb).fakes.gitlab.state();
/** GitLab pipelines started with Q2C_ACTION=destroy, their variables as a name → value map. */
const destroyRuns = () =>
	gitlab()
		.pipelines.map((pipeline: any) => ({ ...pipeline, variables: Object.fromEntries(pipeline.variables.map((v: { key: string; value: string }) => [v.key, v.value])) }))
		.filter((pipeline: any) => pipeline.variables.Q2C_ACTION === 'destroy');
const tenantOf = (run: WorkflowRunResult) => String((run.nodeOutput('Create Tenant')[0].tenant as { id: string }).id);

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = read();
		if (done(value) || Date.now() > deadline) return value;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('provisioning error handler: undoing a tenant\'s infrastructure', () => {
	it('deletes the database, destroys the pipeline\'s stack, removes the DNS record, revokes the API key, marks the tenant, records each undo and tells ops and the customer', async () => {
		const { ledger } = freshDataDir();
		const signup = newSignup();
		const run = await failedRun(signup);
		const tenantId = tenantOf(run);
		const databaseName = String(run.nodeOutput('Create Database')[0].databaseName);
		const recordName = `${signup.subdomain}.${ZONE}`;
		expect(await databasesLike(sb, databaseName)).toEqual([databaseName]);
		expect(cloudflareRecords(sb, recordName)).toHaveLength(1);
		const provisioned = await until(() => gitlab().stacks, (stacks: any[]) => stacks.some((stack) => stack.tenant === tenantId));
		expect(provisioned.map((stack: any) => stack.tenant)).toContain(tenantId);

		const handled = await handle(run, 'exec-handler-undo-all');

		expect(await databasesLike(sb, databaseName)).toEqual([]);
		expect(cloudflareRecords(sb, recordName)).toEqual([]);
		expect(destroyRuns()).toEqual([expect.objectContaining({ ref: 'main', variables: expect.objectContaining({ TENANT_ID: tenantId, Q2C_BUSINESS_KEY: signup.businessKey }) })]);
		const stacks = await until(() => gitlab().stacks, (list: any[]) => !list.some((stack) => stack.tenant === tenantId));
		expect(stacks.map((stack: any) => stack.tenant)).not.toContain(tenantId);
		expect(sb.state().superAdmin.apiKeys).toEqual([expect.objectContaining({ tenantId, revokedAt: expect.any(String) })]);
		expect(sb.state().superAdmin.maintenance).toEqual(expect.arrayContaining([expect.objectContaining({ tenantId, enabled: true, message: expect.stringMatching(/^Provisioning Failed/) })]));

		const receipts = await written(ledger, signup.businessKey, 'exec-handler-undo-all');
		expect(receipts.map((receipt) => [receipt.workflow_step, (receipt.policy_decision as any)?.outcome])).toEqual([
			['compensation.provisioning.dnsRecord.remove', 'succeeded'],
			['compensation.provisioning.pipeline.destroy', 'succeeded'],
			['compensation.provisioning.database.delete', 'succeeded'],
			['compensation.superadmin.apiKey.revoke', 'succeeded'],
			['compensation.superadmin.tenant.provisioningFailed', 'succeeded'],
			['exception', undefined],
		]);
		expect(receipts[2].resource_ref).toBe(run.nodeOutput('Create Database')[0].identifier);
		expect(receipts[5].policy_decision).toMatchObject({
			rolledBack: true,
			failed: [],
			needsPerson: false,
			tenantStatus: 'Provisioning Failed',
			customerNotified: true,
			customerTold: 'notCharged',
		});
		expect((await ledger.verify(signup.businessKey)).valid).toBe(true);

		const mails = await sb.mail.waitFor(2);
		const ops = mails.find((mail) => mail.to.includes('revops@example.com'))!;
		expect(ops.subject).toBe(`Provisioning failed for contract ${signup.businessKey}`);
		expect(ops.text).toContain(`DNS record ${recordName} (CNAME) removed: yes`);
		expect(ops.text).toMatch(/Pipeline destroy started \(gitlab, for run \d+, destroy run \d+\): yes/);
		expect(ops.text).toContain(`Tenant database ${databaseName} (postgresServer) deleted: yes`);
		expect(ops.text).toContain(`API key ${sb.state().superAdmin.apiKeys[0].id} revoked: yes`);
		expect(ops.text).toContain(`Tenant ${tenantId} marked Provisioning Failed`);
		expect(ops.text).toContain(`Customer told (not charged): yes, ${signup.customerEmail}`);
		const customer = mails.find((mail) => mail.to.includes(signup.customerEmail))!;
		expect(customer.subject).toBe('We could not set up your academy');
		expect(customer.text).toContain('You have not been charged.');

		// No credential reaches the handler's run data.
		const secrets = [sb.credentials.provisioningGitlabApi.triggerToken, sb.credentials.provisioningGitlabApi.accessToken, sb.credentials.provisioningCloudflareApi.apiToken];
		for (const secret of secrets) expect(handled.serialized()).not.toContain(String(secret));
	}, 60_000);

	it('a failing undo does not stop the others: GitLab refuses the destroy, the rest is undone and ops are told to destroy the stack by hand', async () => {
		const { ledger } = freshDataDir();
		const signup = newSignup();
		const run = await failedRun(signup);
		const tenantId = tenantOf(run);
		const databaseName = String(run.nodeOutput('Create Database')[0].databaseName);
		provisioning(sb).fakes.gitlab.addFaults({ route: '*', fault: { status: 403 } });

		await handle(run, 'exec-handler-gitlab-down');

		expect(destroyRuns()).toEqual([]);
		expect(await databasesLike(sb, databaseName)).toEqual([]);
		expect(cloudflareRecords(sb, `${signup.subdomain}.${ZONE}`)).toEqual([]);
		const receipts = await written(ledger, signup.businessKey, 'exec-handler-gitlab-down');
		expect(receipts.map((receipt) => [receipt.workflow_step, (receipt.policy_decision as any)?.outcome])).toEqual([
			['compensation.provisioning.dnsRecord.remove', 'succeeded'],
			['compensation.provisioning.pipeline.destroy', 'failed'],
			['compensation.provisioning.database.delete', 'succeeded'],
			['compensation.superadmin.apiKey.revoke', 'succeeded'],
			['compensation.superadmin.tenant.provisioningFailed', 'succeeded'],
			['exception', undefined],
		]);
		const todo = `destroy what gitlab pipeline run ${run.nodeOutput('Trigger Pipeline')[0].runId} built for ${tenantId}`;
		expect(receipts[5].policy_decision).toMatchObject({ needsPerson: true, failed: [{ step: 'compensation.provisioning.pipeline.destroy' }], todo: [todo] });
		const mails = await sb.mail.waitFor(2);
		const ops = mails.find((mail) => mail.to.includes('revops@example.com'))!;
		expect(ops.subject).toContain('(a person must finish it)');
		expect(ops.text).toMatch(/Pipeline destroy started \(gitlab, for run \d+\): NO, failed after retries: /);
		expect(ops.text).toContain(`A PERSON MUST: ${todo}.`);
	}, 60_000);

	it('restores a record the run updated (instead of deleting it), and skips what an interrupted earlier handler run already undid', async () => {
		const { ledger } = freshDataDir();
		const signup = newSignup();
		const recordName = `${signup.subdomain}.${ZONE}`;
		await existingCloudflareRecord(sb, recordName, 'old-site.example.net');
		const run = await failedRun(signup, ['tenant', 'database', 'dns']);
		expect(run.nodeOutput('Upsert DNS Record')[0]).toMatchObject({ outcome: 'updated', previous: expect.objectContaining({ content: 'old-site.example.net' }) });
		const databaseName = String(run.nodeOutput('Create Database')[0].databaseName);
		// An earlier handler run for this execution deleted the database, then died before its exception receipt.
		await ledger.append({
			businessKey: signup.businessKey,
			workflowStep: 'compensation.provisioning.database.delete',
			subject: 'system:n8n',
			resourceRef: String(run.nodeOutput('Create Database')[0].identifier),
			policyDecision: { outcome: 'succeeded', error: null, undoes: 'provisioning.database.create' },
			executionId: 'exec-handler-died',
		});

		const handled = await handle(run, 'exec-handler-after-crash');

		expect(cloudflareRecords(sb, recordName).map((record) => record.content)).toEqual(['old-site.example.net']);
		expect(handled.executedNodes).not.toContain('Delete Database (PostgreSQL Server)');
		expect(await databasesLike(sb, databaseName)).toEqual([databaseName]); // left to the run that recorded it
		const receipts = await written(ledger, signup.businessKey, 'exec-handler-after-crash');
		expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(['compensation.provisioning.dnsRecord.restore', 'compensation.superadmin.tenant.provisioningFailed', 'exception']);
		const [mail] = (await sb.mail.waitFor(2)).filter((m) => m.to.includes('revops@example.com'));
		expect(mail.text).toContain(`DNS record ${recordName} (CNAME) restored to old-site.example.net: yes`);
		expect(mail.text).toContain(`Tenant database ${databaseName} (postgresServer) deleted: yes (by an earlier run of this handler)`);
	}, 60_000);
});

describe('provisioning error handler: a self-service payment', () => {
	it.each([
		['a receipt naming the Checkout Session', (id: string) => ({ checkoutSessionId: id })],
		['billing.checkout.paid naming its subscription (the self-service template)', (_id: string, subscriptionId: string) => ({ subscriptionId })],
	])('cancels the subscription the Checkout created and refunds its paid invoice, from %s; the customer is told they were refunded', async (_form, recorded) => {
		const { ledger } = freshDataDir();
		const base = newSignup();
		const session = await paidCheckout(sb, base.businessKey, base.customerEmail);
		expect(session.payment_status).toBe('paid');
		const signup = { ...base, ...recorded(session.id, String(session.subscription)) };
		const run = await failedRun(signup, ['tenant', 'database']);
		const subscriptionId = String(session.subscription);

		await handle(run, 'exec-handler-refund');

		const stripe = sb.state().stripe.objects;
		expect(stripe.subscription.find((s: any) => s.id === subscriptionId).status).toBe('canceled');
		const refunds = stripe.refund ?? [];
		expect(refunds).toHaveLength(1);
		expect(refunds[0].amount).toBe(session.amount_total);
		const receipts = await written(ledger, signup.businessKey, 'exec-handler-refund');
		expect(receipts.map((receipt) => [receipt.workflow_step, (receipt.policy_decision as any)?.outcome])).toEqual([
			['compensation.provisioning.database.delete', 'succeeded'],
			['compensation.superadmin.tenant.provisioningFailed', 'succeeded'],
			['compensation.billing.subscription.cancel', 'succeeded'],
			['compensation.billing.refund.create', 'succeeded'],
			['exception', undefined],
		]);
		expect(receipts[3]).toMatchObject({ resource_ref: String(session.invoice), policy_decision: { refundId: refunds[0].id } });
		expect(receipts[4].policy_decision).toMatchObject({ customerNotified: true, customerTold: 'refunded' });
		const mails = await sb.mail.waitFor(2);
		expect(mails.find((mail) => mail.to.includes('revops@example.com'))!.text).toContain(`Payment refunded (invoice ${session.invoice}): yes`);
		expect(mails.find((mail) => mail.to.includes(signup.customerEmail))!.text).toContain('You were refunded');

		// Called again for the same run (the reconciler and n8n both reported it): nothing is refunded twice.
		await handle(run, 'exec-handler-refund-again');
		expect(sb.state().stripe.objects.refund).toHaveLength(1);
		expect(await written(ledger, signup.businessKey, 'exec-handler-refund-again')).toEqual([]);
	}, 60_000);
});

describe('provisioning error handler: contracts without provisioning receipts', () => {
	it('behaves as before: no provisioning undo, no customer email, the same receipts', async () => {
		const { ledger } = freshDataDir();
		const { orderId, businessKey } = await sb.seedSignedOrder();
		const delivery = sb.automationsDelivery(orderId);
		const { run } = await runWebhook(failsAfterEntitlement(template('contract-signed-provisioning.json')), 'VMF Trigger', { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId: 'exec-contract' });
		expect(run?.status).toBe('error');

		const handled = await handle(run!, 'exec-handler-contract');
		expect(handled.executedNodes.filter((name) => PROVISIONING_UNDO.includes(name))).toEqual([]);
		expect((await written(ledger, businessKey, 'exec-handler-contract')).map((receipt) => receipt.workflow_step)).toEqual([
			'compensation.superadmin.subscription.disable',
			'compensation.billing.subscription.cancel',
			'exception',
		]);
		await sb.mail.waitFor(1);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(sb.mail.messages()).toHaveLength(1);
		expect(writes(sb, 'stripe').filter((request) => request.path.startsWith('/v1/refunds'))).toEqual([]);
	}, 60_000);
});
