/**
 * The self-service signup template run in-process against the sandbox: a Checkout Session paid on the Stripe fake's
 * hosted-page stand-in, the signed event it sends delivered to the Stripe Trigger, and the vendors' state, the
 * tenant databases on the sandbox PostgreSQL, the mailbox and the receipt chain checked afterwards.
 */
import { Client } from 'pg';
import type Stripe from 'stripe';
import { runErrorWorkflow } from '../harness';
import { freshDataDir, template } from './context';
import { withShortRetryWaits } from './failingVariants';
import { openSelfServiceStack, withConfig, withWaitNode, type SelfServiceStack, type Signup } from './selfServiceKit';

const signupTemplate = template('self-service-signup.json');
/**
 * On the RDS backend, polling every 0.2 s and saying "being set up" at the first poll that finds the database not
 * ready. The sandbox's AWS credential sets Database TLS to `disable` (its PostgreSQL has no TLS), so the migrations run
 * against the instance's real database.
 */
const rdsTemplate = withConfig(signupTemplate, { database: { backend: 'rds', pollEverySeconds: 0.2, giveUpAfterMinutes: 2 }, beingSetUpAfterMinutes: 0 });
// The RDS fake creates each instance's master role on the shared sandbox PostgreSQL: one role name per signup.
rdsTemplate.nodes.find((node) => node.name === 'Create Database (RDS)')!.parameters.rdsOptions = { masterUsername: "={{ 'adm_' + $('Signup').first().json.businessKey.replace(/-/g, '_') }}" };

let stack: SelfServiceStack;

beforeAll(async () => {
	stack = await openSelfServiceStack();
});
afterAll(async () => {
	await stack?.cleanUp().catch(() => undefined);
	await stack?.close();
});
beforeEach(async () => {
	await stack.sb.reset();
	stack.sb.clearFaults();
});

const superAdmin = () => stack.sb.state().superAdmin as Record<string, Array<Record<string, any>>>;
const tenantsOf = (signup: Signup) => superAdmin().tenants.filter((tenant) => tenant.businessKey === signup.businessKey);
const superAdminWrites = () => (stack.sb.requests().superAdmin ?? []).filter((request) => request.method !== 'GET');
const mailTo = (signup: Signup) => stack.sb.mail.messages().filter((message) => String(message.to).includes(signup.email));

async function paidSignup(plan: string, workflow = signupTemplate) {
	const { ledger } = freshDataDir();
	const signup = await stack.signup(plan);
	const started = Date.now();
	expect((await stack.pay(signup.sessionId, 'success')).status).toBe(200);
	const event = await stack.event('checkout.session.completed', signup.sessionId);
	const result = await stack.deliver(workflow, event);
	return { ...result, signup, event, ledger, elapsedMs: Date.now() - started };
}

