/**
 * One shape for every CI/CD or infrastructure pipeline a provisioning workflow can start (GitLab CI, Jenkins,
 * HCP Terraform), so a workflow waits, compensates and reports without knowing the vendor.
 */

/** Normalized run status. `waiting` = paused until a person acts (manual job, plan awaiting approval). */
export type PipelineStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled';

export const PIPELINE_STATUSES: readonly PipelineStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'canceled'];

const TERMINAL = new Set<PipelineStatus>(['succeeded', 'failed', 'canceled']);

export function isTerminalStatus(status: PipelineStatus): boolean {
	return TERMINAL.has(status);
}

/** Variable carrying the deterministic idempotency key into the pipeline; how a retried trigger finds its run. */
export const IDEMPOTENCY_VARIABLE = 'Q2C_IDEMPOTENCY_KEY';
/** Variable carrying the business key (contract/order id), so webhooks can be routed back to the contract. */
export const BUSINESS_KEY_VARIABLE = 'Q2C_BUSINESS_KEY';
export const RESERVED_VARIABLES: readonly string[] = [IDEMPOTENCY_VARIABLE, BUSINESS_KEY_VARIABLE];

export const PIPELINE_TRIGGER_STEP = 'provisioning.pipeline.trigger';
export const PIPELINE_DESTROY_STEP = 'provisioning.pipeline.destroy';
/** GitLab CI and Jenkins have no destroy of their own: the same pipeline runs with Q2C_ACTION=destroy and tears down. */
export const ACTION_VARIABLE = 'Q2C_ACTION';
export const DESTROY_ACTION = 'destroy';

export interface TriggerInput {
	/** Contract or order id: the same key never starts a second pipeline. */
	businessKey: string;
	/** Pipeline variables; names match [A-Za-z_][A-Za-z0-9_]*, values are strings. */
	variables?: Record<string, string>;
	/** Branch or tag (GitLab, required unless a default is configured); ignored by Jenkins and Terraform. */
	ref?: string;
	/** After a compensated attempt, the next attempt number gets a fresh key (see core stepForAttempt). */
	attempt?: number;
	/** Human-readable reason shown in the vendor's UI (Terraform run message). */
	message?: string;
}

export interface PipelineRunState {
	/** Opaque run id to pass to `get` / `cancel`. */
	id: string;
	status: PipelineStatus;
	/** The vendor's own status word, for display and audit. */
	rawStatus: string;
	url: string | null;
	terminal: boolean;
	/**
	 * A better id to poll from now on, when the vendor moved the run (a Jenkins queue item became a build;
	 * queue items expire minutes after they leave the queue).
	 */
	nextId?: string;
}

export interface PipelineRun extends PipelineRunState {
	businessKey: string;
	idempotencyKey: string;
	/** True when an existing run for the same key was found and returned instead of starting a new one. */
	reused: boolean;
}

export interface PipelineRunner {
	readonly vendor: string;
	/** Starts a run, or returns the run an earlier trigger with the same business key started (where findable). */
	trigger(input: TriggerInput): Promise<PipelineRun>;
	get(id: string): Promise<PipelineRunState>;
	cancel(id: string): Promise<PipelineRunState>;
	/** Rollback: tears down what the pipeline built (HCP Terraform destroy runs; GitLab/Jenkins: Q2C_ACTION=destroy). */
	destroy?(input: TriggerInput): Promise<PipelineRun>;
}
