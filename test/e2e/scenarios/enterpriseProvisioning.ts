/**
 * workflows/enterprise-provisioning.json as published in real n8n: the super-admin dashboard calls its webhook (header
 * auth), the run triggers the sandboxed GitLab pipeline with the tenant's variables, polls it with n8n's Wait node
 * until it succeeds, points `<subdomain>.<zone>` at the stack in the Cloudflare fake and tells the team and the
 * customer. A repeated call for the same business key starts no second pipeline.
 */
import { e2e, errorOf, executions, type Execution } from '../support/context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The provisioning fakes of the sandbox (sandbox/provisioning), untyped in the e2e Sandbox type. */
const fakes = () => (e2e().sb as unknown as { provisioning: { fakes: Record<string, { state(): any }> } }).provisioning.fakes;

async function call(body: Record<string, unknown>): Promise<{ status: number; body: any }> {
	const { sb, baseUrl } = e2e();
	const auth = sb.credentials.httpHeaderAuth;
	const response = await fetch(`${baseUrl}/webhook/q2c-enterprise-provisioning`, { method: 'POST', headers: { 'content-type': 'application/json', [String(auth.name)]: String(auth.value) }, body: JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function finished(known: Set<string>, timeoutMs = 150_000): Promise<Execution[]> {
	const id = e2e().ids.enterprise;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await executions(id)).filter((execution) => !known.has(execution.id));
		if (fresh.length > 0 && fresh.every((execution) => execution.stoppedAt)) return fresh;
		if (Date.now() > deadline) throw new Error(`no finished enterprise run within ${timeoutMs} ms: ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
		await sleep(500);
	}
}

export function enterpriseProvisioning(): void {
	describe('enterprise provisioning template', () => {
		it('pipeline with the tenant variables → polled to success → DNS record → team and customer told; a repeat starts nothing', async () => {
			const { sb, ids } = e2e();
			const n = Date.now().toString(36);
			const end = new Date();
			end.setFullYear(end.getFullYear() + 3);
			const body = { businessKey: `ENT-E2E-${n}`, tenantId: `ten_e2e_${n}`, subdomain: `club${n}`, organizationName: 'National Football Federation', customerEmail: `owner-${n}@federation.example.org`, salesAgentEmail: 'sam.sales@example.com', contractEndDate: end.toISOString().slice(0, 10) };
			const known = new Set((await executions(ids.enterprise)).map((execution) => execution.id));
			const started = Date.now();
			expect(await call(body)).toMatchObject({ status: 202, body: { accepted: true, businessKey: body.businessKey } });
			const [run] = await finished(known);
			process.stdout.write(`[e2e] Tier 3: request → pipeline → DNS → live in ${Date.now() - started} ms\n`);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });

			const pipelines = fakes().gitlab.state().pipelines.filter((pipeline: any) => pipeline.variables.some((v: any) => v.key === 'Q2C_BUSINESS_KEY' && v.value === body.businessKey));
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
			expect(fakes().gitlab.state().pipelines.filter((pipeline: any) => pipeline.variables.some((v: any) => v.key === 'Q2C_BUSINESS_KEY' && v.value === body.businessKey))).toHaveLength(1);
		}, 240_000);
	});
}
