/**
 * workflows/tier-upgrade.json as published in real n8n: the Super Admin dashboard asks for the upgrade (header auth),
 * the owner gets the prorated amount by email with the Wait node's signed form link, submits the form, is charged
 * the previewed proration, and 10,000 shared rows move to the tenant's new database (counts and checksums equal,
 * read back from PostgreSQL) while the academy app refuses writes; afterwards writes land in the dedicated
 * database and, past the grace period, the shared rows are purged. A failure injected at the charge, the copy or
 * the switch leaves the tenant on the shared database with every row, maintenance off, the new database dropped
 * and the proration refunded. Needs `ids.tierUpgrade` (TEMPLATES key `tierUpgrade` in scripts/stack/files.js).
 */
import { SuperAdminClient } from '../../../connectors/superadmin';
import { Client } from 'pg';
import Stripe from 'stripe';
import { api, e2e, errorOf, executions, type Execution } from '../support/context';
import { screenshotForm } from '../support/formScreenshots';
import { BROWSER, untilFormWaiting } from '../support/formWaiting';
import { stripeClient } from '../support/signup';

const { platformDatabaseUrl, seedTenant, sharedCounts, withDatabase } = require('../../../sandbox/superadmin/sharedDatabase');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const workflowId = (): string => (e2e().ids as unknown as Record<string, string>).tierUpgrade;
const adminUrl = (): string => platformDatabaseUrl(e2e().sb.credentials.provisioningPostgresApi);
const admin = <T>(work: (client: Client) => Promise<T>): Promise<T> => withDatabase(adminUrl(), work);
const superAdminState = (): any => (e2e().sb.state() as any).superAdmin;
const counts = (tenantId: string): Promise<Record<string, number>> => admin((c) => sharedCounts(c, tenantId));

interface Academy {
	tenantId: string;
	subscriptionId: string;
	ownerEmail: string;
	businessKey: string;
}

async function superAdmin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
	const { sb } = e2e();
	const response = await fetch(`${sb.urls.superAdmin}${path}`, {
		method,
		headers: { 'content-type': 'application/json', authorization: `Bearer ${String(sb.credentials.superAdminApi.apiKey)}` },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: await response.json() };
}

/** A Grassroots academy: tenant with its subscription on the platform, its Stripe subscription, its shared rows. */
async function academy(stripe: Stripe, size: { courses: number; perCourse: number }): Promise<Academy> {
	const n = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
	const ownerEmail = `owner-${n}@academy.test`;
	const { sb } = e2e();
	const platform = new SuperAdminClient({ baseUrl: String(sb.urls.superAdmin), apiKey: String(sb.credentials.superAdminApi.apiKey) });
	const { tenant } = await platform.createTenant({ name: `Academy ${n}`, tier: 'grassroots', ownerEmail, businessKey: `signup-${n}` } as never);
	await platform.enableSubscription({ tenantId: tenant.id, businessKey: `signup-${n}`, tier: 'grassroots', edition: 'standard' } as never);
	const tenantId = String(tenant.id);
	const prices = await stripe.prices.list({ lookup_keys: ['grassroots_monthly', 'professional_monthly'] });
	const byKey = new Map(prices.data.map((price) => [price.lookup_key, price.id]));
	for (const [key, amount] of [['grassroots_monthly', 2900], ['professional_monthly', 9900]] as const) {
		if (byKey.has(key)) continue;
		const product = await stripe.products.create({ name: `Academy (${key})` });
		byKey.set(key, (await stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: amount, recurring: { interval: 'month' }, lookup_key: key })).id);
	}
	const customer = await stripe.customers.create({ email: ownerEmail });
	const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: byKey.get('grassroots_monthly')! }] });
	await admin((client) => seedTenant(client, tenantId, size));
	return { tenantId, subscriptionId: subscription.id, ownerEmail, businessKey: `UPG-E2E-${n}` };
}

