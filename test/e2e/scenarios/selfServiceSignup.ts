/**
 * workflows/self-service-signup.json as published in real n8n: the customer pays on Stripe Checkout (the sandbox's
 * hosted-page stand-in), Stripe delivers the signed event to the template's Stripe Trigger, and the academy goes
 * live: Tier 1 in seconds (seed 001: < 5 s, measured and printed), Tier 2 with its own PostgreSQL database migrated
 * and its connection string kept out of n8n. A redelivered event changes nothing.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { e2e, errorOf, executions, type Execution } from '../support/context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const { createSignupCheckout, PLAN_PRICES: PRICES } = require('../../../sandbox/stripe/signupCheckout');

function stripeClient(): Stripe {
	const { sb } = e2e();
	const url = new URL(String(sb.urls.stripe));
	return new Stripe(String(sb.credentials.billingStripeApi.secretKey), { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
}

/** A Checkout Session for a plan's price (by lookup key), as the pricing page creates it. */
const checkout = (stripe: Stripe, lookupKey: string): Promise<{ businessKey: string; email: string; session: Stripe.Checkout.Session }> => createSignupCheckout(stripe, lookupKey, { keyPrefix: 'signup-e2e-' });

async function pay(sessionId: string, outcome = 'success'): Promise<{ status: number; body: any }> {
	const response = await fetch(`${e2e().sb.urls.stripe}/__sandbox/checkout/sessions/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
	const answer = { status: response.status, body: await response.json() };
	if (outcome === 'success') expect(answer.status).toBe(200);
	return answer;
}

async function newRuns(known: Set<string>, count: number, timeoutMs = 120_000, id = e2e().ids.selfService): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await executions(id)).filter((execution) => !known.has(execution.id));
		if (fresh.length >= count && fresh.every((execution) => execution.stoppedAt)) break;
		if (Date.now() > deadline) throw new Error(`expected ${count} new self-service run(s), saw ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
		await sleep(100);
	}
	return (await executions(id, true)).filter((execution) => !known.has(execution.id));
}

const knownRuns = async (id = e2e().ids.selfService) => new Set((await executions(id)).map((execution) => execution.id));
const tenantsOf = (businessKey: string) => (e2e().sb.state().superAdmin.tenants as Array<Record<string, any>>).filter((tenant) => tenant.businessKey === businessKey);

/** Drops the Tier 2 databases (and their roles) the scenario's sign-ups got on the sandbox's PostgreSQL. */
async function dropSignupDatabases(): Promise<void> {
	const pg = e2e().sb.credentials.provisioningPostgresApi;
	const admin = new Client({ host: String(pg.host), port: Number(pg.port), user: String(pg.user), password: String(pg.password) || undefined, database: String(pg.database) });
	await admin.connect();
	try {
		const { rows } = await admin.query("SELECT datname FROM pg_database WHERE starts_with(datname, 'tenant_signup_e2e_')");
		for (const { datname } of rows as Array<{ datname: string }>) {
			await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
			await admin.query(`DROP ROLE IF EXISTS "${datname}"`).catch(() => undefined);
		}
	} finally {
		await admin.end();
	}
}

