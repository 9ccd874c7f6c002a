/**
 * What the self-service signup tests share: the sandbox with a receiver registered as a Stripe webhook endpoint (the
 * Stripe fake signs and sends every Checkout event to it, exactly as Stripe would to n8n), signups paid through the
 * hosted-page stand-in, and the template run from the delivered event with n8n's Wait node registered.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import Stripe from 'stripe';
import { baseNodeTypes, harnessNodeTypes, runWebhook, type HarnessNodeTypes, type WebhookRun, type WorkflowJson, type WorkflowRunResult } from '../harness';
import { openSandbox, type Sandbox } from './context';

export const TRIGGER = 'Stripe Trigger';

export interface DeliveredEvent {
	id: string;
	type: string;
	objectId: string;
	headers: Record<string, string>;
	rawBody: string;
}

export interface Signup {
	businessKey: string;
	email: string;
	sessionId: string;
}

/** The sandbox members these tests use beyond the shared Sandbox type (see sandbox/README.md). */
export type SelfServiceSandbox = Sandbox & {
	addStripeWebhookEndpoint(url: string, enabledEvents?: string[]): unknown;
	provisioning: { fakes: { rds: { failNext(kind: string, times?: number): void } } };
};

export interface SelfServiceStack {
	sb: SelfServiceSandbox;
	stripe: Stripe;
	nodeTypes: HarnessNodeTypes;
	/** A Checkout Session for `plan` (a tier name or a price lookup key) with a fresh business key and email. */
	signup(plan: string): Promise<Signup>;
	pay(sessionId: string, outcome: 'success' | 'async' | 'soft_decline' | 'hard_decline' | 'expire'): Promise<{ status: number; body: any }>;
	settle(sessionId: string, result: 'succeeded' | 'failed'): Promise<{ status: number; body: any }>;
	/** The signed delivery of `type` about `objectId`, once the fake has sent it. */
	event(type: string, objectId: string): Promise<DeliveredEvent>;
	events(objectId: string): DeliveredEvent[];
	deliver(workflow: WorkflowJson, event: DeliveredEvent, options?: { staticData?: Record<string, any>; executionId?: string }): Promise<WebhookRun>;
	admin<T>(work: (client: Client) => Promise<T>, database?: string): Promise<T>;
	/** The tenant database a run's create node made (remembered for cleanUp), and whether it exists on the server now. */
	tenantDatabase(run: WorkflowRunResult, createNode: string): Promise<{ name: string; exists: boolean }>;
	/** Drops the tenant databases and roles of tenantDatabase, and the vault entries of every signup. */
	cleanUp(): Promise<void>;
	close(): Promise<void>;
}

const { createSignupCheckout } = require('../../sandbox/stripe/signupCheckout');

export async function openSelfServiceStack(): Promise<SelfServiceStack> {
	const sb = (await openSandbox()) as SelfServiceSandbox;
	const received: DeliveredEvent[] = [];
	const businessKeys: string[] = [];
	const databaseNames = new Set<string>();
	const receiver: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const event = JSON.parse(rawBody);
			const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
			received.push({ id: event.id, type: event.type, objectId: event.data.object.id, headers, rawBody });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	sb.addStripeWebhookEndpoint(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/stripe`);

	const stripeUrl = new URL(String(sb.urls.stripe));
	const stripe = new Stripe(String(sb.credentials.billingStripeApi.secretKey), { host: stripeUrl.hostname, port: Number(stripeUrl.port), protocol: 'http', maxNetworkRetries: 0 });
	const sandboxPost = async (path: string, body: unknown) => {
		const response = await fetch(`${sb.urls.stripe}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: response.status, body: await response.json() };
	};
	const pg = sb.credentials.provisioningPostgresApi;
	const admin = async <T>(work: (client: Client) => Promise<T>, database = String(pg.database)): Promise<T> => {
		const client = new Client({ host: String(pg.host), port: Number(pg.port), user: String(pg.user), password: String(pg.password), database });
		await client.connect();
		try {
			return await work(client);
		} finally {
			await client.end();
		}
	};

	return {
		sb,
		stripe,
		nodeTypes: withWaitNode(),
		async signup(plan) {
			const { businessKey, email, session } = await createSignupCheckout(stripe, plan);
			businessKeys.push(businessKey);
			return { businessKey, email, sessionId: session.id };
		},
		pay: (sessionId, outcome) => sandboxPost(`/__sandbox/checkout/sessions/${sessionId}/pay`, { outcome }),
		settle: (sessionId, result) => sandboxPost(`/__sandbox/checkout/sessions/${sessionId}/settle`, { result }),
		async event(type, objectId) {
			const deadline = Date.now() + 5000;
			for (;;) {
				const found = received.find((event) => event.type === type && event.objectId === objectId);
				if (found) return found;
				if (Date.now() > deadline) throw new Error(`no ${type} for ${objectId}; received: ${received.map((e) => e.type).join(', ')}`);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
		events: (objectId) => received.filter((event) => event.objectId === objectId),
		deliver: (workflow, event, options = {}) =>
			runWebhook(workflow, TRIGGER, { method: 'POST', headers: event.headers, rawBody: event.rawBody }, { credentials: sb.credentials, nodeTypes: withWaitNode(), ...options }),
		admin,
		async tenantDatabase(run, createNode) {
			const name = String(run.nodeOutput(createNode)[0].databaseName);
			databaseNames.add(name);
			const found = await admin(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
			return { name, exists: found === 1 };
		},
		async cleanUp() {
			await admin(async (client) => {
				for (const name of [...databaseNames].filter((candidate) => /^[a-z0-9_]+$/.test(candidate))) {
					await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
					await client.query(`DROP ROLE IF EXISTS ${name}`);
				}
				const secrets = [...[...databaseNames].map((name) => `q2c/postgres/${name}`), ...businessKeys.map((key) => `tenants/${key}/database-url`)];
				await client.query('DELETE FROM q2c_provisioning_secrets WHERE name = ANY($1)', [secrets]).catch(() => undefined);
			});
		},
		async close() {
			await new Promise((resolve) => receiver.close(resolve));
			await sb.close();
		},
	};
}

let waitNodeTypes: HarnessNodeTypes | undefined;

/** Our nodes and the default base nodes, plus n8n's Wait node (the Tier 2 polling loop). */
export function withWaitNode(): HarnessNodeTypes {
	return (waitNodeTypes ??= harnessNodeTypes(baseNodeTypes(['wait'])));
}

/** A copy of the template with Config values replaced (a deep merge into the Config node's JSON). */
export function withConfig(template: WorkflowJson, patch: Record<string, unknown>): WorkflowJson {
	const copy = structuredClone(template);
	const config = copy.nodes.find((node) => node.name === 'Config');
	if (!config) throw new Error('the template has no Config node');
	const merged = merge(JSON.parse(String(config.parameters.jsonOutput)), patch);
	config.parameters.jsonOutput = JSON.stringify(merged, null, 2);
	return copy;
}

function merge(target: Record<string, any>, patch: Record<string, any>): Record<string, any> {
	for (const [key, value] of Object.entries(patch)) {
		target[key] = value && typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object' ? merge(target[key], value) : value;
	}
	return target;
}

