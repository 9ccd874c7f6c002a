import { hmacDigest } from '../../../core';
import { verifyGitlabPipelineWebhook } from '../gitlabWebhook';
import { runMessage } from '../terraformStatus';
import { verifyTerraformWebhook } from '../terraformWebhook';
import { failureOf } from './fakeServer';

describe('GitLab pipeline webhook', () => {
	const SECRET = 'gitlab-hook-secret-123456';
	const hook = {
		object_kind: 'pipeline',
		object_attributes: {
			id: 31,
			ref: 'main',
			status: 'success',
			variables: [
				{ key: 'Q2C_BUSINESS_KEY', value: 'CTR-1' },
				{ key: 'Q2C_IDEMPOTENCY_KEY', value: 'q2c-key-1' },
				{ key: 'DEPLOY_TOKEN', value: 'very-secret-value' },
			],
		},
		project: { id: 5, web_url: 'https://gitlab.example/group/infra', path_with_namespace: 'group/infra' },
		builds: [],
	};
	const raw = JSON.stringify(hook);
	const headers = (overrides: Record<string, string | undefined> = {}) => ({ 'x-gitlab-token': SECRET, 'x-gitlab-event': 'Pipeline Hook', ...overrides });

	it('accepts a valid hook and normalizes it', () => {
		const event = verifyGitlabPipelineWebhook({ headers: headers(), rawBody: raw }, { secrets: SECRET });
		expect(event).toMatchObject({ pipelineId: '31', projectId: '5', ref: 'main', rawStatus: 'success', status: 'succeeded', terminal: true, businessKey: 'CTR-1', idempotencyKey: 'q2c-key-1' });
		expect(event.url).toBe('https://gitlab.example/group/infra/-/pipelines/31');
		expect(event.variables.DEPLOY_TOKEN).not.toBe('very-secret-value');
		expect(event.dedupeKey).toBe('gitlab-pipeline-5-31-success');
	});

	it('gives each status change its own dedupe key and the same key on redelivery', () => {
		const running = JSON.stringify({ ...hook, object_attributes: { ...hook.object_attributes, status: 'running' } });
		const a = verifyGitlabPipelineWebhook({ headers: headers(), rawBody: running }, { secrets: SECRET });
		const b = verifyGitlabPipelineWebhook({ headers: headers(), body: JSON.parse(running) }, { secrets: SECRET });
		const done = verifyGitlabPipelineWebhook({ headers: headers(), rawBody: raw }, { secrets: SECRET });
		expect(a.dedupeKey).toBe(b.dedupeKey);
		expect(a.dedupeKey).not.toBe(done.dedupeKey);
		expect(a.status).toBe('running');
	});

	it('accepts the previous secret during rotation', () => {
		expect(verifyGitlabPipelineWebhook({ headers: headers(), rawBody: raw }, { secrets: ['new-secret-abcdef', SECRET] }).pipelineId).toBe('31');
	});

	it.each([
		['a forged token', headers({ 'x-gitlab-token': 'gitlab-hook-secret-123457' }), SECRET as string | string[]],
		['a missing token header', headers({ 'x-gitlab-token': undefined }), SECRET],
		['an empty token header', headers({ 'x-gitlab-token': '' }), SECRET],
		['no secret configured', headers(), [] as string[]],
		['an empty secret configured', headers({ 'x-gitlab-token': '' }), ['']],
	])('rejects %s as auth', (_name, h, secrets) => {
		const error = failureOf(() => verifyGitlabPipelineWebhook({ headers: h, rawBody: raw }, { secrets }));
		expect(error.kind).toBe('auth');
		expect(error.message).not.toContain(SECRET);
	});

	it('rejects another event type even with the right token', () => {
		const error = failureOf(() => verifyGitlabPipelineWebhook({ headers: headers({ 'x-gitlab-event': 'Push Hook' }), rawBody: raw }, { secrets: SECRET }));
		expect(error).toMatchObject({ kind: 'validation', field: 'headers.X-Gitlab-Event' });
	});

	it('rejects a body that is not a pipeline hook', () => {
		const body = JSON.stringify({ ...hook, object_kind: 'build' });
		expect(failureOf(() => verifyGitlabPipelineWebhook({ headers: headers(), rawBody: body }, { secrets: SECRET }))).toMatchObject({ kind: 'validation', field: 'body.object_kind' });
		expect(failureOf(() => verifyGitlabPipelineWebhook({ headers: headers(), rawBody: '{not json' }, { secrets: SECRET }))).toMatchObject({ kind: 'validation', field: 'body' });
	});
});

