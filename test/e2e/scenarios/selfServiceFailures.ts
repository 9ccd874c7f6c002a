/**
 * workflows/self-service-signup.json when provisioning fails, in real n8n: whichever step fails, the error workflow
 * leaves nothing half-done. What the run created is undone (database dropped, API key revoked, entitlement off),
 * the payment is refunded, a tenant it created is marked Provisioning Failed, and the customer and ops are told.
 * A step fails the way it would in production: the Super Admin refuses a call (sandbox fault), a leftover role of
 * the same name makes the database create a conflict (and is not ours to drop), the secret store refuses the
 * connection string (a PostgreSQL trigger on the vault table).
 */
import { PostgresTableVault } from '../../../connectors/provisioning/database/postgresTableVault';
import { postgresName } from '../../../connectors/provisioning/database/names';
import { e2e, errorOf } from '../support/context';
import { adminPg, checkout, dropSignupDatabases, knownRuns, newRuns, pay, PRICES, stripeClient, tenantsOf } from '../support/signup';

interface Failure {
	businessKey: string;
	email: string;
	/** What the failed run returned per node (first item). */
	output(node: string): Record<string, any> | undefined;
	steps: string[];
}

/** A paid signup for `lookupKey` whose run fails (after `arm`); waits for the run and the error workflow. */
async function failingSignup(lookupKey: string, arm: (businessKey: string) => Promise<void> | void): Promise<Failure> {
	const { sb, ids, ledger } = e2e();
	const { businessKey, email, session } = await checkout(stripeClient(), lookupKey);
	const known = await knownRuns();
	const knownHandlers = await knownRuns(ids.errors);
	await arm(businessKey);
	await pay(session.id);
	const [run, ...extra] = await newRuns(known, 1);
	expect(extra).toEqual([]);
	expect(run.status).toBe('error');
	const handlers = await newRuns(knownHandlers, 1, 150_000, ids.errors);
	sb.clearFaults();
	expect(handlers.map((handler) => [handler.status, errorOf(handler)])).toEqual([['success', '']]);
	const runData = (run.data?.resultData?.runData ?? {}) as Record<string, any[]>;
	return {
		businessKey,
		email,
		output: (node) => runData[node]?.[0]?.data?.main?.[0]?.[0]?.json,
		steps: (await ledger.list(businessKey)).map((receipt) => receipt.workflow_step),
	};
}

/** Refunded in full, one email to the customer saying so, ops told; nothing went live. */
async function expectRefundedAndTold(failure: Failure, lookupKey: string): Promise<void> {
	const { sb } = e2e();
	const refunds = (sb.state().stripe.objects.refund ?? []).filter((refund: any) => refund.metadata?.q2c_business_key === failure.businessKey);
	expect(refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: PRICES[lookupKey] })]);
	expect(failure.steps).toEqual(expect.arrayContaining(['compensation.billing.refund.create', 'exception']));
	expect(failure.steps).not.toContain('provisioning.live');
	await sb.mail.waitFor(2, 20_000);
	const toCustomer = sb.mail.messages().filter((message) => message.to.includes(failure.email));
	expect(toCustomer).toHaveLength(1);
	expect(toCustomer[0].text).toMatch(/refunded/);
	expect(sb.mail.messages().some((message) => !message.to.includes(failure.email) && message.text.includes(failure.businessKey))).toBe(true);
}

/** The tenant the run created is marked Provisioning Failed, its entitlement is off and no API key of it works. */
function expectTenantFailed(businessKey: string): void {
	const { sb } = e2e();
	const [tenant, ...others] = tenantsOf(businessKey);
	expect(others).toEqual([]);
	const state = sb.state().superAdmin;
	expect(state.maintenance).toEqual(expect.arrayContaining([expect.objectContaining({ tenantId: tenant.id, enabled: true, message: expect.stringMatching(/^Provisioning Failed/) })]));
	expect((state.subscriptions as any[]).filter((subscription) => subscription.tenantId === tenant.id && subscription.status === 'active')).toEqual([]);
	expect((state.apiKeys as any[]).filter((key) => key.tenantId === tenant.id && !key.revokedAt)).toEqual([]);
}

async function databaseExists(name: string): Promise<boolean> {
	const admin = await adminPg();
	try {
		return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
	} finally {
		await admin.end();
	}
}

