/**
 * workflows/enterprise-provisioning.json executed in-process by n8n-core's engine (our nodes, n8n's Webhook, Set,
 * If, Switch, Wait, Respond to Webhook, Stop and Error and Send Email) against the sandbox's GitLab, Cloudflare
 * and SMTP fakes. Each scenario asserts what the vendors, the mailbox and the evidence chain hold afterwards.
 */
import { runErrorWorkflow } from '../harness';
import { freshDataDir, openSandbox, template, type Sandbox } from './context';
import { withShortRetryWaits } from './failingVariants';
import { dnsRecords, enterpriseTemplate, failNextPipeline, mailTo, pipelines, pipelineTriggerCalls, requestBody, stacks, startProvisioning } from './enterpriseKit';

const SUPER_ADMIN = 'superadmin@example.com';
const ZONE = 'example.com';
const TARGET = 'stacks.example.net';

let sb: Sandbox;
beforeAll(async () => {
	sb = await openSandbox();
});
afterAll(async () => {
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	sb.clearFaults();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('enterprise provisioning: pipeline → DNS → live', () => {
	it('triggers the pipeline with the tenant variables, polls it to success, points the subdomain at the stack and tells the team and the customer', async () => {
		const { ledger } = freshDataDir();
		const body = requestBody();
		const started = Date.now();
		const { response, run } = await startProvisioning(sb, enterpriseTemplate(), body);
		console.log(`enterprise provisioning: live in ${Date.now() - started} ms`);

		expect(response).toMatchObject({ status: 202, body: { accepted: true, status: 'provisioning', businessKey: body.businessKey } });
		expect({ status: run?.status, error: run?.error?.message }).toEqual({ status: 'success', error: undefined });

		const [pipeline, ...others] = pipelines(sb);
		expect(others).toEqual([]);
		expect(pipeline.status).toBe('success');
		expect(pipeline.variables).toMatchObject({ TENANT_ID: body.tenantId, TENANT_SUBDOMAIN: body.subdomain, TENANT_TIER: 'world_class', Q2C_BUSINESS_KEY: body.businessKey });
		expect(stacks(sb).map((stack) => stack.tenant)).toEqual([body.tenantId]);
		// It waited: the pipeline was read more than once before it finished.
		expect(run!.runData['Get Pipeline Run'].length).toBeGreaterThan(1);

		const fqdn = `${body.subdomain}.${ZONE}`;
		expect(dnsRecords(sb).map(({ name, type, content }) => ({ name, type, content }))).toEqual([{ name: fqdn, type: 'CNAME', content: TARGET }]);

		await sb.mail.waitFor(2);
		await settle();
		const team = mailTo(sb, SUPER_ADMIN);
		expect(team).toHaveLength(1);
		expect(team[0].envelope.to).toEqual(expect.arrayContaining([SUPER_ADMIN, body.salesAgentEmail]));
		expect(team[0].text).toContain(`https://${fqdn}`);
		expect(team[0].text).toContain(String(pipeline.id));
		const customer = mailTo(sb, body.customerEmail);
		expect(customer).toHaveLength(1);
		expect(customer[0].subject).toMatch(/is ready/);
		expect(customer[0].text).toContain(`https://${fqdn}`);
		expect(sb.mail.messages()).toHaveLength(2); // no "being set up" email: it finished before the threshold

		const receipts = await ledger.list(body.businessKey);
		expect(receipts.map((receipt) => receipt.workflow_step)).toEqual([
			'provisioning.enterprise.requested',
			'provisioning.pipeline.trigger',
			'provisioning.dnsRecord.upsert',
			'provisioning.live',
		]);
		expect(receipts[1].resource_ref).toBe(String(pipeline.id));
		expect((await ledger.verify(body.businessKey)).valid).toBe(true);

		const serialized = run!.serialized();
		for (const secret of [sb.credentials.provisioningGitlabApi.triggerToken, sb.credentials.provisioningGitlabApi.accessToken, sb.credentials.provisioningCloudflareApi.apiToken]) {
			expect(serialized).not.toContain(String(secret));
		}
	}, 30_000);

	it('past the threshold, tells the customer once that the academy is being set up, keeps polling with heartbeat receipts, then goes live', async () => {
		const { ledger } = freshDataDir();
		// The dashboard sends the stack's own load balancer: it wins over Config's default target.
		const body = requestBody({ dnsTarget: 'lb-7.stacks.example.net' });
		// ~0.3 s threshold and a heartbeat every 4 polls, against a pipeline of ~1.3 s polled every 0.2 s.
		const { run } = await startProvisioning(sb, enterpriseTemplate({ beingSetUpAfterMinutes: 0.005, heartbeatMinutes: 0.0134 }), body);
		expect(run?.status).toBe('success');
		// Polled more than once (how often depends on the machine's load: each poll is a Wait plus a vendor call).
		expect(run!.runData['Get Pipeline Run'].length).toBeGreaterThan(1);
		expect(dnsRecords(sb).map((record) => [record.name, record.content])).toEqual([[`${body.subdomain}.${ZONE}`, 'lb-7.stacks.example.net']]);

		await sb.mail.waitFor(3);
		await settle();
		const customer = mailTo(sb, body.customerEmail);
		const beingSetUp = customer.filter((message) => /being set up/.test(message.subject));
		expect(beingSetUp).toHaveLength(1);
		expect(beingSetUp[0].text).toContain("we'll email you");
		expect(customer.filter((message) => /is ready/.test(message.subject))).toHaveLength(1);
		expect(mailTo(sb, SUPER_ADMIN)).toHaveLength(1);
		const receipts = await ledger.list(body.businessKey);
		const waiting = receipts.filter((receipt) => receipt.workflow_step === 'provisioning.enterprise.waiting').map((receipt) => receipt.subject);
		expect(waiting.filter((subject) => subject === `customer:${body.customerEmail}`)).toHaveLength(1);
		expect(waiting.filter((subject) => subject === 'system:n8n').length).toBeGreaterThanOrEqual(1);
		expect(receipts.at(-1)?.workflow_step).toBe('provisioning.live');
	}, 30_000);

	it('a failed pipeline fails the run into the error workflow (no DNS record, no live emails, the pipeline receipt there to undo); once that undid it, the next call is a fresh attempt', async () => {
		const { ledger } = freshDataDir();
		const body = requestBody();
		const workflow = enterpriseTemplate();
		failNextPipeline(sb);
		const { response, run } = await startProvisioning(sb, workflow, body, { executionId: 'exec-ent-failed' });

		expect(response.status).toBe(202); // the dashboard was answered before the pipeline ran
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Stop: Pipeline Failed');
		expect(run?.error?.message).toMatch(/ended failed/);
		expect(run?.workflow.errorWorkflow).toBe('q2cProvisionErrs');
		expect(run?.executedNodes).not.toContain('Create DNS Record');

		expect(pipelines(sb).map((p) => p.status)).toEqual(['failed']);
		expect(dnsRecords(sb)).toEqual([]);
		await settle();
		expect(sb.mail.messages()).toEqual([]);

		// What the error handler reads: this execution's receipts name the run to destroy, and nothing went live.
		const found = await ledger.findByExecution('exec-ent-failed');
		expect(found.receipts.map((receipt) => [receipt.workflow_step, receipt.resource_ref])).toEqual([
			['provisioning.enterprise.requested', body.tenantId],
			['provisioning.pipeline.trigger', String(pipelines(sb)[0].id)],
		]);

		const handled = await runErrorWorkflow(withShortRetryWaits(template('provisioning-error-handler.json')), run!, {
			credentials: sb.credentials,
			executionId: 'exec-ent-failed-handler',
		});
		expect(handled.status).toBe('success');
		expect((await ledger.list(body.businessKey)).map((receipt) => receipt.workflow_step)).toContain('exception');
		// The handler undid the pipeline with the tenant this template recorded (not the business key).
		const destroys = pipelines(sb).filter((pipeline) => pipeline.variables.Q2C_ACTION === 'destroy');
		expect(destroys.map((pipeline) => pipeline.variables.TENANT_ID)).toEqual([body.tenantId]);

		const again = await startProvisioning(sb, workflow, body, { executionId: 'exec-ent-attempt-1' });
		expect(again.response.body).toMatchObject({ accepted: true, attempt: 1 });
		expect(again.run?.status).toBe('success');
		// The destroy run the handler may start is not a provisioning run.
		const builds = pipelines(sb).filter((pipeline) => pipeline.variables.Q2C_ACTION !== 'destroy');
		expect(builds.map((pipeline) => pipeline.status)).toEqual(['failed', 'success']);
		expect(new Set(builds.map((pipeline) => pipeline.variables.Q2C_IDEMPOTENCY_KEY)).size).toBe(2);
		expect(dnsRecords(sb).map((record) => record.name)).toEqual([`${body.subdomain}.${ZONE}`]);
		expect((await ledger.list(body.businessKey)).at(-1)?.workflow_step).toBe('provisioning.live');
	}, 30_000);

	it('gives up on a pipeline that does not finish in time: cancels it and fails the run, no DNS record', async () => {
		freshDataDir();
		const body = requestBody();
		const { run } = await startProvisioning(sb, enterpriseTemplate({ giveUpAfterMinutes: 0.004 }), body);
		expect(run?.status).toBe('error');
		expect(run?.errorNode).toBe('Stop: Pipeline Timed Out');
		expect(run?.error?.message).toMatch(/did not finish within/);
		expect(pipelines(sb).map((p) => p.status)).toEqual(['canceled']);
		expect(dnsRecords(sb)).toEqual([]);
	}, 30_000);

	it('a repeated start for the same business key makes one pipeline: a later call is told it is live, a concurrent one that it is in progress', async () => {
		const { ledger } = freshDataDir();
		const body = requestBody();
		const workflow = enterpriseTemplate();
		const [a, b] = await Promise.all([startProvisioning(sb, workflow, body), startProvisioning(sb, workflow, body)]);
		const statuses = [a, b].map((start) => (start.response.body as { status: string }).status).sort();
		expect(statuses).toEqual(['in_progress', 'provisioning']);
		expect([a, b].map((start) => start.run?.status)).toEqual(['success', 'success']);
		await sb.mail.waitFor(2);

		const later = await startProvisioning(sb, workflow, body);
		expect(later.response).toMatchObject({ status: 200, body: { status: 'live', businessKey: body.businessKey } });
		expect(later.run?.executedNodes).not.toContain('Trigger Pipeline');

		expect(pipelines(sb)).toHaveLength(1);
		expect(pipelineTriggerCalls(sb)).toBe(1);
		expect(dnsRecords(sb)).toHaveLength(1);
		await settle();
		expect(sb.mail.messages()).toHaveLength(2);
		const steps = (await ledger.list(body.businessKey)).map((receipt) => receipt.workflow_step);
		expect(steps.filter((step) => step === 'provisioning.pipeline.trigger')).toHaveLength(1);
		expect(steps.filter((step) => step === 'provisioning.live')).toHaveLength(1);
	}, 30_000);

	it('refuses a bad request with 422 and every problem, before any vendor call (contract shorter than 2 years, bad subdomain)', async () => {
		freshDataDir();
		const soon = new Date();
		soon.setFullYear(soon.getFullYear() + 1);
		const body = requestBody({ subdomain: 'my.club', contractEndDate: soon.toISOString().slice(0, 10), salesAgentEmail: 'not-an-email' });
		const { response, run } = await startProvisioning(sb, enterpriseTemplate(), body);
		expect(response.status).toBe(422);
		expect(run?.status).toBe('success');
		const problems = (response.body as { problems: string[] }).problems;
		expect(problems).toEqual([
			expect.stringMatching(/subdomain must be one DNS label.*my\.club/),
			expect.stringMatching(/salesAgentEmail/),
			'Enterprise contracts must have a minimum duration of 2 years.',
		]);
		expect(run?.executedNodes).not.toContain('Contract History');
		expect(pipelineTriggerCalls(sb)).toBe(0);
		expect(dnsRecords(sb)).toEqual([]);
	});

	it('rejects a call without the dashboard token and starts nothing', async () => {
		freshDataDir();
		const { response, run } = await startProvisioning(sb, enterpriseTemplate(), requestBody(), { token: 'wrong-token' });
		expect(response.status).toBe(403);
		expect(run).toBeUndefined();
		expect(pipelines(sb)).toEqual([]);
	});
});