export function selfServiceSignup(): void {
	describe('self-service signup template', () => {
		afterAll(() => dropSignupDatabases());
		it('Tier 1: paid checkout → tenant, owner API key and welcome email in under 5 s; a redelivery changes nothing', async () => {
			const { sb, selfServiceUrl } = e2e();
			const stripe = stripeClient();
			const { businessKey, email, session } = await checkout(stripe, 'grassroots_monthly');
			const known = await knownRuns();
			const started = Date.now();
			await pay(session.id);
			await sb.mail.waitFor(1, 20_000);
			const liveMs = Date.now() - started;
			process.stdout.write(`[e2e] Tier 1 signup: payment → academy live and welcome email in ${liveMs} ms (seed 001: < 5 s)\n`);
			const [run, ...extra] = await newRuns(known, 1);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			expect(extra).toEqual([]);
			expect(liveMs).toBeLessThan(5000);
			const [tenant, ...otherTenants] = tenantsOf(businessKey);
			expect(otherTenants).toEqual([]);
			expect((sb.state().superAdmin.apiKeys as Array<Record<string, any>>).filter((key) => key.tenantId === tenant.id)).toHaveLength(1);
			const [welcome, ...otherMail] = sb.mail.messages();
			expect(otherMail).toEqual([]);
			expect(welcome.to).toEqual([email]);

			// Another delivery of the same payment (Stripe resends under a new event id): the sign-up is live, nothing starts.
			const again = await knownRuns();
			const event = { id: `evt_e2e_${session.id}`, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: await stripe.checkout.sessions.retrieve(session.id) } };
			const body = JSON.stringify(event);
			const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: String(sb.credentials.stripeWebhookApi.signingSecret) });
			const answer = await fetch(selfServiceUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
			expect(answer.status).toBe(200);
			expect(await answer.json()).toMatchObject({ duplicate: true, finished: expect.stringMatching(/^provisioning\.(committed|live)$/) });
			// A forged one (signed with another secret) is refused before anything runs.
			const forged = await fetch(selfServiceUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_forged' }) }, body });
			expect(forged.status).toBe(401);
			await sleep(2000);
			expect((await executions(e2e().ids.selfService)).filter((execution) => !again.has(execution.id))).toEqual([]);
			expect(tenantsOf(businessKey)).toHaveLength(1);
		});

		it('Tier 2: a real database with the migrated schema; its connection string is a secret n8n never holds', async () => {
			const { sb } = e2e();
			const { businessKey, session } = await checkout(stripeClient(), 'professional_monthly');
			const known = await knownRuns();
			const started = Date.now();
			await pay(session.id);
			const [run] = await newRuns(known, 1);
			process.stdout.write(`[e2e] Tier 2 signup: payment → database migrated and academy live in ${Date.now() - started} ms\n`);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			expect(tenantsOf(businessKey)).toEqual([expect.objectContaining({ tier: 'professional' })]);

			const pg = sb.credentials.provisioningPostgresApi;
			const admin = new Client({ host: String(pg.host), port: Number(pg.port), user: String(pg.user), password: String(pg.password) || undefined, database: String(pg.database) });
			await admin.connect();
			let connectionString: string;
			try {
				const { rows } = await admin.query('SELECT value FROM q2c_provisioning_secrets WHERE name = $1', [`tenants/${businessKey}/database-url`]);
				connectionString = rows[0].value;
			} finally {
				await admin.end();
			}
			// The tenant's application reads the connection from the vault and finds the platform's schema.
			const tenant = new Client({ connectionString });
			await tenant.connect();
			const tables = await tenant.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").finally(() => tenant.end());
			expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toEqual(expect.arrayContaining(['courses', 'enrollments']));
			const password = decodeURIComponent(new URL(connectionString).password);
			expect(password.length).toBeGreaterThan(8);
			expect(JSON.stringify(run.data)).not.toContain(password);
			expect(JSON.stringify(await e2e().ledger.list(businessKey))).not.toContain(password);
		});

		it('a hard-declined card, then the checkout expires: nothing provisioned, the customer is told why', async () => {
			const { sb } = e2e();
			const stripe = stripeClient();
			const { businessKey, email, session } = await checkout(stripe, 'grassroots_monthly');
			const known = await knownRuns();
			const declined = await pay(session.id, 'hard_decline');
			expect({ status: declined.status, code: declined.body.error?.decline_code }).toEqual({ status: 402, code: 'stolen_card' });
			await stripe.checkout.sessions.expire(session.id);
			const [run, ...extra] = await newRuns(known, 1);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			expect(extra).toEqual([]);
			const [mail] = await sb.mail.waitFor(1, 20_000);
			expect(mail.to).toEqual([email]);
			expect(mail.text).toContain('Your payment could not be processed. Please check your card details or try a different card.');
			expect(tenantsOf(businessKey)).toEqual([]);
		});

		it('Tier 2 failing after its database was created: the error workflow deletes it, refunds, marks the tenant, tells the customer and ops', async () => {
			const { sb, ids } = e2e();
			const stripe = stripeClient();
			const { businessKey, email, session } = await checkout(stripe, 'professional_monthly');
			const known = await knownRuns();
			const knownHandlers = await knownRuns(ids.errors);
			sb.addFault('superAdmin', { route: 'POST /v1/tenants/{tenantId}/subscription/enable', fault: { status: 400 } });
			await pay(session.id);
			const [run] = await newRuns(known, 1);
			expect(run.status).toBe('error');
			const [handler, ...otherHandlers] = await newRuns(knownHandlers, 1, 120_000, ids.errors);
			sb.clearFaults();
			expect({ status: handler.status, error: errorOf(handler) }).toEqual({ status: 'success', error: '' });
			expect(otherHandlers).toEqual([]);

			const created = String((run.data?.resultData?.runData?.['Create Database (PostgreSQL Server)']?.[0]?.data?.main?.[0]?.[0]?.json as any)?.databaseName);
			const pg = sb.credentials.provisioningPostgresApi;
			const admin = new Client({ host: String(pg.host), port: Number(pg.port), user: String(pg.user), password: String(pg.password) || undefined, database: String(pg.database) });
			await admin.connect();
			const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [created]).finally(() => admin.end());
			expect(created).toMatch(/^tenant_signup_e2e_/);
			expect(left.rowCount).toBe(0);

			const refunds = (sb.state().stripe.objects.refund ?? []).filter((refund: any) => refund.metadata?.q2c_business_key === businessKey);
			expect(refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: PRICES.professional_monthly })]);
			const steps = (await e2e().ledger.list(businessKey)).map((receipt) => receipt.workflow_step);
			expect(steps).toEqual(expect.arrayContaining(['compensation.provisioning.database.delete', 'compensation.billing.refund.create', 'exception']));
			await sb.mail.waitFor(2, 20_000);
			const toCustomer = sb.mail.messages().filter((message) => message.to.includes(email));
			expect(toCustomer).toHaveLength(1);
			expect(toCustomer[0].text).toMatch(/refunded/);
			expect(sb.mail.messages().filter((message) => !message.to.includes(email)).length).toBeGreaterThanOrEqual(1);
		});
	});
}
