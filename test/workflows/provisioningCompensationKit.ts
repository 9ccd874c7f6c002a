/**
 * A small provisioning run that fails half-way, for the error handler's compensation tests: the steps the self-service
 * (Tier 2) and enterprise (Tier 3) templates take, with their own "Record Receipt": a signup receipt naming the
 * customer (and the paid Checkout Session), a Super Admin tenant and its API key, a tenant database on the sandbox PostgreSQL, a GitLab
 * pipeline with the tenant's variables and a Cloudflare record for its subdomain, then a Stop and Error. Variants leave
 * steps out, the way failingVariants.ts cuts the shipped template.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import type { WorkflowJson } from '../harness';
import type { Sandbox } from './context';

export const FAIL_NODE = 'Fail After Provisioning';
export const GITLAB_PROJECT = 'infra/tenant-stacks';
export const ZONE = 'example.com';
const PACKAGE = 'n8n-nodes-quote-to-cash';

export interface Signup {
	businessKey: string;
	subdomain: string;
	customerEmail: string;
	checkoutSessionId?: string;
	subscriptionId?: string;
}

export type Step = 'tenant' | 'apiKey' | 'database' | 'pipeline' | 'dns';
const ALL_STEPS: Step[] = ['tenant', 'apiKey', 'database', 'pipeline', 'dns'];

type NodeJson = WorkflowJson['nodes'][number];
const start = (field: string) => `={{ $('Start').first().json.${field} }}`;
const receipt = (step?: string) => ({ recordReceipt: true, receiptBusinessKey: start('businessKey'), receiptOptions: step ? { step } : {} });
const tenantId = "={{ $('Create Tenant').first().json.tenant.id }}";

function node(name: string, type: string, x: number, parameters: Record<string, unknown>, credentials?: Record<string, { id: string; name: string }>): NodeJson {
	return { id: `kit-${x}`, name, type, typeVersion: 1, position: [x, 300], parameters, ...(credentials ? { credentials } : {}) } as NodeJson;
}

const STEP_NODES: Record<Step, (x: number) => NodeJson> = {
	tenant: (x) =>
		node(
			'Create Tenant',
			`${PACKAGE}.superAdmin`,
			x,
			{ resource: 'tenant', operation: 'create', businessKey: start('businessKey'), tenantName: start('subdomain'), ownerEmail: start('customerEmail'), tier: 'professional', ...receipt() },
			{ superAdminApi: { id: 'kitSuperAdmin', name: 'Super Admin' } },
		),
	apiKey: (x) =>
		node(
			'Generate API Key',
			`${PACKAGE}.superAdmin`,
			x,
			{ resource: 'apiKey', operation: 'generate', tenantId: { __rl: true, mode: 'id', value: tenantId }, businessKey: start('businessKey'), keyName: 'owner', ...receipt() },
			{ superAdminApi: { id: 'kitSuperAdmin', name: 'Super Admin' } },
		),
	database: (x) =>
		node(
			'Create Database',
			`${PACKAGE}.cloudProvisioning`,
			x,
			// Keyed by the tenant, not the signup: the handler must delete by the key the receipt names.
			{ resource: 'database', operation: 'create', databaseBackend: 'postgresServer', secretStore: 'postgresTable', businessKey: tenantId, ...receipt() },
			{ provisioningPostgresApi: { id: 'kitPostgres', name: 'PostgreSQL' } },
		),
	pipeline: (x) =>
		node(
			'Trigger Pipeline',
			`${PACKAGE}.cloudProvisioning`,
			x,
			{
				resource: 'pipeline',
				operation: 'trigger',
				pipelineProvider: 'gitlab',
				project: { __rl: true, mode: 'id', value: GITLAB_PROJECT },
				businessKey: start('businessKey'),
				ref: 'main',
				variables: { variable: [{ name: 'TENANT_ID', value: tenantId }, { name: 'SUBDOMAIN', value: start('subdomain') }] },
				...receipt(),
			},
			{ provisioningGitlabApi: { id: 'kitGitlab', name: 'GitLab' } },
		),
	dns: (x) =>
		node(
			'Upsert DNS Record',
			`${PACKAGE}.cloudProvisioning`,
			x,
			{
				resource: 'dnsRecord',
				operation: 'upsert',
				dnsProvider: 'cloudflare',
				zone: { __rl: true, mode: 'name', value: ZONE },
				recordNameMode: 'subdomain',
				subdomain: start('subdomain'),
				recordType: 'CNAME',
				content: `={{ 'stack-' + $('Start').first().json.subdomain + '.lb.example.net' }}`,
				...receipt(),
			},
			{ provisioningCloudflareApi: { id: 'kitCloudflare', name: 'Cloudflare' } },
		),
};

/** The run: Start → signup receipt → the chosen steps (in the templates' order) → Stop and Error. */
export function failingProvisioning(steps: Step[] = ALL_STEPS): WorkflowJson {
	const chosen = ALL_STEPS.filter((step) => steps.includes(step));
	const nodes: NodeJson[] = [
		node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
		// The self-service template records the payment as billing.checkout.paid (its subscription, the customer in the
		// subject); a signup known by its Checkout Session names the session and the customer's email instead.
		node('Signup Received', `${PACKAGE}.evidence`, 220, {
			resource: 'receipt',
			operation: 'append',
			businessKey: start('businessKey'),
			workflowStep: "={{ $('Start').first().json.subscriptionId ? 'billing.checkout.paid' : 'signup.received' }}",
			subject: "={{ 'customer:' + $('Start').first().json.customerEmail }}",
			resourceRef: "={{ $('Start').first().json.subscriptionId || $('Start').first().json.checkoutSessionId || $('Start').first().json.businessKey }}",
			policyDecision: "={{ $('Start').first().json.subscriptionId ? '' : { customerEmail: $('Start').first().json.customerEmail } }}",
			options: {},
		}),
		...chosen.map((step, index) => STEP_NODES[step](440 + index * 220)),
		{ ...node(FAIL_NODE, 'n8n-nodes-base.stopAndError', 440 + chosen.length * 220, { errorType: 'errorMessage', errorMessage: 'Simulated failure after provisioning' }) },
	];
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id: 'kitProvisioning', name: 'Provisioning that fails (test)', nodes, connections, settings: { executionOrder: 'v1', errorWorkflow: 'q2cProvisionErrs' } } as WorkflowJson;
}

