import { ConnectorError, constantTimeEqual, parseInput, redact, validationError, z } from '../../core';
import { GITLAB_VENDOR, mapGitlabStatus } from './gitlab';
import { BUSINESS_KEY_VARIABLE, IDEMPOTENCY_VARIABLE, isTerminalStatus, type PipelineStatus } from './types';
import { headerValue, parseJsonBody, secretList, type WebhookRequest } from './webhookRequest';

export const GITLAB_TOKEN_HEADER = 'X-Gitlab-Token';
export const GITLAB_EVENT_HEADER = 'X-Gitlab-Event';
export const GITLAB_PIPELINE_EVENT = 'Pipeline Hook';

export const gitlabPipelineHookSchema = z
	.object({
		object_kind: z.literal('pipeline'),
		object_attributes: z
			.object({
				id: z.number().int(),
				status: z.string().min(1),
				ref: z.string(),
				url: z.string().nullish(),
				finished_at: z.string().nullish(),
				variables: z.array(z.object({ key: z.string(), value: z.string().nullish() }).passthrough()).nullish(),
			})
			.passthrough(),
		project: z.object({ id: z.number().int(), web_url: z.string().nullish(), path_with_namespace: z.string().nullish() }).passthrough().nullish(),
	})
	.passthrough();

export interface GitlabWebhookOptions {
	/** Accepted secret tokens (current and previous, for rotation). None configured = every delivery rejected. */
	secrets: string | readonly (string | undefined | null)[];
}

export interface GitlabPipelineEvent {
	source: 'gitlab';
	pipelineId: string;
	projectId: string | null;
	ref: string;
	rawStatus: string;
	status: PipelineStatus;
	terminal: boolean;
	url: string | null;
	/** From the Q2C_BUSINESS_KEY variable the runner sent; null for pipelines it did not start. */
	businessKey: string | null;
	idempotencyKey: string | null;
	/** The pipeline's variables; values under secret-looking names (TOKEN, PASSWORD…) are masked. */
	variables: Record<string, string>;
	/** GitLab sends one hook per status change and may redeliver it: pipeline id + status is the dedupe key. */
	dedupeKey: string;
}

/** Constant-time comparison against every configured token (no early exit). */
export function checkGitlabToken(presented: string | undefined, secrets: GitlabWebhookOptions['secrets']): { ok: true } | { ok: false; reason: string } {
	const configured = secretList(secrets);
	if (configured.length === 0) return { ok: false, reason: 'no secret token is configured' };
	if (presented === undefined || presented === '') return { ok: false, reason: `the request carries no ${GITLAB_TOKEN_HEADER} header` };
	let matched = false;
	for (const secret of configured) matched = constantTimeEqual(secret.trim(), presented) || matched;
	return matched ? { ok: true } : { ok: false, reason: `${GITLAB_TOKEN_HEADER} does not match` };
}

/**
 * Verifies a GitLab pipeline webhook and returns the normalized event. Throws kind `auth` for a missing, wrong
 * or unconfigured token, kind `validation` for another event type or a malformed body.
 */
export function verifyGitlabPipelineWebhook(request: WebhookRequest, options: GitlabWebhookOptions): GitlabPipelineEvent {
	const check = checkGitlabToken(headerValue(request.headers, GITLAB_TOKEN_HEADER), options.secrets);
	if (!check.ok) throw new ConnectorError('auth', `GitLab webhook rejected: ${check.reason}`, { vendor: GITLAB_VENDOR, code: 'invalid_webhook_token' });
	const event = headerValue(request.headers, GITLAB_EVENT_HEADER);
	if (event !== GITLAB_PIPELINE_EVENT) throw validationError(`headers.${GITLAB_EVENT_HEADER}`, `"${GITLAB_PIPELINE_EVENT}"`, event ?? null, GITLAB_VENDOR);
	const hook = parseInput(gitlabPipelineHookSchema, parseJsonBody(request, GITLAB_VENDOR), 'body', GITLAB_VENDOR);
	const attributes = hook.object_attributes;
	const variables: Record<string, string> = {};
	for (const variable of attributes.variables ?? []) Object.defineProperty(variables, variable.key, { value: variable.value ?? '', enumerable: true, writable: true, configurable: true });
	const status = mapGitlabStatus(attributes.status);
	const projectUrl = hook.project?.web_url;
	return {
		source: 'gitlab',
		pipelineId: String(attributes.id),
		projectId: hook.project ? String(hook.project.id) : null,
		ref: attributes.ref,
		rawStatus: attributes.status,
		status,
		terminal: isTerminalStatus(status),
		url: attributes.url ?? (projectUrl ? `${projectUrl}/-/pipelines/${attributes.id}` : null),
		businessKey: variables[BUSINESS_KEY_VARIABLE] || null,
		idempotencyKey: variables[IDEMPOTENCY_VARIABLE] || null,
		variables: redact(variables),
		dedupeKey: `gitlab-pipeline-${hook.project?.id ?? 'unknown'}-${attributes.id}-${attributes.status}`,
	};
}
