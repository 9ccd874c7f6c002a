/**
 * workflows/self-service-signup.json as published in real n8n: the customer pays on Stripe Checkout (the sandbox's
 * hosted-page stand-in), Stripe delivers the signed event to the template's Stripe Trigger, and the academy goes
 * live: Tier 1 in seconds (seed 001: < 5 s, measured and printed), Tier 2 with its own PostgreSQL database migrated
 * and its connection string kept out of n8n. A redelivered event changes nothing.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { postgresName, rdsIdentifier } from '../../../connectors/provisioning/database/names';
import { api, e2e, errorOf, executions, sleep } from '../support/context';
import { adminPg, checkout, dropSignupDatabases, knownRuns, newRuns, pay, PRICES, stripeClient, tenantsOf } from '../support/signup';

/** The provisioning fakes of the sandbox (sandbox/provisioning), untyped in the e2e Sandbox type. */
const fakes = () => (e2e().sb as unknown as { provisioning: { fakes: Record<string, { state(): any }> } }).provisioning.fakes;

/** A signed checkout.session.completed for the session as it is now (what Stripe sends, under one event id). */
async function completedEvent(stripe: Stripe, sessionId: string, eventId: string): Promise<{ body: string; sign(): string }> {
	const event = { id: eventId, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: await stripe.checkout.sessions.retrieve(sessionId) } };
	const body = JSON.stringify(event);
	return { body, sign: () => Stripe.webhooks.generateTestHeaderString({ payload: body, secret: String(e2e().sb.credentials.stripeWebhookApi.signingSecret) }) };
}

/** Changes the published template's Config the way a business user would in the editor; returns the undo. */
async function changeConfig(change: (config: any) => void): Promise<() => Promise<void>> {
	const id = e2e().ids.selfService;
	const shipped = await api('GET', `/workflows/${encodeURIComponent(id)}`);
	const save = async (nodes: any[]) => {
		await api('PUT', `/workflows/${encodeURIComponent(id)}`, { name: shipped.name, nodes, connections: shipped.connections, settings: shipped.settings });
		// n8n 2 saves a new version; webhooks run the published one until it is published again (off and on, so the
		// webhook is registered anew with the new version, not served from what was cached for the old one).
		await api('POST', `/workflows/${encodeURIComponent(id)}/deactivate`);
		await api('POST', `/workflows/${encodeURIComponent(id)}/activate`);
		const saved = await api('GET', `/workflows/${encodeURIComponent(id)}`);
		if (saved.active !== true || (saved.activeVersionId && saved.activeVersionId !== saved.versionId)) {
			throw new Error(`the self-service template ${id} does not publish its new version (${saved.activeVersionId} ≠ ${saved.versionId})`);
		}
	};
	await save(
		shipped.nodes.map((node: any) => {
			if (node.name !== 'Config') return node;
			const config = JSON.parse(node.parameters.jsonOutput);
			change(config);
			return { ...node, parameters: { ...node.parameters, jsonOutput: JSON.stringify(config, null, 2) } };
		}),
	);
	return () => save(shipped.nodes);
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
			const { businessKey, session } = await checkout(stripeClient(), 'professional_monthly');
			const known = await knownRuns();
			const started = Date.now();
			await pay(session.id);
			const [run] = await newRuns(known, 1);
			process.stdout.write(`[e2e] Tier 2 signup: payment → database migrated and academy live in ${Date.now() - started} ms\n`);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			expect(tenantsOf(businessKey)).toEqual([expect.objectContaining({ tier: 'professional' })]);

			const admin = await adminPg();
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

		it('the same checkout event delivered 3× at once, racing Stripe\'s own delivery: one run, one tenant, one database', async () => {
			const { selfServiceUrl } = e2e();
			const stripe = stripeClient();
			const { businessKey, session } = await checkout(stripe, 'professional_monthly');
			const known = await knownRuns();
			await pay(session.id);
			const event = await completedEvent(stripe, session.id, `evt_e2e_3x_${session.id}`);
			const post = async () => {
				const response = await fetch(selfServiceUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': event.sign() }, body: event.body });
				return { status: response.status, body: (await response.json()) as { duplicate?: boolean } };
			};
			const answers = await Promise.all([post(), post(), post()]);
			expect(answers.map((answer) => answer.status).every((status) => status === 200 || status === 503)).toBe(true);
			const [run, ...extra] = await newRuns(known, 1);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			// Stripe redelivers what was answered 503; by now the signup is live and every delivery is a duplicate.
			const later = await Promise.all([post(), post(), post()]);
			expect(later.map((answer) => [answer.status, answer.body.duplicate])).toEqual([[200, true], [200, true], [200, true]]);
			await sleep(2000);
			expect(extra).toEqual([]);
			expect((await executions(e2e().ids.selfService)).filter((execution) => !known.has(execution.id))).toHaveLength(1);
			expect(tenantsOf(businessKey)).toHaveLength(1);
			const admin = await adminPg();
			const databases = await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [postgresName(businessKey)]).finally(() => admin.end());
			expect(databases.rows).toEqual([{ datname: postgresName(businessKey) }]);
		});

		it('past the configured time (set to 0 minutes, on RDS): "being set up" to the customer, ops told, then the welcome email', async () => {
			const { sb } = e2e();
			const restore = await changeConfig((config) => {
				config.database.backend = 'rds';
				config.database.pollEverySeconds = 2;
				config.beingSetUpAfterMinutes = 0;
			});
			try {
				const { businessKey, email, session } = await checkout(stripeClient(), 'professional_monthly');
				const known = await knownRuns();
				const started = Date.now();
				await pay(session.id);
				const [run] = await newRuns(known, 1);
				process.stdout.write(`[e2e] Tier 2 signup on RDS: payment → instance available, migrated, live in ${Date.now() - started} ms\n`);
				expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
				expect(Object.keys(run.data?.resultData?.runData ?? {})).toEqual(expect.arrayContaining(['Create Database (RDS)', 'Email: Being Set Up', 'Run Migrations (RDS)']));
				await sb.mail.waitFor(3, 20_000);
				const mails = sb.mail.messages();
				const toCustomer = mails.filter((message) => message.to.includes(email)).map((message) => message.subject);
				expect(toCustomer).toEqual(['Your academy is being set up', 'Welcome to Diquis: your academy is ready']);
				expect(mails.filter((message) => !message.to.includes(email)).map((message) => message.subject)).toEqual([expect.stringContaining(`Signup ${businessKey}: the dedicated database is taking longer`)]);
				const instance = fakes().rds.state().instances.find((candidate: any) => candidate.DBInstanceIdentifier === rdsIdentifier(businessKey));
				expect(instance).toEqual(expect.objectContaining({ DBInstanceStatus: 'available' }));
				expect(fakes().secretsManager.state().secrets.map((secret: any) => secret.Name)).toContain(`tenants/${businessKey}/database-url`);
			} finally {
				await restore();
			}
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
			const admin = await adminPg();
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