export function provisioning(sb: Sandbox): any {
	return (sb as unknown as { provisioning: any }).provisioning;
}

/** Names of the databases on the sandbox PostgreSQL that start with `prefix`. */
export async function databasesLike(sb: Sandbox, prefix: string): Promise<string[]> {
	const { host, port, user, password, database } = sb.credentials.provisioningPostgresApi;
	const client = new Client({ host, port: Number(port), user, password: password || undefined, database });
	await client.connect();
	try {
		const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
		return rows.map((row) => row.datname);
	} finally {
		await client.end();
	}
}

/** Drops what a suite left on the sandbox PostgreSQL: tenant databases starting with `prefix`, their roles. */
export async function dropDatabasesLike(sb: Sandbox, prefix: string): Promise<void> {
	const names = await databasesLike(sb, prefix);
	if (names.length === 0) return;
	const { host, port, user, password, database } = sb.credentials.provisioningPostgresApi;
	const client = new Client({ host, port: Number(port), user, password: password || undefined, database });
	await client.connect();
	try {
		for (const name of names) {
			const quoted = `"${name.replace(/"/g, '""')}"`;
			await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
			await client.query(`DROP ROLE IF EXISTS ${quoted}`).catch(() => undefined);
		}
	} finally {
		await client.end();
	}
}

/** The Cloudflare fake's records of a name. */
export function cloudflareRecords(sb: Sandbox, name: string): Array<Record<string, any>> {
	return provisioning(sb).fakes.cloudflare.state().records.filter((record: { name: string }) => record.name === name);
}

/** Writes a record the way someone did before the run (the run then updates it). */
export async function existingCloudflareRecord(sb: Sandbox, name: string, content: string): Promise<void> {
	const { apiToken, baseUrl } = sb.credentials.provisioningCloudflareApi;
	const headers = { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' };
	const zones = (await (await fetch(`${baseUrl}/zones?name=${ZONE}`, { headers })).json()) as { result: Array<{ id: string }> };
	const response = await fetch(`${baseUrl}/zones/${zones.result[0].id}/dns_records`, { method: 'POST', headers, body: JSON.stringify({ type: 'CNAME', name, content, ttl: 300, proxied: false }) });
	if (!response.ok) throw new Error(`Cloudflare fake refused the record: ${await response.text()}`);
}

/** A Checkout Session paid by card in the Stripe fake (what the self-service signup's Stripe Trigger reacts to). */
export async function paidCheckout(sb: Sandbox, businessKey: string, email: string): Promise<Stripe.Checkout.Session> {
	const url = new URL(String(sb.urls.stripe));
	const stripe = new Stripe(String(sb.credentials.billingStripeApi.secretKey), { host: url.hostname, port: Number(url.port), protocol: 'http' });
	const product = await stripe.products.create({ name: 'Professional' });
	const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 9900, recurring: { interval: 'month' } });
	const session = await stripe.checkout.sessions.create({
		mode: 'subscription',
		line_items: [{ price: price.id, quantity: 1 }],
		client_reference_id: businessKey,
		customer_email: email,
		success_url: 'https://app.test/welcome?session={CHECKOUT_SESSION_ID}',
		cancel_url: 'https://app.test/plans',
		subscription_data: { metadata: { q2c_business_key: businessKey } },
	});
	const paid = await fetch(`${url.origin}/__sandbox/checkout/sessions/${session.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'success' }) });
	if (!paid.ok) throw new Error(`the Stripe fake did not take the payment: ${await paid.text()}`);
	return stripe.checkout.sessions.retrieve(session.id);
}
