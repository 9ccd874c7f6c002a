import type { PipelineStatus } from './types';

/**
 * HCP Terraform run statuses. Statuses not listed (the API has more than the docs, and adds new ones) count as
 * still running, so a workflow keeps waiting rather than acting on a guess.
 */
export const TERRAFORM_STATUS_MAP: Readonly<Record<string, PipelineStatus>> = {
	pending: 'queued',
	fetching: 'queued',
	fetching_completed: 'queued',
	queuing: 'queued',
	plan_queued: 'queued',
	applied: 'succeeded',
	planned_and_finished: 'succeeded',
	errored: 'failed',
	policy_soft_failed: 'failed',
	canceled: 'canceled',
	force_canceled: 'canceled',
	discarded: 'canceled',
	policy_override: 'waiting',
	tf_policy_override: 'waiting',
	pre_plan_awaiting_decision: 'waiting',
	planned_and_saved: 'waiting',
};

export interface TerraformRunFacts {
	autoApply?: boolean | null;
	/** `actions.is-confirmable`: the run is paused until someone applies it. */
	isConfirmable?: boolean | null;
}

export function mapTerraformStatus(raw: string, facts: TerraformRunFacts = {}): PipelineStatus {
	const known = Object.prototype.hasOwnProperty.call(TERRAFORM_STATUS_MAP, raw) ? TERRAFORM_STATUS_MAP[raw] : undefined;
	if (known === 'succeeded' || known === 'failed' || known === 'canceled') return known;
	if (raw === 'planned' && facts.autoApply !== true) return 'waiting';
	if (facts.isConfirmable === true) return 'waiting';
	return known ?? 'running';
}

/**
 * A string as an HCL literal: run variable values are HCL expressions, so text must be quoted, and template
 * sequences (`${`, `%{`) escaped so a value can never be evaluated.
 */
export function hclString(value: string): string {
	const escaped = value
		.replace(/\\/g, '\\\\')
		.replace(/"/g, '\\"')
		.replace(/\n/g, '\\n')
		.replace(/\r/g, '\\r')
		.replace(/\t/g, '\\t')
		.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
		.replace(/\$\{/g, () => '$${')
		.replace(/%\{/g, '%%{');
	return `"${escaped}"`;
}

const KEY_MARK = /\[q2c-key=([^\]\s]+)\]/;
const BUSINESS_MARK = /\[q2c-business-key=([^\]\s]+)\]/;

/** The run message carries both keys, so a retry can find the run and a notification can name the contract. */
export function runMessage(message: string | undefined, businessKey: string, key: string): string {
	return `${message?.trim() || 'Q2C provisioning'} [q2c-key=${key}] [q2c-business-key=${encodeURIComponent(businessKey)}]`;
}

export function keysFromRunMessage(message: string | null | undefined): { idempotencyKey: string | null; businessKey: string | null } {
	const key = message ? KEY_MARK.exec(message)?.[1] : undefined;
	const business = message ? BUSINESS_MARK.exec(message)?.[1] : undefined;
	let businessKey: string | null = null;
	try {
		businessKey = business ? decodeURIComponent(business) : null;
	} catch {
		businessKey = null;
	}
	return { idempotencyKey: key ?? null, businessKey };
}
