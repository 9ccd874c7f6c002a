import { type HttpTransport, validationError, z } from '../../core';
import { checkBaseUrl, createPipelineTransport, mapGitlabError, type PipelineConnectionOptions, segment } from './transport';
import { IDEMPOTENCY_VARIABLE, isTerminalStatus, PIPELINE_DESTROY_STEP, PIPELINE_TRIGGER_STEP, type PipelineRun, type PipelineRunner, type PipelineRunState, type PipelineStatus, type TriggerInput } from './types';
import { type ParsedTrigger, parseTriggerInput, withDestroyAction, requireNumericId, requireText } from './validate';

export const GITLAB_VENDOR = 'GitLab';
export const GITLAB_DEFAULT_URL = 'https://gitlab.com';

/** Every pipeline status GitLab documents. `manual` waits for a person; unknown words count as still running. */
export const GITLAB_STATUS_MAP: Readonly<Record<string, PipelineStatus>> = {
	created: 'queued',
	waiting_for_resource: 'queued',
	preparing: 'queued',
	pending: 'queued',
	scheduled: 'queued',
	waiting_for_callback: 'running',
	running: 'running',
	canceling: 'running',
	manual: 'waiting',
	success: 'succeeded',
	failed: 'failed',
	// Nothing ran: for provisioning that is not a success.
	skipped: 'failed',
	canceled: 'canceled',
};

export function mapGitlabStatus(raw: string): PipelineStatus {
	return Object.prototype.hasOwnProperty.call(GITLAB_STATUS_MAP, raw) ? GITLAB_STATUS_MAP[raw] : 'running';
}

const pipelineSchema = z.object({ id: z.number().int(), status: z.string(), web_url: z.string().nullish(), ref: z.string().nullish() }).passthrough();
const pipelineListSchema = z.array(pipelineSchema);
const variableListSchema = z.array(z.object({ key: z.string(), value: z.string().nullish() }).passthrough());
type GitlabPipeline = z.infer<typeof pipelineSchema>;

export interface GitlabConnectionOptions extends PipelineConnectionOptions {
	/** Instance URL without `/api/v4`; default https://gitlab.com. */
	baseUrl?: string;
	/** Personal/project access token: status, cancel, the idempotency lookup and pickers need it. */
	privateToken: string;
}

export interface GitlabRunnerOptions extends GitlabConnectionOptions {
	/** Numeric id or full path ("group/project"). */
	projectId: string | number;
	/** Pipeline trigger token (it can only trigger). */
	triggerToken: string;
	defaultRef?: string;
	/** Recent triggered pipelines searched for an earlier run with the same key (default 20, at most 100). */
	lookupLimit?: number;
}

/** Transport for GitLab's REST API with `PRIVATE-TOKEN`; also used by the project picker. */
export function createGitlabApiTransport(options: GitlabConnectionOptions): HttpTransport {
	const baseUrl = checkBaseUrl(options.baseUrl ?? GITLAB_DEFAULT_URL, GITLAB_VENDOR, GITLAB_DEFAULT_URL);
	const privateToken = requireText(options.privateToken, 'privateToken', 'a GitLab personal or project access token', GITLAB_VENDOR, true);
	return createPipelineTransport(
		{ vendor: GITLAB_VENDOR, baseUrl, headers: () => ({ 'PRIVATE-TOKEN': privateToken }), secrets: [privateToken], defaultRateLimit: { perSecond: 10, burst: 20 }, mapError: mapGitlabError },
		options,
	);
}

/**
 * GitLab CI through a pipeline trigger token. Idempotency: the key travels as Q2C_IDEMPOTENCY_KEY, and before
 * triggering the most recent `source=trigger` pipelines on the ref are searched for it (their variables). A run
 * older than `lookupLimit` pipelines on that ref is not found: keep the returned run id and poll it instead.
 */
export class GitlabPipelineRunner implements PipelineRunner {
	readonly vendor = GITLAB_VENDOR;
	private readonly api: HttpTransport;
	private readonly triggerApi: HttpTransport;
	private readonly projectPath: string;
	private readonly triggerToken: string;
	private readonly defaultRef?: string;
	private readonly lookupLimit: number;

