import { type HttpTransport, validationError, z } from '../../core';
import { hclString, keysFromRunMessage, mapTerraformStatus, runMessage } from './terraformStatus';
import { checkBaseUrl, createPipelineTransport, type PipelineConnectionOptions, segment } from './transport';
import { isTerminalStatus, PIPELINE_DESTROY_STEP, PIPELINE_TRIGGER_STEP, type PipelineRun, type PipelineRunner, type PipelineRunState, type TriggerInput } from './types';
import { type ParsedTrigger, parseTriggerInput, requireText } from './validate';

export const TERRAFORM_VENDOR = 'HCP Terraform';
export const TERRAFORM_DEFAULT_URL = 'https://app.terraform.io';
const JSON_API = 'application/vnd.api+json';
const RUN_ID = /^run-[A-Za-z0-9]+$/;
const WORKSPACE_ID = /^ws-[A-Za-z0-9]+$/;

export interface TerraformConnectionOptions extends PipelineConnectionOptions {
	/** HCP Terraform or Terraform Enterprise URL without `/api/v2`; default https://app.terraform.io. */
	baseUrl?: string;
	/** A user or team token (organization tokens cannot create runs). */
	token: string;
}

export interface TerraformRunnerOptions extends TerraformConnectionOptions {
	workspaceId: string;
	/** Sent as the run's `auto-apply`; unset = the workspace's own setting. */
	autoApply?: boolean;
	/**
	 * Also send Q2C_IDEMPOTENCY_KEY / Q2C_BUSINESS_KEY as run variables (default false): only when the
	 * configuration declares them as variables. The keys always travel in the run message.
	 */
	sendKeyVariables?: boolean;
	/** Recent workspace runs searched for an earlier run with the same key (default 20, at most 100). */
	lookupLimit?: number;
}

const runSchema = z
	.object({
		id: z.string(),
		attributes: z
			.object({
				status: z.string(),
				message: z.string().nullish(),
				'auto-apply': z.boolean().nullish(),
				'is-destroy': z.boolean().nullish(),
				actions: z.object({ 'is-cancelable': z.boolean().nullish(), 'is-confirmable': z.boolean().nullish(), 'is-discardable': z.boolean().nullish() }).passthrough().nullish(),
			})
			.passthrough(),
	})
	.passthrough();
type TerraformRun = z.infer<typeof runSchema>;
const workspaceSchema = z.object({
	data: z.object({ id: z.string(), attributes: z.object({ name: z.string() }).passthrough(), relationships: z.object({ organization: z.object({ data: z.object({ id: z.string() }) }) }).passthrough().nullish() }).passthrough(),
});

export function checkTerraformId(value: unknown, field: string, pattern: RegExp, example: string): string {
	if (typeof value !== 'string' || !pattern.test(value.trim())) throw validationError(field, `an HCP Terraform id such as "${example}"`, value, TERRAFORM_VENDOR);
	return value.trim();
}

/** Transport for the HCP Terraform API (JSON:API, Bearer token); also used by the workspace picker and outputs. */
export function createTerraformTransport(options: TerraformConnectionOptions): HttpTransport {
	const baseUrl = checkBaseUrl(options.baseUrl ?? TERRAFORM_DEFAULT_URL, TERRAFORM_VENDOR, TERRAFORM_DEFAULT_URL);
	const token = requireText(options.token, 'token', 'an HCP Terraform user or team API token', TERRAFORM_VENDOR, true);
	return createPipelineTransport(
		{ vendor: TERRAFORM_VENDOR, baseUrl: `${baseUrl}/api/v2`, headers: () => ({ Authorization: `Bearer ${token}`, Accept: JSON_API }), secrets: [token], defaultRateLimit: { perSecond: 20, burst: 30 } },
		options,
	);
}

/**
 * HCP Terraform runs on one workspace; `destroy` queues an `is-destroy` run (the rollback). Idempotency: the key is
 * written into the run message and the last `lookupLimit` runs of the workspace are searched for it first; a run
 * older than that is not found, so keep the returned run id and poll it rather than trigger again.
 */
export class TerraformPipelineRunner implements PipelineRunner {
	readonly vendor = TERRAFORM_VENDOR;
	private readonly api: HttpTransport;
	private readonly appUrl: string;
	private readonly workspaceId: string;
	private readonly lookupLimit: number;
	private runUrlBase?: Promise<string | null>;

	constructor(private readonly options: TerraformRunnerOptions) {
		this.workspaceId = checkTerraformId(options.workspaceId, 'workspaceId', WORKSPACE_ID, 'ws-AbC123');
		if (options.autoApply !== undefined && typeof options.autoApply !== 'boolean') throw validationError('autoApply', 'true or false', options.autoApply, TERRAFORM_VENDOR);
		const limit = options.lookupLimit ?? 20;
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validationError('lookupLimit', 'a whole number from 1 to 100', limit, TERRAFORM_VENDOR);
		this.lookupLimit = limit;
		this.api = createTerraformTransport(options);
		this.appUrl = checkBaseUrl(options.baseUrl ?? TERRAFORM_DEFAULT_URL, TERRAFORM_VENDOR, TERRAFORM_DEFAULT_URL);
	}