async function request(target: Academy): Promise<{ status: number; body: any }> {
	const { sb, baseUrl } = e2e();
	const auth = sb.credentials.httpHeaderAuth;
	const response = await fetch(`${baseUrl}/webhook/q2c-tier-upgrade`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [String(auth.name)]: String(auth.value) },
		body: JSON.stringify({ businessKey: target.businessKey, tenantId: target.tenantId, subscriptionId: target.subscriptionId, ownerEmail: target.ownerEmail }),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The owner opens the emailed link and submits "Upgrade now" (n8n's form: multipart, field-0). */
async function confirm(target: Academy, decision = 'Upgrade now'): Promise<void> {
	const deadline = Date.now() + 30_000;
	let link: string | undefined;
	while (!link) {
		const mail = e2e().sb.mail.messages().find((message) => String(message.subject).startsWith('Confirm your upgrade') && JSON.stringify(message.to).includes(target.ownerEmail));
		link = /https?:\/\/\S+\/form-waiting\/\S+/.exec(String(mail?.text ?? ''))?.[0];
		if (!link && Date.now() > deadline) throw new Error(`no confirmation email for ${target.ownerEmail}`);
		if (!link) await sleep(200);
	}
	// The email goes out just before the Wait node: the owner's browser opens the link once the run waits on it.
	await untilFormWaiting(link, `the upgrade run for ${target.tenantId}`);
	const page = await fetch(link, { headers: BROWSER, signal: AbortSignal.timeout(15_000) });
	expect(page.status).toBe(200);
	expect(await page.text()).toContain('Upgrade to Professional');
	if (decision === 'Upgrade now') await screenshotForm(link, 'tier-upgrade-confirm', { Decision: decision });
	const form = new FormData();
	form.append('field-0', decision);
	const submitted = await fetch(link, { method: 'POST', body: form, headers: BROWSER, signal: AbortSignal.timeout(15_000) });
	expect(submitted.status).toBeLessThan(400);
}

async function finished(known: Set<string>, timeoutMs = 120_000): Promise<Execution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await executions(workflowId(), true)).filter((execution) => !known.has(execution.id) && execution.stoppedAt && execution.status !== 'waiting');
		if (fresh.length > 0) return fresh[0];
		if (Date.now() > deadline) throw new Error(`no finished upgrade run within ${timeoutMs} ms`);
		await sleep(500);
	}
}

async function appWrite(tenantId: string, code: string) {
	return superAdmin('POST', `/v1/tenants/${tenantId}/app/courses`, { code, title: `Course ${code}` });
}

/** The published template with a short grace period (the editor change a test operator makes); returns the undo. */
async function shortGracePeriod(): Promise<() => Promise<void>> {
	const id = workflowId();
	const shipped = await api('GET', `/workflows/${encodeURIComponent(id)}`);
	const save = async (nodes: any[]) => {
		await api('PUT', `/workflows/${encodeURIComponent(id)}`, { name: shipped.name, nodes, connections: shipped.connections, settings: shipped.settings });
		await api('POST', `/workflows/${encodeURIComponent(id)}/deactivate`);
		await api('POST', `/workflows/${encodeURIComponent(id)}/activate`);
	};
	await save(
		shipped.nodes.map((node: any) => {
			if (node.name !== 'Config') return node;
			const config = JSON.parse(node.parameters.jsonOutput);
			config.data.purgeGraceMinutes = 0.05;
			return { ...node, parameters: { ...node.parameters, jsonOutput: JSON.stringify(config, null, 2) } };
		}),
	);
	return () => save(shipped.nodes);
}

async function expectRolledBack(stripe: Stripe, target: Academy, before: Record<string, number>, refunded: boolean): Promise<void> {
	expect((await superAdmin('GET', `/v1/tenants/${target.tenantId}/database`)).body.backend).toBe('shared');
	expect((await superAdmin('GET', `/v1/tenants/${target.tenantId}/maintenance`)).body.enabled).toBe(false);
	expect(await counts(target.tenantId)).toEqual(before);
	expect((await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [`tenant_${target.tenantId}`]))).rowCount).toBe(0);
	expect(await appWrite(target.tenantId, 'AFTER-ROLLBACK')).toMatchObject({ status: 201, body: { database: 'shared' } });
	const subscription = await stripe.subscriptions.retrieve(target.subscriptionId);
	expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['grassroots_monthly']);
	const upgradeInvoice = (await stripe.invoices.list({ subscription: target.subscriptionId })).data.find((invoice) => invoice.billing_reason === 'subscription_update');
	if (!refunded) return expect(upgradeInvoice).toBeUndefined();
	const charge = await stripe.charges.retrieve(String((upgradeInvoice as any).charge));
	const refunds = await stripe.refunds.list({ charge: charge.id });
	expect(refunds.data.map((refund) => refund.amount)).toEqual([upgradeInvoice!.amount_paid]);
}

