/** The Provisioning Trigger's test harness: a faked n8n webhook context and genuine GitLab / HCP Terraform deliveries. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IWebhookFunctions } from 'n8n-workflow';
import { ProvisioningTrigger } from '../ProvisioningTrigger.node';

// The real verification and parsing of the connectors run; only n8n's webhook context is faked. Test-only values.
export const GITLAB_SECRET = 'gitlab-hook-secret-current';
export const GITLAB_PREVIOUS = 'gitlab-hook-secret-previous';
export const TFE_TOKEN = 'tfe-notification-token-current';
export const TFE_PREVIOUS = 'tfe-notification-token-previous';
export const URL = 'https://n8n.example/webhook/abc/webhook';

let dir = '';
/** A fresh dedupe directory per test (call at the top of a test file); returns its getter. */
export function useDedupeDir(): () => string {
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'provisioning-trigger-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));
	return () => dir;
}

export interface Call {
	source?: 'gitlab' | 'terraform';
	params?: Record<string, unknown>;
	options?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	rawBody?: string | Buffer;
	body?: unknown;
	headers?: Record<string, string>;
	workflowId?: string;
}

export function context(call: Call) {
	const response = { statusCode: 200, body: undefined as unknown };
	const res = {
		setHeader: () => res,
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
	};
	const source = call.source ?? 'gitlab';
	const params: Record<string, unknown> = { source, options: { dedupeDir: dir, ...call.options }, ...call.params };
	const defaults = source === 'gitlab' ? { secretToken: GITLAB_SECRET, previousSecretToken: GITLAB_PREVIOUS } : { notificationToken: TFE_TOKEN, previousNotificationToken: TFE_PREVIOUS };
	const getCredentials = jest.fn<Promise<Record<string, unknown>>, [string]>(async () => call.credentials ?? defaults);
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials,
		getRequestObject: () => ({ rawBody: call.rawBody, body: call.body }),
		getResponseObject: () => res,
		getHeaderData: () => call.headers ?? {},
		getBodyData: () => (call.body ?? {}) as object,
		getWorkflow: () => ({ id: call.workflowId ?? 'wf-1' }),
		logger: { error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { ctx, response, getCredentials };
}

// GitLab lists a pipeline's variables as { key, value }.
const variable = (name: string, value: string) => ({ key: name, value });
// The idempotency key the runner put on the pipeline (not a secret).
export const GITLAB_RUN_MARK = 'q2c-provisioning.pipeline.trigger-abc';

export function pipelineHook(status = 'success', id = 301) {
	return JSON.stringify({
		object_kind: 'pipeline',
		object_attributes: {
			id,
			ref: 'main',
			status,
			url: `https://gitlab.example/group/infra/-/pipelines/${id}`,
			variables: [
				variable('Q2C_BUSINESS_KEY', 'CTR-77'),
				variable('Q2C_IDEMPOTENCY_KEY', GITLAB_RUN_MARK),
				variable('DEPLOY_TOKEN', 'never-in-output-123'),
			],
		},
		project: { id: 12, web_url: 'https://gitlab.example/group/infra', path_with_namespace: 'group/infra' },
		builds: [],
	});
}

// null: no header at all (undefined would take the default).
export const gitlab = (raw: string, token: string | null = GITLAB_SECRET, event = 'Pipeline Hook'): Call => ({
	source: 'gitlab',
	rawBody: Buffer.from(raw),
	headers: { 'x-gitlab-event': event, ...(token === null ? {} : { 'x-gitlab-token': token }) },
});

export function notification(trigger = 'run:completed', runStatus: string | null = 'applied') {
	return JSON.stringify({
		payload_version: 1,
		notification_configuration_id: 'nc-1',
		run_url: 'https://app.terraform.io/app/acme/workspaces/tenant/runs/run-9',
		run_id: trigger === 'verification' ? null : 'run-9',
		run_message: trigger === 'verification' ? null : 'Tenant stack [q2c-key=q2c-tf-key-1] [q2c-business-key=CTR%2088]',
		workspace_id: 'ws-42',
		workspace_name: 'tenant',
		organization_name: 'acme',
		notifications: [{ message: 'Applied', trigger, run_status: runStatus, run_updated_at: new Date().toISOString(), run_updated_by: 'bot' }],
	});
}

export const sign = (raw: string, token = TFE_TOKEN) => createHmac('sha512', token).update(raw).digest('hex');
export const terraform = (raw: string, signature: string | null = sign(raw)): Call => ({
	source: 'terraform',
	rawBody: Buffer.from(raw),
	headers: signature === null ? {} : { 'x-tfe-notification-signature': signature },
});

export const trigger = new ProvisioningTrigger();
export const run = (call: Call) => {
	const made = context(call);
	return trigger.webhook.call(made.ctx).then((result) => ({ result, response: made.response, getCredentials: made.getCredentials }));
};
