import type { INodePropertyOptions } from 'n8n-workflow';
import { GITLAB_STATUS_MAP } from '../../connectors/provisioning/pipeline';

/** Where the delivery comes from; each source has its own verification and credential. */
export type ProvisioningSource = 'gitlab' | 'terraform';

export const GITLAB_WEBHOOK_CREDENTIAL = 'provisioningGitlabWebhookApi';
export const TERRAFORM_WEBHOOK_CREDENTIAL = 'provisioningTerraformWebhookApi';

const MIB = 1024 * 1024;

/**
 * The largest delivery each source sends, with ample headroom; a bigger body is answered 413 before it is
 * verified or parsed (the pattern of MAX_DELIVERY_BYTES in nodes/shared/webhookTrigger.ts).
 */
export const MAX_PROVISIONING_DELIVERY_BYTES: Readonly<Record<ProvisioningSource, number>> = {
	/** A Pipeline Hook lists every job of the pipeline (builds[]): a few KB each, hundreds at most. */
	gitlab: 4 * MIB,
	/** One notification of a single run: a few hundred bytes. */
	terraform: MIB,
};

/** The finished statuses: what a provisioning workflow usually waits for. */
export const DEFAULT_GITLAB_STATUSES = ['canceled', 'failed', 'success'];

const titleCase = (value: string) => value.split(/[_:]/).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

/** Every GitLab pipeline status, by name (the editor lists options sorted). */
export const GITLAB_STATUS_OPTIONS: INodePropertyOptions[] = Object.keys(GITLAB_STATUS_MAP)
	.map((value) => ({ name: titleCase(value), value }))
	.sort((a, b) => a.name.localeCompare(b.name));

/** HCP Terraform notification triggers (notification-configurations API). */
export const TERRAFORM_TRIGGER_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Assessment: Check Failure', value: 'assessment:check_failure', description: 'A continuous validation check failed' },
	{ name: 'Assessment: Drifted', value: 'assessment:drifted', description: 'The infrastructure drifted from its configuration' },
	{ name: 'Assessment: Failed', value: 'assessment:failed', description: 'A health assessment could not run' },
	{ name: 'Run: Applying', value: 'run:applying', description: 'A run started applying' },
	{ name: 'Run: Completed', value: 'run:completed', description: 'A run finished successfully (applied, or planned with no changes)' },
	{ name: 'Run: Created', value: 'run:created', description: 'A run was queued' },
	{ name: 'Run: Errored', value: 'run:errored', description: 'A run ended early: an error or a cancellation' },
	{ name: 'Run: Needs Attention', value: 'run:needs_attention', description: 'A plan waits to be confirmed or a policy to be overridden' },
	{ name: 'Run: Planning', value: 'run:planning', description: 'A run started planning' },
	{ name: 'Workspace: Auto Destroy Reminder', value: 'workspace:auto_destroy_reminder', description: 'The workspace is about to be destroyed automatically' },
	{ name: 'Workspace: Auto Destroy Results', value: 'workspace:auto_destroy_run_results', description: 'The automatic destroy run finished' },
];

/** The run endings: what a provisioning workflow usually waits for. */
export const DEFAULT_TERRAFORM_TRIGGERS = ['run:completed', 'run:errored'];