export function selfServiceFailures(): void {
	describe('self-service signup: a failure at each provisioning step is rolled back', () => {
		afterAll(() => dropSignupDatabases());

		it('Tier 1, the Super Admin refuses the tenant: nothing to undo but the payment, refunded; customer and ops told', async () => {
			const failure = await failingSignup('grassroots_monthly', () => void e2e().sb.addFault('superAdmin', { route: 'POST /v1/tenants', fault: { status: 422 } }));
			expect(tenantsOf(failure.businessKey)).toEqual([]);
			await expectRefundedAndTold(failure, 'grassroots_monthly');
		});

		it('Tier 1, the owner API key cannot be issued: the entitlement is switched off, the tenant marked failed, the payment refunded', async () => {
			const failure = await failingSignup('grassroots_monthly', () => void e2e().sb.addFault('superAdmin', { route: 'POST /v1/tenants/{tenantId}/api-keys', fault: { status: 400 } }));
			expectTenantFailed(failure.businessKey);
			expect(failure.steps).toEqual(expect.arrayContaining(['compensation.superadmin.subscription.disable']));
			await expectRefundedAndTold(failure, 'grassroots_monthly');
		});

		it('Tier 2, the database cannot be created (a leftover role of that name): the role is left alone, the tenant marked failed, refunded', async () => {
			const leftover: { name?: string } = {};
			try {
				const failure = await failingSignup('professional_monthly', async (businessKey) => {
					leftover.name = postgresName(businessKey);
					const admin = await adminPg();
					await admin.query(`CREATE ROLE "${leftover.name}" NOLOGIN`).finally(() => admin.end());
				});
				expect(failure.output('Create Database (PostgreSQL Server)')).toBeUndefined();
				expect(await databaseExists(String(leftover.name))).toBe(false);
				// Someone else's role: the rollback must not drop what the run did not create.
				const admin = await adminPg();
				const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [leftover.name]).finally(() => admin.end());
				expect(role.rowCount).toBe(1);
				expect(failure.steps).not.toContain('compensation.provisioning.database.delete');
				expectTenantFailed(failure.businessKey);
				await expectRefundedAndTold(failure, 'professional_monthly');
			} finally {
				if (leftover.name) {
					const admin = await adminPg();
					await admin.query(`DROP ROLE IF EXISTS "${leftover.name}"`).finally(() => admin.end());
				}
			}
		});

		it('Tier 2, the connection string cannot be stored: the new database and its role are dropped, the tenant marked failed, refunded', async () => {
			const pg = e2e().sb.credentials.provisioningPostgresApi;
			const cleanup: string[] = [];
			try {
				const failure = await failingSignup('professional_monthly', async (businessKey) => {
					// The vault's table exists once anything was stored; make sure before putting a trigger on it.
					const vault = new PostgresTableVault({ adminConnectionString: `postgres://${encodeURIComponent(String(pg.user))}:${encodeURIComponent(String(pg.password))}@${pg.host}:${pg.port}/${pg.database}` });
					await vault.put('e2e/probe', 'x');
					await vault.delete('e2e/probe');
					const trigger = `q2c_e2e_refuse_${postgresName(businessKey).slice(-20)}`;
					const admin = await adminPg();
					try {
						await admin.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'secret store unavailable (e2e)'; END $$`);
						cleanup.push(`DROP FUNCTION IF EXISTS ${trigger}() CASCADE`);
						await admin.query(
							`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON public.q2c_provisioning_secrets FOR EACH ROW WHEN (NEW.name = ${`'tenants/${businessKey}/database-url'`}) EXECUTE FUNCTION ${trigger}()`,
						);
					} finally {
						await admin.end();
					}
				});
				const created = String(failure.output('Create Database (PostgreSQL Server)')?.databaseName);
				expect(created).toBe(postgresName(failure.businessKey));
				expect(failure.output('Store Connection (PostgreSQL Server)')).toBeUndefined();
				expect(await databaseExists(created)).toBe(false);
				const admin = await adminPg();
				const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [created]).finally(() => admin.end());
				expect(role.rowCount).toBe(0);
				expect(failure.steps).toEqual(expect.arrayContaining(['compensation.provisioning.database.delete']));
				expectTenantFailed(failure.businessKey);
				await expectRefundedAndTold(failure, 'professional_monthly');
			} finally {
				const admin = await adminPg();
				for (const statement of cleanup) await admin.query(statement).catch(() => undefined);
				await admin.end();
			}
		});
	});
}
