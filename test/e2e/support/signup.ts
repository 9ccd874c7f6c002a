/**
 * What the self-service e2e scenarios share: the customer's side of Stripe Checkout (a session for a plan, the hosted
 * page's pay button), the template's runs, the Super Admin's tenants and the sandbox's PostgreSQL.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { e2e, executions, sleep, type Execution } from './context';

const { createSignupCheckout, PLAN_PRICES } = require('../../../sandbox/stripe/signupCheckout');

export const PRICES: Record<string, number> = PLAN_PRICES;

export function stripeClient(): Stripe {
	const { sb } = e2e();
	const url = new URL(String(sb.urls.stripe));
	return new Stripe(String(sb.credentials.billingStripeApi.secretKey), { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
}

/** A Checkout Session for a plan's price (by lookup key), as the pricing page creates it. */
export const checkout = (stripe: Stripe, lookupKey: string): Promise<{ businessKey: string; email: string; session: Stripe.Checkout.Session }> =>
	createSignupCheckout(stripe, lookupKey, { keyPrefix: 'signup-e2e-' });

/** The hosted Checkout page's pay button with a test outcome (success | async | soft_decline | hard_decline | expire). */
export async function pay(sessionId: string, outcome = 'success'): Promise<{ status: number; body: any }> {
	const response = await fetch(`${e2e().sb.urls.stripe}/__sandbox/checkout/sessions/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
	const answer = { status: response.status, body: await response.json() };
	if (outcome === 'success') expect(answer.status).toBe(200);
	return answer;
}

export const knownRuns = async (id = e2e().ids.selfService): Promise<Set<string>> => new Set((await executions(id)).map((execution) => execution.id));

/** Waits until `count` runs not in `known` exist and all have stopped; returns them with their data. */
export async function newRuns(known: Set<string>, count: number, timeoutMs = 120_000, id = e2e().ids.selfService): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await executions(id)).filter((execution) => !known.has(execution.id));
		if (fresh.length >= count && fresh.every((execution) => execution.stoppedAt)) break;
		if (Date.now() > deadline) throw new Error(`expected ${count} new run(s) of ${id}, saw ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
		await sleep(100);
	}
	return (await executions(id, true)).filter((execution) => !known.has(execution.id));
}

export const tenantsOf = (businessKey: string): Array<Record<string, any>> =>
	(e2e().sb.state().superAdmin.tenants as Array<Record<string, any>>).filter((tenant) => tenant.businessKey === businessKey);

/** A connection to the sandbox's PostgreSQL as its administrator (the provisioning credential's server). */
export async function adminPg(): Promise<Client> {
	const pg = e2e().sb.credentials.provisioningPostgresApi;
	const admin = new Client({ host: String(pg.host), port: Number(pg.port), user: String(pg.user), password: String(pg.password) || undefined, database: String(pg.database) });
	await admin.connect();
	return admin;
}

/** Drops the Tier 2 databases (and their roles) the scenarios' sign-ups got on the sandbox's PostgreSQL. */
export async function dropSignupDatabases(): Promise<void> {
	const admin = await adminPg();
	try {
		const { rows } = await admin.query("SELECT datname FROM pg_database WHERE starts_with(datname, 'tenant_signup_e2e_')");
		for (const { datname } of rows as Array<{ datname: string }>) {
			await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
			await admin.query(`DROP ROLE IF EXISTS "${datname}"`).catch(() => undefined);
		}
		const roles = await admin.query("SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'tenant_signup_e2e_')");
		for (const { rolname } of roles.rows as Array<{ rolname: string }>) await admin.query(`DROP ROLE IF EXISTS "${rolname}"`).catch(() => undefined);
	} finally {
		await admin.end();
	}
}