	constructor(options: GitlabRunnerOptions) {
		const projectId = requireText(options.projectId, 'projectId', 'a GitLab project id or path such as "group/project"', GITLAB_VENDOR);
		this.projectPath = `/api/v4/projects/${segment(projectId)}`;
		this.triggerToken = requireText(options.triggerToken, 'triggerToken', 'a GitLab pipeline trigger token', GITLAB_VENDOR, true);
		this.api = createGitlabApiTransport(options);
		// The trigger call needs only the trigger token, so the access token is not sent with it.
		const baseUrl = checkBaseUrl(options.baseUrl ?? GITLAB_DEFAULT_URL, GITLAB_VENDOR, GITLAB_DEFAULT_URL);
		this.triggerApi = createPipelineTransport(
			{ vendor: GITLAB_VENDOR, baseUrl, secrets: [this.triggerToken, options.privateToken], defaultRateLimit: { perSecond: 10, burst: 20 }, mapError: mapGitlabError },
			options,
		);
		if (options.defaultRef !== undefined) this.defaultRef = requireText(options.defaultRef, 'defaultRef', 'a branch or tag name such as "main"', GITLAB_VENDOR);
		const limit = options.lookupLimit ?? 20;
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validationError('lookupLimit', 'a whole number from 1 to 100', limit, GITLAB_VENDOR);
		this.lookupLimit = limit;
	}

	async trigger(input: TriggerInput): Promise<PipelineRun> {
		return this.start(parseTriggerInput(input, PIPELINE_TRIGGER_STEP, GITLAB_VENDOR));
	}

	/** Rollback: the same pipeline with Q2C_ACTION=destroy, under the destroy step's key (a repeat finds the destroy run). */
	async destroy(input: TriggerInput): Promise<PipelineRun> {
		return this.start(parseTriggerInput(withDestroyAction(input, GITLAB_VENDOR), PIPELINE_DESTROY_STEP, GITLAB_VENDOR));
	}

	private async start(parsed: ParsedTrigger): Promise<PipelineRun> {
		const ref = parsed.ref ?? this.defaultRef;
		if (ref === undefined) throw validationError('ref', 'a branch or tag name such as "main" (no defaultRef is configured)', undefined, GITLAB_VENDOR);
		const run = (pipeline: GitlabPipeline, reused: boolean): PipelineRun => ({
			...toState(pipeline),
			businessKey: parsed.businessKey,
			idempotencyKey: parsed.idempotencyKey,
			reused,
		});
		const existing = await this.findByKey(ref, parsed.idempotencyKey);
		if (existing) return run(existing, true);
		const form = new URLSearchParams({ token: this.triggerToken, ref });
		for (const [name, value] of Object.entries(parsed.variables)) form.append(`variables[${name}]`, value);
		// Not retried inside the call (a lost answer may have started a pipeline); a repeat finds it by key instead.
		const pipeline = await this.triggerApi.request({
			method: 'POST',
			path: `${this.projectPath}/trigger/pipeline`,
			body: form.toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			responseSchema: pipelineSchema,
		});
		return run(pipeline, false);
	}

	async get(id: string): Promise<PipelineRunState> {
		const pipelineId = requireNumericId(id, 'id', GITLAB_VENDOR);
		return toState(await this.api.request({ method: 'GET', path: `${this.projectPath}/pipelines/${pipelineId}`, responseSchema: pipelineSchema }));
	}

	async cancel(id: string): Promise<PipelineRunState> {
		const pipelineId = requireNumericId(id, 'id', GITLAB_VENDOR);
		// Cancelling twice is harmless, so the call may be retried (the key marks it safe to repeat).
		const pipeline = await this.api.request({ method: 'POST', path: `${this.projectPath}/pipelines/${pipelineId}/cancel`, idempotencyKey: `cancel-${pipelineId}`, responseSchema: pipelineSchema });
		return toState(pipeline);
	}

	/** The newest triggered pipeline on `ref` whose Q2C_IDEMPOTENCY_KEY equals `key`, if any. */
	async findByKey(ref: string, key: string): Promise<GitlabPipeline | undefined> {
		const pipelines = await this.api.request({
			method: 'GET',
			path: `${this.projectPath}/pipelines`,
			query: { ref, source: 'trigger', order_by: 'id', sort: 'desc', per_page: this.lookupLimit },
			responseSchema: pipelineListSchema,
		});
		for (const pipeline of pipelines) {
			const variables = await this.api.request({ method: 'GET', path: `${this.projectPath}/pipelines/${pipeline.id}/variables`, responseSchema: variableListSchema });
			if (variables.some((v) => v.key === IDEMPOTENCY_VARIABLE && v.value === key)) return pipeline;
		}
		return undefined;
	}
}

function toState(pipeline: GitlabPipeline): PipelineRunState {
	const status = mapGitlabStatus(pipeline.status);
	return { id: String(pipeline.id), status, rawStatus: pipeline.status, url: pipeline.web_url ?? null, terminal: isTerminalStatus(status) };
}
