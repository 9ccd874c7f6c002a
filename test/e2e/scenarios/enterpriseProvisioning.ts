/**
 * workflows/enterprise-provisioning.json as published in real n8n: the super-admin dashboard calls its webhook (header
 * auth), the run triggers the sandboxed GitLab pipeline with the tenant's variables, polls it with n8n's Wait node
 * until it succeeds, points `<subdomain>.<zone>` at the stack in the Cloudflare fake and tells the team and the
 * customer. A repeated call for the same business key starts no second pipeline. A failed pipeline, or a DNS
 * change that keeps failing, is rolled back by the error workflow: the destroy pipeline runs, no record is left,
 * the tenant is marked Provisioning Failed, the customer and the team are told.
 */
import { e2e, errorOf, executions, type Execution } from '../support/context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The provisioning fakes of the sandbox (sandbox/provisioning), untyped in the e2e Sandbox type. */
const fakes = () => (e2e().sb as unknown as { provisioning: { fakes: Record<string, { state(): any; failNext(kind: string, options?: { times?: number }): void }> } }).provisioning.fakes;

export async function call(body: Record<string, unknown>): Promise<{ status: number; body: any }> {
	const { sb, baseUrl } = e2e();
	const auth = sb.credentials.httpHeaderAuth;
	const response = await fetch(`${baseUrl}/webhook/q2c-enterprise-provisioning`, { method: 'POST', headers: { 'content-type': 'application/json', [String(auth.name)]: String(auth.value) }, body: JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function finished(known: Set<string>, timeoutMs = 150_000, id = e2e().ids.enterprise): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await executions(id)).filter((execution) => !known.has(execution.id));
		if (fresh.length > 0 && fresh.every((execution) => execution.stoppedAt)) return fresh;
		if (Date.now() > deadline) throw new Error(`no finished enterprise run within ${timeoutMs} ms: ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
		await sleep(500);
	}
}

/**
 * What the dashboard does on *Create Enterprise Tenant*: the tenant in the Super Admin (World Class), then the
 * provisioning request for it. Unique per call.
 */
async function request(): Promise<Record<string, string>> {
	const { sb } = e2e();
	const n = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
	const end = new Date();
	end.setFullYear(end.getFullYear() + 3);
	const contractEndDate = end.toISOString().slice(0, 10);
	const businessKey = `ENT-E2E-${n}`;
	const customerEmail = `owner-${n}@federation.example.org`;
	const created = await fetch(`${sb.urls.superAdmin}/v1/tenants`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${String(sb.credentials.superAdminApi.apiKey)}` },
		body: JSON.stringify({ name: 'National Football Federation', tier: 'world_class', ownerEmail: customerEmail, businessKey, subdomain: `club${n}`, contractEndDate }),
	});
	const tenant = (await created.json()) as { id?: string };
	if (!created.ok) throw new Error(`the Super Admin refused the enterprise tenant: ${JSON.stringify(tenant)}`);
	return { businessKey, tenantId: String(tenant.id), subdomain: `club${n}`, organizationName: 'National Football Federation', customerEmail, salesAgentEmail: 'sam.sales@example.com', contractEndDate };
}

const pipelinesOf = (businessKey: string): any[] => fakes().gitlab.state().pipelines.filter((pipeline: any) => pipeline.variables.some((v: any) => v.key === 'Q2C_BUSINESS_KEY' && v.value === businessKey));