export function tierUpgrade(): void {
	describe('tier upgrade template (Tier 1 → Tier 2 with data migration)', () => {
		const tenants: string[] = [];
		afterAll(async () => {
			await admin(async (c) => {
				for (const tenantId of tenants) {
					await c.query(`DROP DATABASE IF EXISTS "tenant_${tenantId}" WITH (FORCE)`);
					await c.query(`DROP ROLE IF EXISTS "tenant_${tenantId}"`);
					await c.query('DELETE FROM shared.enrollments WHERE tenant_id = $1', [tenantId]);
					await c.query('DELETE FROM shared.courses WHERE tenant_id = $1', [tenantId]);
				}
			});
		});

		it('moves 10,000 rows (counts and checksums equal), refuses writes during the move, accepts them after in the dedicated database, purges the shared rows after the grace period', async () => {
			const stripe = stripeClient();
			const restore = await shortGracePeriod();
			try {
				const target = await academy(stripe, { courses: 1000, perCourse: 9 });
				tenants.push(target.tenantId);
				const before = await counts(target.tenantId);
				expect(before.courses + before.enrollments).toBe(10_000);
				const known = new Set((await executions(workflowId())).map((execution) => execution.id));
				const asked = await request(target);
				expect(asked).toMatchObject({ status: 202, body: { accepted: true, status: 'awaiting_confirmation' } });
				// The switch answers slowly once: the window in which the academy must be read-only.
				e2e().sb.addFault('superAdmin', { route: 'PUT /v1/tenants/{tenantId}/database', fault: { latencyMs: 1500 }, times: 1 });
				await confirm(target);
				const deadline = Date.now() + 60_000;
				while (!superAdminState().maintenance.find((m: any) => m.tenantId === target.tenantId && m.enabled)) {
					if (Date.now() > deadline) throw new Error('maintenance never went on');
					await sleep(20);
				}
				expect(await appWrite(target.tenantId, 'DURING')).toMatchObject({ status: 423, body: { error: { code: 'tenant_read_only' } } });
				const run = await finished(known);
				expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
				const verified = run.data?.resultData?.runData?.['Verify Tenant Data']?.[0]?.data?.main?.[0]?.[0]?.json as any;
				expect(verified.tables.map((t: any) => [t.table, t.dedicatedRows, t.sharedRows, t.dedicatedChecksum === t.sharedChecksum])).toEqual([
					['courses', before.courses, before.courses, true],
					['enrollments', before.enrollments, before.enrollments, true],
				]);
				expect(await appWrite(target.tenantId, 'AFTER')).toMatchObject({ status: 201, body: { database: 'dedicated' } });
				expect(await counts(target.tenantId)).toEqual({ courses: 0, enrollments: 0 });
				const subscription = await stripe.subscriptions.retrieve(target.subscriptionId);
				expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['professional_monthly']);
			} finally {
				e2e().sb.clearFaults();
				await restore();
			}
		});

		it.each([
			['the charge', 'POST /v1/subscriptions/{subscription_exposed_id}', 'stripe', { status: 402 }, false],
			['the switch', 'PUT /v1/tenants/{tenantId}/database', 'superAdmin', { status: 409, body: { error: { code: 'conflict', message: 'Injected: the platform refused the switch' } } }, true],
			['the copy', '', '', {}, true],
		] as const)('a failure at %s: still on the shared database, nothing lost, maintenance off, database dropped, proration refunded', async (_what, route, fake, fault, refunded) => {
			const stripe = stripeClient();
			const target = await academy(stripe, { courses: 40, perCourse: 4 });
			tenants.push(target.tenantId);
			if (route) e2e().sb.addFault(fake, { route, fault, times: 1 });
			// The copy fails at a shared row the dedicated schema refuses (no "@" in the e-mail).
			else await admin((c) => c.query("UPDATE shared.enrollments SET member_email = 'broken' WHERE id = (SELECT max(id) FROM shared.enrollments WHERE tenant_id = $1)", [target.tenantId]));
			const before = await counts(target.tenantId);
			try {
				const known = new Set((await executions(workflowId())).map((execution) => execution.id));
				expect((await request(target)).status).toBe(202);
				await confirm(target);
				const run = await finished(known);
				expect(run.status).toBe('error');
				expect(errorOf(run)).toMatch(/was rolled back/);
				await expectRolledBack(stripe, target, before, refunded);
			} finally {
				e2e().sb.clearFaults();
			}
		});
	});
}