describe('Tier 1 (Grassroots)', () => {
	it('a paid checkout becomes a tenant with its owner API key and a welcome email with the login link, in seconds', async () => {
		const { response, run, signup, ledger, elapsedMs } = await paidSignup('grassroots');
		console.log(`Tier 1: checkout paid → academy live and welcome email sent in ${elapsedMs} ms`);
		expect(response.status).toBe(200);
		expect(run?.error?.message).toBeUndefined();
		expect(run?.status).toBe('success');
		expect(elapsedMs).toBeLessThan(5000);
		expect(run?.executedNodes).not.toContain('Database Backend?');
		expect(run?.executedNodes).not.toContain('Wait Before Polling');

		const [tenant] = tenantsOf(signup);
		expect(tenantsOf(signup)).toHaveLength(1);
		expect(tenant).toMatchObject({ tier: 'grassroots', ownerEmail: signup.email, status: 'active' });
		expect(superAdmin().subscriptions.filter((s) => s.tenantId === tenant.id)).toEqual([expect.objectContaining({ status: 'active', tier: 'grassroots' })]);
		const keys = superAdmin().apiKeys.filter((key) => key.tenantId === tenant.id);
		expect(keys).toHaveLength(1);

		const mail = await stack.sb.mail.waitFor(1);
		expect(mail).toHaveLength(1);
		expect(mail[0].to).toContain(signup.email);
		expect(mail[0].text).toContain(`https://app.diquis.com/login?tenant=${tenant.id}`);
		const keySecret = String(run!.nodeOutput('Generate Owner API Key')[0].secret);
		expect(keySecret.length).toBeGreaterThan(8);
		expect(mail[0].text).not.toContain(keySecret);

		const session = await stack.stripe.checkout.sessions.retrieve(signup.sessionId);
		const receipts = await ledger.list(signup.businessKey);
		expect(receipts.map((r) => r.workflow_step)).toEqual([
			'billing.checkout.payment',
			'superadmin.tenant.create',
			'superadmin.subscription.enable',
			'superadmin.apiKey.generate',
			'provisioning.committed',
			'provisioning.live',
		]);
		expect(receipts[0].resource_ref).toBe(signup.sessionId);
		expect(receipts[0].policy_decision).toMatchObject({ checkoutSessionId: signup.sessionId, subscriptionId: session.subscription, customerEmail: signup.email, tier: 'grassroots' });
		expect(receipts[1].resource_ref).toBe(tenant.id);
		expect(JSON.stringify(receipts)).not.toContain(keySecret);
		expect((await ledger.verify(signup.businessKey)).valid).toBe(true);
	});

	it('a bank debit provisions only once it settles (async_payment_succeeded), not at checkout.session.completed', async () => {
		freshDataDir();
		const signup = await stack.signup('grassroots_monthly');
		await stack.pay(signup.sessionId, 'async');
		const pending = await stack.deliver(signupTemplate, await stack.event('checkout.session.completed', signup.sessionId));
		expect(pending.run?.status).toBe('success');
		expect(pending.run?.executedNodes).not.toContain('Get Checkout Session');
		expect(superAdminWrites()).toEqual([]);

		await stack.settle(signup.sessionId, 'succeeded');
		const { run } = await stack.deliver(signupTemplate, await stack.event('checkout.session.async_payment_succeeded', signup.sessionId));
		expect(run?.status).toBe('success');
		expect(tenantsOf(signup)).toHaveLength(1);
		expect(mailTo(signup)).toHaveLength(1);
	});
});