/** The run fails at `step`; the error workflow must leave nothing behind and tell the customer and the team. */
async function failsAndRollsBack(step: string, arm: () => void): Promise<void> {
	const { sb, ids, ledger } = e2e();
	const body = await request();
	const known = new Set((await executions(ids.enterprise)).map((execution) => execution.id));
	const knownHandlers = new Set((await executions(ids.errors)).map((execution) => execution.id));
	arm();
	expect(await call(body)).toMatchObject({ status: 202 });
	const [run] = await finished(known);
	expect({ status: run.status, step }).toEqual({ status: 'error', step });
	const handler = await finished(knownHandlers, 150_000, ids.errors);
	expect(handler.map((execution) => [execution.status, errorOf(execution)])).toEqual([['success', '']]);

	// The stack the pipeline made (or began) is destroyed by a destroy pipeline with the tenant's variables.
	const pipelines = pipelinesOf(body.businessKey);
	const destroy = pipelines.filter((pipeline: any) => pipeline.variables.some((v: any) => v.key === 'Q2C_ACTION' && v.value === 'destroy'));
	expect(destroy).toHaveLength(1);
	// The destroy pipeline runs on after the handler started it; the stack is gone once it has finished.
	const destroyStatus = () => pipelinesOf(body.businessKey).find((pipeline: any) => pipeline.id === destroy[0].id)?.status;
	for (const deadline = Date.now() + 60_000; !['success', 'failed', 'canceled'].includes(destroyStatus()) && Date.now() < deadline; ) await sleep(500);
	expect(destroyStatus()).toBe('success');
	expect(fakes().gitlab.state().stacks.filter((stack: any) => stack.tenant === body.tenantId)).toEqual([]);
	expect(fakes().cloudflare.state().records.filter((record: any) => record.name === `${body.subdomain}.example.com`)).toEqual([]);
	expect(sb.state().superAdmin.maintenance).toEqual(expect.arrayContaining([expect.objectContaining({ tenantId: body.tenantId, enabled: true, message: expect.stringMatching(/^Provisioning Failed/) })]));
	const steps = (await ledger.list(body.businessKey)).map((receipt) => receipt.workflow_step);
	expect(steps).toEqual(expect.arrayContaining(['compensation.provisioning.pipeline.destroy', 'exception']));
	expect(steps).not.toContain('provisioning.live');
	await sb.mail.waitFor(2, 20_000);
	expect(sb.mail.messages().filter((message) => message.to.includes(body.customerEmail))).toHaveLength(1);
	expect(sb.mail.messages().some((message) => !message.to.includes(body.customerEmail) && message.text.includes(body.businessKey))).toBe(true);
}

export function enterpriseProvisioning(): void {
	describe('enterprise provisioning template', () => {
		it('pipeline with the tenant variables → polled to success → DNS record → team and customer told; a repeat starts nothing', async () => {
			const { sb, ids } = e2e();
			const body = await request();
			const known = new Set((await executions(ids.enterprise)).map((execution) => execution.id));
			const started = Date.now();
			expect(await call(body)).toMatchObject({ status: 202, body: { accepted: true, businessKey: body.businessKey } });
			const [run] = await finished(known);
			process.stdout.write(`[e2e] Tier 3: request → pipeline → DNS → live in ${Date.now() - started} ms\n`);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });

			const pipelines = pipelinesOf(body.businessKey);
			expect(pipelines).toHaveLength(1);
			expect(Object.fromEntries(pipelines[0].variables.map((v: any) => [v.key, v.value]))).toMatchObject({ TENANT_ID: body.tenantId, TENANT_SUBDOMAIN: body.subdomain });
			expect(pipelines[0].status).toBe('success');
			const records = fakes().cloudflare.state().records.filter((record: any) => record.name === `${body.subdomain}.example.com`);
			expect(records.map((record: any) => ({ type: record.type, content: record.content }))).toEqual([{ type: 'CNAME', content: 'stacks.example.net' }]);
			await sb.mail.waitFor(2, 20_000);
			expect(sb.mail.messages().some((message) => message.to.includes(body.customerEmail))).toBe(true);
			expect(sb.mail.messages().some((message) => message.to.includes('superadmin@example.com'))).toBe(true);
			expect((await e2e().ledger.list(body.businessKey)).map((receipt) => receipt.workflow_step)).toEqual(['provisioning.enterprise.requested', 'provisioning.pipeline.trigger', 'provisioning.dnsRecord.upsert', 'provisioning.live']);

			// The dashboard sends it again: the contract is live, nothing new starts.
			expect(await call(body)).toMatchObject({ status: 200, body: { status: 'live' } });
			await sleep(2000);
			expect(pipelinesOf(body.businessKey)).toHaveLength(1);
		}, 240_000);

		it('the pipeline fails: the error workflow runs the destroy pipeline, marks the tenant, tells the customer and the team', async () => {
			await failsAndRollsBack('pipeline', () => fakes().gitlab.failNext('pipeline'));
		}, 300_000);

		it('the DNS record cannot be created (Cloudflare keeps answering 500): the new stack is destroyed, no record is left', async () => {
			await failsAndRollsBack('dnsRecord', () => fakes().cloudflare.failNext('dns-record', { times: 20 }));
		}, 300_000);
	});
}
