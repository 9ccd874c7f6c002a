import type { ICredentialTestFunctions, IHookFunctions } from 'n8n-workflow';
import { ProvisioningGitlabWebhookApi } from '../../credentials/ProvisioningGitlabWebhookApi.credentials';
import { ProvisioningTerraformWebhookApi } from '../../credentials/ProvisioningTerraformWebhookApi.credentials';
import { context, gitlab, GITLAB_PREVIOUS, GITLAB_RUN_MARK, GITLAB_SECRET, pipelineHook, run, TFE_TOKEN, trigger, URL, useDedupeDir, type Call } from './__tests__/webhookContext';
import { dedupeStores } from './handleWebhook';
import { DEFAULT_GITLAB_STATUSES, DEFAULT_TERRAFORM_TRIGGERS } from './sources';

// The real verification and parsing of the connectors run; only n8n's webhook context is faked.
const dedupeDir = useDedupeDir();

describe('Provisioning Trigger description and credentials', () => {
	it('is a POST webhook trigger with one credential per source and the finished statuses by default', () => {
		const d = trigger.description;
		expect(d.name).toBe('provisioningTrigger');
		expect(d.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }]);
		expect(d.credentials?.map((c) => [c.name, c.testedBy, c.displayOptions])).toEqual([
			['provisioningGitlabWebhookApi', 'provisioningGitlabWebhookApiTest', { show: { source: ['gitlab'] } }],
			['provisioningTerraformWebhookApi', 'provisioningTerraformWebhookApiTest', { show: { source: ['terraform'] } }],
		]);
		const property = (name: string) => d.properties.find((p) => p.name === name);
		expect(property('gitlabStatuses')?.default).toEqual(DEFAULT_GITLAB_STATUSES);
		expect(property('terraformTriggers')?.default).toEqual(DEFAULT_TERRAFORM_TRIGGERS);
		const notices = d.properties.filter((p) => p.type === 'notice');
		expect(notices.map((n) => n.displayOptions?.show?.source)).toEqual([['gitlab'], ['terraform']]);
		expect(notices.every((n) => n.displayName.includes('Production URL'))).toBe(true);
	});

	it('credentials have the fixed fields, and their tests need a secret without echoing it', async () => {
		expect(new ProvisioningGitlabWebhookApi().properties.map((p) => p.name)).toEqual(['secretToken', 'previousSecretToken']);
		expect(new ProvisioningTerraformWebhookApi().properties.map((p) => p.name)).toEqual(['notificationToken', 'previousNotificationToken']);
		const tests = trigger.methods.credentialTest;
		const test = (fn: typeof tests.provisioningGitlabWebhookApiTest, data: Record<string, unknown>) => fn.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type: 't', data } as never);
		const ok = await test(tests.provisioningGitlabWebhookApiTest, { secretToken: GITLAB_SECRET, previousSecretToken: GITLAB_PREVIOUS });
		expect(ok).toMatchObject({ status: 'OK', message: expect.stringContaining('2 secret token') });
		expect(JSON.stringify(ok)).not.toContain(GITLAB_SECRET);
		await expect(test(tests.provisioningGitlabWebhookApiTest, { secretToken: ' ' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test(tests.provisioningTerraformWebhookApiTest, { notificationToken: TFE_TOKEN })).resolves.toMatchObject({ status: 'OK' });
		await expect(test(tests.provisioningTerraformWebhookApiTest, { notificationToken: '' })).resolves.toMatchObject({ status: 'Error' });
	});

	it('only records the URL the user pastes into GitLab / HCP Terraform on activation', async () => {
		const staticData: Record<string, unknown> = {};
		const hook = { getWorkflowStaticData: () => staticData, getNodeWebhookUrl: () => URL } as unknown as IHookFunctions;
		const methods = trigger.webhookMethods.default;
		expect(await methods.checkExists.call(hook)).toBe(false);
		expect(await methods.create.call(hook)).toBe(true);
		expect(staticData.webhookUrl).toBe(URL);
		expect(await methods.checkExists.call(hook)).toBe(true);
		expect(await methods.delete.call(hook)).toBe(true);
		expect(await methods.checkExists.call(hook)).toBe(false);
	});
});