describe('Tier 2 (Professional)', () => {
	it('creates a dedicated database on the PostgreSQL server, stores its connection in the vault, migrates it; the connection never reaches n8n', async () => {
		const { run, signup, ledger, elapsedMs } = await paidSignup('professional_monthly');
		console.log(`Tier 2 (PostgreSQL server): checkout paid → academy live in ${elapsedMs} ms`);
		expect(run?.error?.message).toBeUndefined();
		expect(run?.status).toBe('success');
		const [tenant] = tenantsOf(signup);
		expect(tenant).toMatchObject({ tier: 'professional', ownerEmail: signup.email });

		const database = await stack.tenantDatabase(run!, 'Create Database (PostgreSQL Server)');
		expect(database.exists).toBe(true);
		// What the tenant's application will do: read the connection from the vault and connect with it.
		const stored = run!.nodeOutput('Store Connection (PostgreSQL Server)')[0] as { storedAs: string; secretReference: string };
		expect(stored.storedAs).toBe(`tenants/${signup.businessKey}/database-url`);
		const connectionString = await stack.admin(async (client) => (await client.query('SELECT value FROM q2c_provisioning_secrets WHERE name = $1', [stored.storedAs])).rows[0].value as string);
		const tenantClient = new Client({ connectionString });
		await tenantClient.connect();
		const tables = await tenantClient.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").finally(() => tenantClient.end());
		expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['courses', 'enrollments', 'pgmigrations']));

		const password = decodeURIComponent(new URL(connectionString).password);
		expect(password.length).toBeGreaterThanOrEqual(16);
		const receipts = await ledger.list(signup.businessKey);
		const mail = await stack.sb.mail.waitFor(1);
		for (const text of [run!.serialized(), JSON.stringify(receipts), JSON.stringify(mail)]) {
			expect(text).not.toContain(connectionString);
			expect(text).not.toContain(password);
		}

		expect(receipts.map((r) => r.workflow_step)).toEqual([
			'billing.checkout.payment',
			'superadmin.tenant.create',
			'provisioning.database.create',
			'provisioning.database.storeConnection',
			'provisioning.migration.run',
			'provisioning.database.linked',
			'superadmin.subscription.enable',
			'superadmin.apiKey.generate',
			'provisioning.committed',
			'provisioning.live',
		]);
		const linked = receipts.find((r) => r.workflow_step === 'provisioning.database.linked')!;
		expect(linked.resource_ref).toBe(stored.secretReference);
		expect(JSON.stringify(linked.subject)).toContain(tenant.id);
		expect((receipts.find((r) => r.workflow_step === 'provisioning.database.create')!.effect as any).backend).toBe('postgresServer');
		expect(mail).toHaveLength(1);
		expect(mail[0].subject).toMatch(/ready/);
		expect(mail[0].text).toContain(`tenant=${tenant.id}`);
	});

	it('the same event delivered three times: one run, one tenant, one database, one email', async () => {
		const first = await paidSignup('professional');
		const staticData = first.delivery.staticData;
		const again = [await stack.deliver(signupTemplate, first.event, { staticData }), await stack.deliver(signupTemplate, first.event, { staticData })];
		expect(first.run?.status).toBe('success');
		for (const duplicate of again) {
			expect(duplicate.run).toBeUndefined();
			expect(duplicate.response.status).toBe(200);
		}
		const database = await stack.tenantDatabase(first.run!, 'Create Database (PostgreSQL Server)');
		expect(database.exists).toBe(true);
		expect(tenantsOf(first.signup)).toHaveLength(1);
		expect(superAdminWrites().filter((request) => request.path === '/v1/tenants')).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(mailTo(first.signup)).toHaveLength(1);

		// The delivery forgotten too (another n8n machine): the run repeats, but every create finds what exists.
		freshDataDir();
		const replay = await stack.deliver(signupTemplate, first.event);
		expect(replay.run?.status).toBe('success');
		expect(tenantsOf(first.signup)).toHaveLength(1);
		expect(replay.run!.nodeOutput('Create Database (PostgreSQL Server)')[0].databaseName).toBe(database.name);
		expect(replay.run!.nodeOutput('Run Migrations (PostgreSQL Server)')[0].upToDate).toBe(true);
	});

	it('on RDS, polls until the instance is available and says "being set up" once past the threshold', async () => {
		const { run, signup, ledger } = await paidSignup('professional', rdsTemplate);
		expect(run?.error?.message).toBeUndefined();
		expect(run?.status).toBe('success');
		const polls = run!.runData['Get Database (RDS)']?.length ?? 0;
		const statuses = run!.runData['Get Database (RDS)'].map((task) => task.data?.main?.[0]?.[0]?.json.status);
		expect(polls).toBeGreaterThanOrEqual(2);
		expect(statuses).toEqual([...Array(polls - 1).fill('creating'), 'available']);

		const mail = mailTo(signup);
		expect(mail.map((message) => message.subject)).toEqual(['Your academy is being set up', 'Welcome to Diquis: your academy is ready']);
		expect(mail[0].text).toContain("we'll email you");
		const admins = stack.sb.mail.messages().filter((message) => String(message.to).includes('ops@diquis.com'));
		expect(admins).toHaveLength(1);
		expect(admins[0].text).toContain(signup.businessKey);
		const steps = (await ledger.list(signup.businessKey)).map((r) => r.workflow_step);
		expect(steps).toEqual(expect.arrayContaining(['provisioning.database.create', 'provisioning.database.storeConnection', 'provisioning.database.linked', 'provisioning.committed']));
		const stored = run!.nodeOutput('Store Connection (RDS)')[0] as { secretReference: string };
		expect(stored.secretReference).toMatch(/^arn:aws:secretsmanager:/);
	});

	it('an RDS instance that fails stops the run into the error workflow, with the receipts it needs to roll back', async () => {
		stack.sb.provisioning.fakes.rds.failNext('db-instance');
		const { run, signup, ledger } = await paidSignup('professional', rdsTemplate);
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Stop: Database Not Created');
		expect(run?.error?.message).toMatch(/failed/);
		expect(run?.workflow.errorWorkflow).toBe('q2cProvisionErrs');
		const steps = (await ledger.list(signup.businessKey)).map((r) => r.workflow_step);
		expect(steps).toEqual(['billing.checkout.payment', 'superadmin.tenant.create', 'provisioning.database.create']);
		expect(superAdmin().subscriptions.filter((s) => s.businessKey === signup.businessKey)).toEqual([]);
		expect(mailTo(signup).map((message) => message.subject)).not.toContain('Welcome to Diquis: your academy is ready');
	});
});

