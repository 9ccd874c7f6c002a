/**
 * workflows/tier-upgrade.json in n8n's engine against the sandbox: a Grassroots academy with 10,000 shared rows asks
 * to upgrade, the owner confirms on the form, is charged the previewed proration, and every row moves to a dedicated
 * database (counts and checksums equal) while writes are refused; afterwards writes land in the dedicated database
 * and, past the grace period, the shared rows are purged. A failure at the charge, the copy or the switch leaves the
 * tenant on the shared database with every row, maintenance off, the database dropped and the proration refunded.
 * Needs the machine's PostgreSQL (the sandbox's provisioning server); skipped, saying why, without one.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { postgresPlan } from '../stores/support/backends';
import { freshDataDir, openSandbox } from './context';
import { appWrite, grassrootsAcademy, requestUpgrade, resumeWithForm, upgradeTemplate, type Academy, type UpgradeSandbox } from './tierUpgradeKit';

const { platformDatabaseUrl, sharedCounts, withDatabase } = require('../../sandbox/superadmin/sharedDatabase');

const runOnServer = postgresPlan.kind === 'server';
const suite = runOnServer ? describe : describe.skip;
if (!runOnServer) console.log(`tier-upgrade workflow suite skipped: needs a PostgreSQL server (plan: ${postgresPlan.kind})`);
jest.setTimeout(120_000);

suite('tier upgrade template (Tier 1 → Tier 2 with data migration)', () => {
	let sb: UpgradeSandbox;
	let stripe: Stripe;
	let adminUrl: string;
	const tenants: string[] = [];
	// Grace period of a fraction of a second: the Wait node then waits in-process, like n8n for waits under 65 s.
	const workflow = upgradeTemplate({ data: { purgeGraceMinutes: 0.005 } });
	const admin = <T>(work: (client: Client) => Promise<T>): Promise<T> => withDatabase(adminUrl, work);
	const shared = (tenantId: string): Promise<Record<string, number>> => admin((c) => sharedCounts(c, tenantId));
	const state = () => sb.state() as any;
	const body = (academy: Academy) => ({ businessKey: academy.businessKey, tenantId: academy.tenantId, subscriptionId: academy.subscriptionId, ownerEmail: academy.ownerEmail });
	const databaseExists = async (tenantId: string) => (await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [`tenant_${tenantId}`]))).rowCount === 1;
	const dedicatedUrl = async (tenantId: string): Promise<string> => (await admin((c) => c.query('SELECT value FROM q2c_provisioning_secrets WHERE name = $1', [`tenants/${tenantId}/database-url`]))).rows[0].value;

	beforeAll(async () => {
		sb = (await openSandbox()) as UpgradeSandbox;
		const url = new URL(String(sb.urls.stripe));
		stripe = new Stripe(String(sb.credentials.billingStripeApi.secretKey), { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
		adminUrl = platformDatabaseUrl(sb.credentials.provisioningPostgresApi);
	});

	beforeEach(() => {
		freshDataDir();
	});

	afterEach(() => sb.clearFaults());

	afterAll(async () => {
		await admin(async (c) => {
			for (const tenantId of tenants) {
				await c.query(`DROP DATABASE IF EXISTS "tenant_${tenantId}" WITH (FORCE)`);
				await c.query(`DROP ROLE IF EXISTS "tenant_${tenantId}"`);
				await c.query('DELETE FROM q2c_provisioning_secrets WHERE name = ANY($1)', [[`tenants/${tenantId}/database-url`, `q2c/postgres/tenant_${tenantId}`]]);
				await c.query('DELETE FROM shared.enrollments WHERE tenant_id = $1', [tenantId]);
				await c.query('DELETE FROM shared.courses WHERE tenant_id = $1', [tenantId]);
			}
		});
		await sb?.close();
	});

	async function academy(size = { courses: 50, perCourse: 3 }): Promise<Academy> {
		const created = await grassrootsAcademy(sb, stripe, size);
		tenants.push(created.tenantId);
		return created;
	}

	/** Request, check the preview answer and the confirmation email, and submit the form. */
	async function upgrade(target: Academy, executionId: string, decision = 'Upgrade now', during?: () => Promise<void>) {
		const requested = await requestUpgrade(sb, workflow, body(target), { executionId });
		expect(requested.response.status).toBe(202);
		expect(requested.run?.status).toBe('waiting');
		const amountDue = (requested.response.body as { amountDue: number }).amountDue;
		const mail = sb.mail.messages().find((message) => String(message.subject).startsWith('Confirm your upgrade') && JSON.stringify(message).includes(target.ownerEmail));
		expect(String(mail?.text)).toContain(`${(amountDue / 100).toFixed(2)} GBP`);
		expect(String(mail?.text)).toMatch(/\/form-waiting\//);
		const resumed = resumeWithForm(sb, workflow, requested.run!.run, executionId, { Decision: decision });
		if (during) await during();
		return { amountDue, result: await resumed };
	}

	/** What a rolled-back upgrade must leave: shared database, every row, maintenance off, database dropped, writes accepted there. */
	async function expectRolledBack(target: Academy, before: Record<string, number>) {
		expect(state().superAdmin.databases.find((d: any) => d.tenantId === target.tenantId)?.backend ?? 'shared').toBe('shared');
		expect(state().superAdmin.maintenance.find((m: any) => m.tenantId === target.tenantId)?.enabled ?? false).toBe(false);
		expect(await shared(target.tenantId)).toEqual(before);
		expect(await databaseExists(target.tenantId)).toBe(false);
		expect(await appWrite(sb, target.tenantId, 'AFTER-ROLLBACK')).toMatchObject({ status: 201, body: { database: 'shared' } });
		expect(state().superAdmin.tenants.find((t: any) => t.id === target.tenantId).tier).toBe('grassroots');
	}

	it('moves 10,000 rows with equal counts and checksums, refuses writes during the move, accepts them after in the dedicated database, then purges the shared rows', async () => {
		const target = await academy({ courses: 1000, perCourse: 9 });
		expect(target.rows).toBe(10_000);
		expect(await appWrite(sb, target.tenantId, 'BEFORE')).toMatchObject({ status: 201, body: { database: 'shared' } });
		const before = await shared(target.tenantId);
		// The switch answers slowly once, so the test can write while the tenant is read-only.
		sb.addFault('superAdmin', { route: 'PUT /v1/tenants/{tenantId}/database', fault: { latencyMs: 700 }, times: 1 });
		let refused: { status: number; body: any } | undefined;
		const { amountDue, result } = await upgrade(target, 'upg-ok', 'Upgrade now', async () => {
			const deadline = Date.now() + 30_000;
			while (!state().superAdmin.maintenance.find((m: any) => m.tenantId === target.tenantId && m.enabled)) {
				if (Date.now() > deadline) throw new Error('maintenance never went on');
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			refused = await appWrite(sb, target.tenantId, 'DURING');
		});
		expect(result.errorMessage).toBeUndefined();
		expect(result.status).toBe('success');
		expect(refused).toMatchObject({ status: 423, body: { error: { code: 'tenant_read_only', message: expect.stringContaining('We are upgrading your academy') } } });

		const verified = result.nodeOutput('Verify Tenant Data')[0] as any;
		expect(verified.verified).toBe(true);
		expect(verified.tables.map((t: any) => [t.table, t.sharedRows, t.dedicatedRows])).toEqual([
			['courses', before.courses, before.courses],
			['enrollments', before.enrollments, before.enrollments],
		]);
		for (const table of verified.tables) expect(table.dedicatedChecksum).toBe(table.sharedChecksum);
		expect(before.courses + before.enrollments).toBe(10_001);

		// Charged the previewed proration; the plan is Professional; the tenant has Professional flags.
		const subscription = await stripe.subscriptions.retrieve(target.subscriptionId, { expand: ['latest_invoice'] });
		expect((subscription.latest_invoice as Stripe.Invoice).amount_paid).toBe(amountDue);
		expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['professional_monthly']);
		expect(state().superAdmin.tenants.find((t: any) => t.id === target.tenantId).tier).toBe('professional');

		// After: writable again, on the dedicated database; the shared rows were purged after the grace period.
		expect(state().superAdmin.databases.find((d: any) => d.tenantId === target.tenantId).backend).toBe('dedicated');
		expect(await appWrite(sb, target.tenantId, 'AFTER')).toMatchObject({ status: 201, body: { database: 'dedicated' } });
		const dedicated = await withDatabase(await dedicatedUrl(target.tenantId), async (c: Client) => ({
			courses: Number((await c.query('SELECT count(*)::int AS n FROM courses')).rows[0].n),
			enrollments: Number((await c.query('SELECT count(*)::int AS n FROM enrollments')).rows[0].n),
			codes: (await c.query("SELECT code FROM courses WHERE code IN ('BEFORE', 'DURING', 'AFTER') ORDER BY code")).rows.map((r: any) => r.code),
		}));
		expect(dedicated).toEqual({ courses: before.courses + 1, enrollments: before.enrollments, codes: ['AFTER', 'BEFORE'] });
		expect(result.nodeOutput('Purge Shared Rows')[0]).toMatchObject({ deleted: 10_001 });
		expect(await shared(target.tenantId)).toEqual({ courses: 0, enrollments: 0 });
		expect(sb.mail.messages().some((m) => m.subject === 'Your academy is now on Professional')).toBe(true);
	});

	it('a failure at the copy: still on the shared database, nothing lost, proration refunded, maintenance off, database dropped', async () => {
		const target = await academy();
		// A shared row the dedicated schema refuses (no "@" in the e-mail) stops the copy half-way.
		await admin((c) => c.query("UPDATE shared.enrollments SET member_email = 'broken-address' WHERE id = (SELECT max(id) FROM shared.enrollments WHERE tenant_id = $1)", [target.tenantId]));
		const before = await shared(target.tenantId);
		const { amountDue, result } = await upgrade(target, 'upg-copy');
		expect(result.status).toBe('error');
		expect(result.nodeOutput('Failure')[0]).toMatchObject({ failedStep: 'Copy Tenant Data', error: expect.stringMatching(/Copying table enrollments/) });
		// The exception receipt says what failed and what each undo did; ops are told.
		const exception = result.nodeOutput('Receipt: Rolled Back')[0] as any;
		expect(exception.error).toBeUndefined();
		expect(exception.receipt).toMatchObject({
			workflow_step: 'exception',
			policy_decision: { failedStep: 'Copy Tenant Data', backBackend: 'shared', maintenanceOff: true, databaseDropped: true, refunded: true, planReverted: true },
		});
		expect(sb.mail.messages().some((m) => String(m.subject).startsWith('Tier upgrade failed and was rolled back') && String(m.text).includes('Copy Tenant Data'))).toBe(true);
		expect(sb.mail.messages().some((m) => m.subject === 'Your upgrade did not go through' && JSON.stringify(m).includes(target.ownerEmail))).toBe(true);
		await expectRolledBack(target, before);
		await expectRefunded(target, amountDue);
	});

	it('a failure at the switch: still on the shared database, nothing lost, proration refunded, maintenance off, database dropped', async () => {
		const target = await academy();
		const before = await shared(target.tenantId);
		sb.addFault('superAdmin', { route: 'PUT /v1/tenants/{tenantId}/database', fault: { status: 409, body: { error: { code: 'conflict', message: 'Injected: the platform refused the switch' } } }, times: 1 });
		const { amountDue, result } = await upgrade(target, 'upg-switch');
		expect(result.status).toBe('error');
		expect(result.nodeOutput('Failure')[0]).toMatchObject({ failedStep: 'Switch Database' });
		expect(result.ran('Copy Tenant Data') && result.ran('Verify Tenant Data')).toBe(true);
		await expectRolledBack(target, before);
		await expectRefunded(target, amountDue);
	});

	it('a failure at the charge: nothing charged or refunded, no database, never read-only, still on the shared database', async () => {
		const target = await academy();
		const before = await shared(target.tenantId);
		sb.addFault('stripe', { route: 'POST /v1/subscriptions/{subscription_exposed_id}', fault: { status: 402 }, times: 1 });
		const { result } = await upgrade(target, 'upg-charge');
		expect(result.status).toBe('error');
		expect(result.nodeOutput('Failure')[0]).toMatchObject({ failedStep: 'Charge Upgrade' });
		expect(result.ran('Maintenance On') || result.ran('Create Database')).toBe(false);
		expect(result.ran('Refund Proration')).toBe(false);
		expect(state().superAdmin.maintenance.find((m: any) => m.tenantId === target.tenantId && m.enabled)).toBeUndefined();
		await expectRolledBack(target, before);
		const subscription = await stripe.subscriptions.retrieve(target.subscriptionId);
		expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['grassroots_monthly']);
	});

	it('charges nothing when the owner keeps the current plan, and refuses a bad request naming the fields', async () => {
		const target = await academy({ courses: 2, perCourse: 1 });
		const { result } = await upgrade(target, 'upg-declined', 'Keep my current plan');
		expect(result.status).toBe('success');
		expect(result.ran('Receipt: Upgrade Declined') && !result.ran('Charge Upgrade')).toBe(true);
		expect((await stripe.invoices.list({ subscription: target.subscriptionId })).data).toHaveLength(1);

		const invalid = await requestUpgrade(sb, workflow, { ...body(target), subscriptionId: 'nope', ownerEmail: 'x' }, { executionId: 'upg-invalid' });
		expect(invalid.response).toMatchObject({ status: 422, body: { accepted: false, problems: ['subscriptionId is missing or malformed', 'ownerEmail is missing or malformed'] } });
		const forged = await requestUpgrade(sb, workflow, body(target), { executionId: 'upg-forged', token: 'wrong' });
		expect(forged.run).toBeUndefined();
		expect(forged.response.status).toBe(403);
	});

	async function expectRefunded(target: Academy, amountDue: number) {
		expect(amountDue).toBeGreaterThan(0);
		const invoices = await stripe.invoices.list({ subscription: target.subscriptionId });
		const upgradeInvoice = invoices.data.find((invoice) => invoice.billing_reason === 'subscription_update');
		expect(upgradeInvoice?.amount_paid).toBe(amountDue);
		const { refund: refunds = [], charge: charges = [] } = state().stripe.objects as Record<string, any[]>;
		const charge = charges.find((c: any) => c.invoice === upgradeInvoice!.id);
		expect(charge).toBeDefined();
		expect(refunds.filter((r: any) => r.charge === charge.id || r.payment_intent === charge.payment_intent).map((r: any) => r.amount)).toEqual([amountDue]);
		const subscription = await stripe.subscriptions.retrieve(target.subscriptionId);
		expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['grassroots_monthly']);
	}
});