describe('HCP Terraform notification webhook', () => {
	const TOKEN = 'tfe-notification-token-xyz';
	const payload = {
		payload_version: 1,
		notification_configuration_id: 'nc-abc',
		run_url: 'https://app.terraform.io/app/acme/workspaces/tenant-stack/runs/run-1abc',
		run_id: 'run-1abc',
		run_message: runMessage('Enterprise stack', 'CTR 7/α', 'q2c-provisioning.pipeline.trigger-0123'),
		workspace_id: 'ws-Tenant123',
		workspace_name: 'tenant-stack',
		organization_name: 'acme',
		notifications: [{ message: 'Applied', trigger: 'run:completed', run_status: 'applied', run_updated_at: '2026-01-01T00:00:00Z', run_updated_by: 'bot' }],
	};
	const raw = JSON.stringify(payload);
	const sign = (body: string, token = TOKEN) => hmacDigest(token, body, 'hex', 'sha512');
	const request = (body: string, signature: string | undefined) => ({ headers: signature === undefined ? {} : { 'X-TFE-Notification-Signature': signature }, rawBody: Buffer.from(body) });

	it('accepts a correctly signed notification and names the contract', () => {
		const event = verifyTerraformWebhook(request(raw, sign(raw)), { tokens: TOKEN });
		expect(event).toMatchObject({ verification: false, trigger: 'run:completed', runId: 'run-1abc', workspaceId: 'ws-Tenant123', rawStatus: 'applied', status: 'succeeded', terminal: true, businessKey: 'CTR 7/α', idempotencyKey: 'q2c-provisioning.pipeline.trigger-0123' });
		expect(event.dedupeKey).toBe('tfe-run-1abc-run:completed-applied');
	});

	it('accepts the verification request', () => {
		const body = JSON.stringify({ ...payload, run_id: null, run_message: null, run_url: null, notifications: [{ message: 'Verification of test', trigger: 'verification', run_status: null }] });
		const event = verifyTerraformWebhook(request(body, sign(body)), { tokens: TOKEN });
		expect(event).toMatchObject({ verification: true, runId: null, status: null, terminal: false, businessKey: null });
		expect(event.dedupeKey).toMatch(/^tfe-verification-/);
	});

	it('maps a run that needs attention to waiting and an errored one to failed', () => {
		for (const [runStatus, expected] of [
			['planned', 'waiting'],
			['errored', 'failed'],
		]) {
			const body = JSON.stringify({ ...payload, notifications: [{ trigger: 'run:x', run_status: runStatus }] });
			expect(verifyTerraformWebhook(request(body, sign(body)), { tokens: TOKEN }).status).toBe(expected);
		}
	});

	it.each([
		['a forged signature', () => request(raw, sign(raw, 'some-other-token')), TOKEN as string | string[]],
		['a missing signature', () => request(raw, undefined), TOKEN],
		['a tampered body', () => request(raw.replace('applied', 'errored'), sign(raw)), TOKEN],
		['no token configured', () => request(raw, sign(raw)), [] as string[]],
		['a SHA-256 signature', () => request(raw, hmacDigest(TOKEN, raw, 'hex', 'sha256')), TOKEN],
	])('rejects %s as auth', (_name, make, tokens) => {
		const error = failureOf(() => verifyTerraformWebhook(make(), { tokens }));
		expect(error.kind).toBe('auth');
		expect(error.message).not.toContain(TOKEN);
	});

	it('needs the raw body and a version-1 payload', () => {
		expect(failureOf(() => verifyTerraformWebhook({ headers: { 'x-tfe-notification-signature': sign(raw) }, body: payload }, { tokens: TOKEN }))).toMatchObject({ kind: 'validation', field: 'rawBody' });
		const v2 = JSON.stringify({ ...payload, payload_version: 2 });
		expect(failureOf(() => verifyTerraformWebhook(request(v2, sign(v2)), { tokens: TOKEN }))).toMatchObject({ kind: 'validation', field: 'body.payload_version' });
	});
});