describe('rollback by the error workflow', () => {
	it('a Tier 2 signup failing after its database was created: database deleted, tenant marked failed, payment refunded, customer told', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('professional');
		await stack.pay(signup.sessionId, 'success');
		const event = await stack.event('checkout.session.completed', signup.sessionId);
		stack.sb.addFault('superAdmin', { route: 'POST /v1/tenants/{tenantId}/subscription/enable', fault: { status: 400 } });
		const { run } = await stack.deliver(signupTemplate, event);
		stack.sb.clearFaults();
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Enable Subscription');
		const database = await stack.tenantDatabase(run!, 'Create Database (PostgreSQL Server)');
		expect(database.exists).toBe(true);

		const handler = withShortRetryWaits(template('provisioning-error-handler.json'));
		expect(run?.workflow.errorWorkflow).toBe(handler.id);
		const handled = await runErrorWorkflow(handler, run!, { credentials: stack.sb.credentials, nodeTypes: withWaitNode() });
		expect(handled.status).toBe('success');

		expect((await stack.tenantDatabase(run!, 'Create Database (PostgreSQL Server)')).exists).toBe(false);
		const session = await stack.stripe.checkout.sessions.retrieve(signup.sessionId, { expand: ['invoice'] });
		const refunds = (stack.sb.state().stripe.objects.refund ?? []) as Array<Record<string, any>>;
		expect(refunds.filter((refund) => refund.metadata?.q2c_business_key === signup.businessKey)).toEqual([expect.objectContaining({ status: 'succeeded', amount: (session.invoice as Stripe.Invoice).amount_paid })]);
		expect((await stack.stripe.subscriptions.retrieve(String(session.subscription))).status).toBe('canceled');
		const steps = (await ledger.list(signup.businessKey)).map((r) => r.workflow_step);
		expect(steps).toEqual(expect.arrayContaining(['compensation.provisioning.database.delete', 'compensation.billing.refund.create', 'exception']));
		expect(steps.some((step) => step.startsWith('compensation.superadmin.tenant'))).toBe(true);
		const toCustomer = mailTo(signup);
		expect(toCustomer).toHaveLength(1);
		expect(toCustomer[0].text).toMatch(/refunded/);
	});
});

describe('a plan the Config does not know', () => {
	it('stops after recording the payment (so the error workflow refunds it), before any tenant exists', async () => {
		const { run, signup, ledger } = await paidSignup('platinum');
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Stop: Unknown Plan');
		expect(run?.error?.message).toContain('"platinum"');
		expect((await ledger.list(signup.businessKey)).map((r) => r.workflow_step)).toEqual(['billing.checkout.payment']);
		expect(superAdminWrites()).toEqual([]);
	});
});

describe('payment failed', () => {
	it('a bank debit that fails: nothing provisioned, the customer is told why', async () => {
		const { ledger } = freshDataDir();
		const signup = await stack.signup('professional');
		await stack.pay(signup.sessionId, 'async');
		await stack.settle(signup.sessionId, 'failed');
		const { run } = await stack.deliver(signupTemplate, await stack.event('checkout.session.async_payment_failed', signup.sessionId));
		expect(run?.status).toBe('success');
		expect(run?.executedNodes).toContain('Get Payment Decline');

		const [mail] = await stack.sb.mail.waitFor(1);
		expect(mail.to).toContain(signup.email);
		expect(mail.subject).toBe('Your payment did not go through');
		expect(mail.text).toContain('Your bank payment did not go through');
		expect(mail.text).toContain('You have not been charged and no academy was set up.');
		expect(superAdminWrites()).toEqual([]);
		expect(await ledger.list(signup.businessKey)).toEqual([]);
	});

	it('a hard-declined card whose checkout then expires: nothing provisioned, the email gives the decline message', async () => {
		freshDataDir();
		const signup = await stack.signup('grassroots');
		const declined = await stack.pay(signup.sessionId, 'hard_decline');
		expect(declined.status).toBe(402);
		expect(declined.body.error.decline_code).toBe('stolen_card');
		await stack.pay(signup.sessionId, 'expire');
		const { run } = await stack.deliver(signupTemplate, await stack.event('checkout.session.expired', signup.sessionId));
		expect(run?.status).toBe('success');

		const [mail] = await stack.sb.mail.waitFor(1);
		expect(mail.to).toContain(signup.email);
		expect(mail.text).toContain('Your payment could not be processed. Please check your card details or try a different card.');
		expect(superAdminWrites()).toEqual([]);
		expect(run?.executedNodes).not.toContain('Get Checkout Session');
	});
});