	async trigger(input: TriggerInput): Promise<PipelineRun> {
		return this.createRun(parseTriggerInput(input, PIPELINE_TRIGGER_STEP, TERRAFORM_VENDOR), false);
	}

	/** Rollback: a destroy run, idempotent per business key like `trigger` (with its own key). */
	async destroy(input: TriggerInput): Promise<PipelineRun> {
		return this.createRun(parseTriggerInput(input, PIPELINE_DESTROY_STEP, TERRAFORM_VENDOR), true);
	}

	async get(id: string): Promise<PipelineRunState> {
		return this.toState(await this.fetchRun(id));
	}

	/** Cancels a plan or apply in progress; a plan waiting for confirmation is discarded instead. */
	async cancel(id: string): Promise<PipelineRunState> {
		const data = await this.fetchRun(id);
		const before = await this.toState(data);
		if (before.terminal) return before;
		const actions = data.attributes.actions ?? {};
		const action = actions['is-cancelable'] === false && actions['is-discardable'] === true ? 'discard' : 'cancel';
		await this.api.request({
			method: 'POST',
			path: `/runs/${segment(id)}/actions/${action}`,
			body: { comment: 'Canceled by Q2C provisioning' },
			headers: { 'Content-Type': JSON_API },
			// Cancelling twice cannot do harm, so the call may be repeated.
			idempotencyKey: `${action}-${id}`,
		});
		return this.get(id);
	}

	private async fetchRun(id: string): Promise<TerraformRun> {
		const runId = checkTerraformId(id, 'id', RUN_ID, 'run-AbC123');
		const answer = await this.api.request({ method: 'GET', path: `/runs/${segment(runId)}`, responseSchema: z.object({ data: runSchema }) });
		return answer.data;
	}

	private async createRun(parsed: ParsedTrigger, isDestroy: boolean): Promise<PipelineRun> {
		const run = async (data: TerraformRun, reused: boolean): Promise<PipelineRun> => ({ ...(await this.toState(data)), businessKey: parsed.businessKey, idempotencyKey: parsed.idempotencyKey, reused });
		const existing = await this.findByKey(parsed.idempotencyKey);
		if (existing) return run(existing, true);
		const variables = Object.entries(parsed.variables)
			.filter(([key]) => this.options.sendKeyVariables === true || !key.startsWith('Q2C_'))
			.map(([key, value]) => ({ key, value: hclString(value) }));
		const attributes: Record<string, unknown> = { message: runMessage(parsed.message, parsed.businessKey, parsed.idempotencyKey), 'is-destroy': isDestroy, variables };
		if (this.options.autoApply !== undefined) attributes['auto-apply'] = this.options.autoApply;
		// Not retried inside the call (a lost answer may have queued a run); a repeat finds it by its message.
		const answer = await this.api.request({
			method: 'POST',
			path: '/runs',
			headers: { 'Content-Type': JSON_API },
			body: { data: { type: 'runs', attributes, relationships: { workspace: { data: { type: 'workspaces', id: this.workspaceId } } } } },
			responseSchema: z.object({ data: runSchema }),
		});
		return run(answer.data, false);
	}

	/** The newest run of the workspace whose message carries `key`. */
	async findByKey(key: string): Promise<TerraformRun | undefined> {
		const answer = await this.api.request({
			method: 'GET',
			path: `/workspaces/${segment(this.workspaceId)}/runs`,
			query: { 'page[size]': this.lookupLimit },
			responseSchema: z.object({ data: z.array(runSchema) }),
		});
		return answer.data.find((r) => keysFromRunMessage(r.attributes.message).idempotencyKey === key);
	}

	private async toState(data: TerraformRun): Promise<PipelineRunState> {
		const raw = data.attributes.status;
		const status = mapTerraformStatus(raw, { autoApply: data.attributes['auto-apply'], isConfirmable: data.attributes.actions?.['is-confirmable'] });
		const base = await this.runUrl();
		return { id: data.id, status, rawStatus: raw, url: base ? `${base}/${data.id}` : null, terminal: isTerminalStatus(status) };
	}

	/** The web UI address needs the organization and workspace names: read once, then kept. */
	private runUrl(): Promise<string | null> {
		this.runUrlBase ??= this.api
			.request({ method: 'GET', path: `/workspaces/${segment(this.workspaceId)}`, responseSchema: workspaceSchema })
			.then((w) => {
				const org = w.data.relationships?.organization.data.id;
				return org ? `${this.appUrl}/app/${segment(org)}/workspaces/${segment(w.data.attributes.name)}/runs` : null;
			})
			.catch((error: unknown) => {
				this.runUrlBase = undefined;
				throw error;
			});
		return this.runUrlBase;
	}
}
