import type { INodeProperties } from 'n8n-workflow';
import type { ToolRisks } from '../../../shared/aiTool';
import { operationProperty } from '../../../shared/fields';
import { effectIds, pick, type EffectOf, type SideEffects } from '../../../shared/receipt';
import type { OperationHandler } from '../../../shared/router';
import type { CloudClients } from '../../clients';
import * as cancel from './cancel';
import * as destroy from './destroy';
import { properties } from './fields';
import * as get from './get';
import * as getOutputs from './getOutputs';
import { searchGitlabProjects, searchTerraformWorkspaces } from './listSearch';
import * as trigger from './trigger';

export { ACTION_VARIABLE, DESTROY_ACTION } from '../../../../connectors/provisioning/pipeline';

export const description: INodeProperties[] = [
	operationProperty('pipeline', 'trigger', [
		{ name: 'Cancel', value: 'cancel', action: 'Cancel a pipeline run', description: 'Stop a run in progress; a finished run is left as it is' },
		{
			name: 'Destroy',
			value: 'destroy',
			action: 'Destroy what a pipeline built',
			description: 'Rollback: a Terraform destroy run, or the GitLab/Jenkins pipeline with Q2C_ACTION=destroy',
		},
		{ name: 'Get', value: 'get', action: 'Get a pipeline run', description: 'Get the normalized status of a run, for a Wait loop' },
		{ name: 'Get Outputs', value: 'getOutputs', action: 'Get workspace outputs', description: "Get an HCP Terraform workspace's current outputs (sensitive ones redacted)" },
		{ name: 'Trigger', value: 'trigger', action: 'Trigger a pipeline', description: 'Start a pipeline for a business key (idempotent)' },
	]),
	...properties,
];

export const operations: Record<string, OperationHandler<CloudClients>> = {
	trigger: trigger.execute,
	get: get.execute,
	cancel: cancel.execute,
	destroy: destroy.execute,
	getOutputs: getOutputs.execute,
};

export const listSearch = { searchGitlabProjects, searchTerraformWorkspaces };

/** A receipt names the run (its id is what compensation cancels or waits for) and where it runs; never a token. */
const pipelineRun: EffectOf = (json) =>
	effectIds('pipeline.run', json.runId, pick(json, ['provider', 'projectId', 'job', 'workspaceId', 'businessKey', 'idempotencyKey', 'reused', 'status', 'action', 'url']));

/**
 * "Record Receipt" for the pipeline resource (merged into the node's sideEffects): Trigger records
 * `provisioning.pipeline.trigger`; the rollbacks Destroy and Cancel record `compensation.provisioning.pipeline.destroy`
 * / `.cancel` (the node's actions/index.ts gives rollbacks their compensation step when the Step option is blank).
 */
export const sideEffects: SideEffects = {
	system: 'provisioning',
	operations: { pipeline: { trigger: pipelineRun, destroy: pipelineRun, cancel: pipelineRun } },
};

/** Refused to an AI agent unless the tool opts in: these undo provisioning. */
export const toolRisks: ToolRisks = { pipeline: { destroy: 'undoes a customer effect', cancel: 'undoes a customer effect' } };