describe('Provisioning Trigger: GitLab pipeline hooks', () => {
	it('starts one execution with the normalized run and the business key', async () => {
		const { result, response } = await run(gitlab(pipelineHook()));
		expect(response.body).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, deliveryId: 'gitlab-pipeline-12-301-success' });
		const items = result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			source: 'gitlab',
			runId: '301',
			status: 'succeeded',
			vendorStatus: 'success',
			terminal: true,
			businessKey: 'CTR-77',
			idempotencyKey: GITLAB_RUN_MARK,
			ref: 'main',
			url: 'https://gitlab.example/group/infra/-/pipelines/301',
			projectId: '12',
			workspaceId: null,
			trigger: null,
			deliveryId: 'gitlab-pipeline-12-301-success',
			receivedAt: expect.any(String),
		});
		expect(JSON.stringify(items)).not.toContain('never-in-output-123');
	});

	it('accepts the previous secret token while it is rotated', async () => {
		expect((await run(gitlab(pipelineHook(), GITLAB_PREVIOUS))).result.workflowData).toHaveLength(1);
	});

	it('answers 401 without an execution for a forged or missing token, or no secret configured', async () => {
		const raw = pipelineHook();
		const attempts: Call[] = [
			gitlab(raw, 'gitlab-hook-secret-forged'),
			gitlab(raw, null),
			{ ...gitlab(raw), credentials: { secretToken: '', previousSecretToken: '' } },
			{ ...gitlab(raw, ''), credentials: { secretToken: '' } },
		];
		for (const attempt of attempts) {
			const { result, response } = await run(attempt);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response).toMatchObject({ statusCode: 401, body: { error: 'unauthorized' } });
			expect(JSON.stringify(response.body)).not.toContain(GITLAB_SECRET);
			expect(JSON.stringify(response.body)).not.toContain(GITLAB_PREVIOUS);
		}
	});

	it('answers 401 when the credential cannot be loaded', async () => {
		const made = context(gitlab(pipelineHook()));
		made.getCredentials.mockRejectedValue(new Error('Node does not have any credentials set'));
		expect((await trigger.webhook.call(made.ctx)).workflowData).toBeUndefined();
		expect(made.response.statusCode).toBe(401);
		expect(made.getCredentials).toHaveBeenCalledWith('provisioningGitlabWebhookApi');
	});

	it('acknowledges unselected statuses without an execution; an empty selection takes every status', async () => {
		const ignored = await run(gitlab(pipelineHook('running')));
		expect(ignored.result).toEqual({ webhookResponse: { received: true, ignored: true, event: 'running' } });
		const all = await run({ ...gitlab(pipelineHook('running')), params: { gitlabStatuses: [] } });
		expect(all.result.workflowData?.[0][0].json).toMatchObject({ status: 'running', vendorStatus: 'running', terminal: false });
	});

	it('drops a redelivery of the same status change, but not the next status of the pipeline', async () => {
		const first = await run(gitlab(pipelineHook('failed')));
		const again = await run(gitlab(pipelineHook('failed')));
		const retried = await run(gitlab(pipelineHook('success')));
		expect(first.result.workflowData).toHaveLength(1);
		expect(again.result).toEqual({ webhookResponse: { received: true, duplicate: true, deliveryId: 'gitlab-pipeline-12-301-failed' } });
		expect(retried.result.workflowData).toHaveLength(1);
	});

	it("dedupes per workflow: another workflow on the same hook still gets the delivery", async () => {
		const previous = process.env.Q2C_DATA_DIR;
		process.env.Q2C_DATA_DIR = dedupeDir();
		try {
			const shared = { options: { dedupeDir: '' } };
			expect((await run({ ...gitlab(pipelineHook()), ...shared, workflowId: 'wf-a' })).result.workflowData).toHaveLength(1);
			expect((await run({ ...gitlab(pipelineHook()), ...shared, workflowId: 'wf-b' })).result.workflowData).toHaveLength(1);
			expect((await run({ ...gitlab(pipelineHook()), ...shared, workflowId: 'wf-a' })).result.workflowData).toBeUndefined();
		} finally {
			if (previous === undefined) delete process.env.Q2C_DATA_DIR;
			else process.env.Q2C_DATA_DIR = previous;
		}
	});

	it('acknowledges another hook event from the genuine hook (more events ticked), and answers 400 for a malformed body', async () => {
		const push = await run(gitlab(pipelineHook(), GITLAB_SECRET, 'Push Hook'));
		expect(push.result).toEqual({ webhookResponse: { received: true, ignored: true, event: 'Push Hook' } });
		const forgedPush = await run(gitlab(pipelineHook(), 'gitlab-hook-secret-forged', 'Push Hook'));
		expect(forgedPush.response.statusCode).toBe(401);
		const malformed = await run(gitlab(JSON.stringify({ object_kind: 'pipeline', object_attributes: { id: 'x' } })));
		expect(malformed.result.workflowData).toBeUndefined();
		expect(malformed.response).toMatchObject({ statusCode: 400, body: { error: 'malformed payload', field: 'body.object_attributes.id' } });
	});

	it('answers 413 for an oversized delivery before loading the secret', async () => {
		const huge = JSON.stringify({ object_kind: 'pipeline', padding: 'x'.repeat(4 * 1024 * 1024) });
		const { result, response, getCredentials } = await run(gitlab(huge, 'anything'));
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ statusCode: 413, body: { error: 'payload too large', limitBytes: 4 * 1024 * 1024 } });
		expect(getCredentials).not.toHaveBeenCalled();
	});

	it('answers 503 (so GitLab redelivers) when the dedupe store fails', async () => {
		const original = dedupeStores.create;
		dedupeStores.create = () => ({ claim: async () => Promise.reject(new Error('disk full')), release: async () => undefined });
		try {
			const { result, response } = await run(gitlab(pipelineHook()));
			expect(result.workflowData).toBeUndefined();
			expect(response.statusCode).toBe(503);
		} finally {
			dedupeStores.create = original;
		}
	});
});
