/**
 * The self-service building blocks in real n8n: a card payment in Stripe Checkout (the sandbox's hosted-page stand-in)
 * sends a signed `checkout.session.completed` to our Stripe Trigger, and the Cloud Provisioning node creates the
 * tenant's own PostgreSQL database (PostgreSQL Server backend, on the sandbox's cluster), runs the platform's
 * migrations in it and reads its status. Credentials and the workflow are created through n8n's public API, as a
 * user would in the editor, and removed afterwards.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { api, e2e, errorOf, executions, outputOf, type Execution } from '../support/context';

const { waitForWebhook } = require('../../../scripts/n8n/api');

const PACKAGE = 'n8n-nodes-quote-to-cash';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function finishedRuns(workflowId: string, known: Set<string>, count: number, settleMs = 3000): Promise<Execution[]> {
	const deadline = Date.now() + 90_000;
	for (;;) {
		const fresh = (await executions(workflowId)).filter((execution) => !known.has(execution.id));
		if (fresh.length >= count && fresh.every((execution) => execution.stoppedAt)) break;
		if (Date.now() > deadline) throw new Error(`expected ${count} new execution(s) of ${workflowId}, saw ${fresh.length}`);
		await sleep(300);
	}
	await sleep(settleMs);
	return (await executions(workflowId, true)).filter((execution) => !known.has(execution.id)).sort((a, b) => Number(a.id) - Number(b.id));
}

function workflowJson(webhookId: string, credentials: { stripe: { id: string; name: string }; postgres: { id: string; name: string } }) {
	const signup = "={{ $('Stripe Trigger').item.json.businessKey }}";
	// The create's receipt tells the trigger's once-per-sign-up gate that the run has started.
	const receipt = (operation: string) => (operation === 'create' ? { recordReceipt: true, receiptBusinessKey: signup } : {});
	const database = (name: string, operation: string, position: [number, number]) => ({
		name,
		type: `${PACKAGE}.cloudProvisioning`,
		typeVersion: 1,
		position,
		parameters: { resource: 'database', operation, databaseBackend: 'postgresServer', businessKey: signup, ...receipt(operation) },
		credentials: { provisioningPostgresApi: credentials.postgres },
	});
	return {
		name: 'e2e: paid checkout → tenant database',
		nodes: [
			{ name: 'Stripe Trigger', type: `${PACKAGE}.stripeTrigger`, typeVersion: 1, position: [0, 0], webhookId, parameters: { events: ['checkout.session.completed'] }, credentials: { stripeWebhookApi: credentials.stripe } },
			database('Create Database', 'create', [220, 0]),
			{
				name: 'Run Migrations',
				type: `${PACKAGE}.cloudProvisioning`,
				typeVersion: 1,
				position: [440, 0],
				parameters: { resource: 'migration', operation: 'run', databaseBackend: 'postgresServer', businessKey: "={{ $('Stripe Trigger').item.json.businessKey }}" },
				credentials: { provisioningPostgresApi: credentials.postgres },
			},
			database('Get Database', 'get', [660, 0]),
		],
		connections: {
			'Stripe Trigger': { main: [[{ node: 'Create Database', type: 'main', index: 0 }]] },
			'Create Database': { main: [[{ node: 'Run Migrations', type: 'main', index: 0 }]] },
			'Run Migrations': { main: [[{ node: 'Get Database', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

export function selfServiceNodes(): void {
	describe('self-service nodes in real n8n', () => {
		const created: { workflows: string[]; credentials: string[]; endpoints: string[] } = { workflows: [], credentials: [], endpoints: [] };
		afterAll(async () => {
			const { sb } = e2e();
			for (const id of created.endpoints) await fetch(`${sb.urls.stripe}/__sandbox/stripe/webhook-endpoints/${id}`, { method: 'DELETE' }).catch(() => undefined);
			for (const id of created.workflows) {
				await api('POST', `/workflows/${encodeURIComponent(id)}/deactivate`).catch(() => undefined);
				await api('DELETE', `/workflows/${encodeURIComponent(id)}`).catch(() => undefined);
			}
			for (const id of created.credentials) await api('DELETE', `/credentials/${encodeURIComponent(id)}`).catch(() => undefined);
		});

		it('a paid checkout → one run: a real tenant database with the migrated schema, no password in the run data', async () => {
			const { sb, baseUrl } = e2e();
			const credential = async (type: string, name: string) => {
				const answer = await api('POST', '/credentials', { name, type, data: sb.credentials[type] });
				created.credentials.push(String(answer.id));
				return { id: String(answer.id), name };
			};
			const stripeCredential = await credential('stripeWebhookApi', 'Stripe Webhook (e2e)');
			const postgresCredential = await credential('provisioningPostgresApi', 'PostgreSQL Server (e2e)');
			const webhookId = `q2c-e2e-self-service-${Date.now()}`;
			const workflow = workflowJson(webhookId, { stripe: stripeCredential, postgres: postgresCredential });
			const answer = await api('POST', '/workflows', workflow);
			const workflowId = String(answer.id);
			created.workflows.push(workflowId);
			await api('POST', `/workflows/${encodeURIComponent(workflowId)}/activate`);
			const url = `${baseUrl}/webhook/${webhookId}/webhook`;
			await waitForWebhook(url, { timeoutMs: 60_000 });
			created.endpoints.push(sb.addStripeWebhookEndpoint(url, ['checkout.session.completed']).id);

			// The customer pays on the (stand-in) hosted page; Stripe then delivers the signed event to the trigger.
			const signup = `SIGNUP-${Date.now().toString(36)}`;
			const stripe = new Stripe(sb.credentials.billingStripeApi.secretKey, { host: new URL(sb.urls.stripe).hostname, port: Number(new URL(sb.urls.stripe).port), protocol: 'http' });
			const product = await stripe.products.create({ name: 'Professional' });
			const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 9900, recurring: { interval: 'month' } });
			const session = await stripe.checkout.sessions.create({
				mode: 'subscription',
				line_items: [{ price: price.id, quantity: 1 }],
				client_reference_id: signup,
				customer_email: 'owner@academy.test',
				success_url: 'https://academy.test/welcome?session={CHECKOUT_SESSION_ID}',
				cancel_url: 'https://academy.test/cancel',
			});
			const known = new Set((await executions(workflowId)).map((execution) => execution.id));
			const paid = await fetch(`${sb.urls.stripe}/__sandbox/checkout/sessions/${session.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'success' }) });
			expect(paid.status).toBe(200);

			const [run, ...extra] = await finishedRuns(workflowId, known, 1);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			expect(extra).toEqual([]);
			expect(outputOf(run, 'Stripe Trigger')).toMatchObject({ businessKey: signup, outcome: 'payment_confirmed' });
			const database = outputOf(run, 'Get Database')!;
			expect(database).toMatchObject({ backend: 'postgresServer', status: 'available', ready: true });
			expect(outputOf(run, 'Run Migrations')?.applied).toHaveLength(2);

			// Real: the database exists on the cluster, owned by its own role, with the platform's tables.
			const admin = sb.credentials.provisioningPostgresApi;
			const client = new Client({ host: admin.host, port: Number(admin.port), user: admin.user, password: admin.password || undefined, database: database.databaseName });
			await client.connect();
			try {
				const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('courses', 'enrollments') ORDER BY 1");
				expect(rows.map((row: { tablename: string }) => row.tablename)).toEqual(['courses', 'enrollments']);
			} finally {
				await client.end();
			}
			// The tenant's password never reaches n8n's execution data (only a secret reference does).
			const stored = JSON.stringify(run.data);
			expect(stored).not.toMatch(/postgres(ql)?:\/\/[^"\s]*:[^"\s@]+@/);
			expect(database.secretReference).toEqual(expect.any(String));

			const receipts = await e2e().ledger.list(signup);
			expect(receipts.map((r) => r.workflow_step)).toEqual(['provisioning.database.create']);
			expect(JSON.stringify(receipts)).not.toContain(admin.password || 'no-password-configured');

			// Stripe redelivers the same event (same id, signed again): acknowledged as a duplicate, no second run.
			const again = new Set((await executions(workflowId)).map((execution) => execution.id));
			const event = { id: outputOf(run, 'Stripe Trigger')!.eventId, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), livemode: false, api_version: '2026-10-28.endive', data: { object: await stripe.checkout.sessions.retrieve(session.id) } };
			const body = JSON.stringify(event);
			const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: sb.credentials.stripeWebhookApi.signingSecret });
			const redelivery = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
			expect(redelivery.status).toBe(200);
			expect(await redelivery.json()).toMatchObject({ duplicate: true });
			await sleep(3000);
			expect((await executions(workflowId)).filter((execution) => !again.has(execution.id))).toEqual([]);
			// A forged delivery is refused before any run.
			const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_forged' }) }, body });
			expect(forged.status).toBe(401);
		});
	});
}
