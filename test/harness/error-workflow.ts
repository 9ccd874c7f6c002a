/** Runs an error workflow from its Error Trigger with the item n8n builds for a failed execution. */
import type { IDataObject } from 'n8n-workflow';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from './run-workflow';
import { HARNESS_BASE_URL, type WorkflowJson } from './types';

export interface ErrorWorkflowOptions extends Omit<RunWorkflowOptions, 'startNode' | 'startData' | 'mode'> {
	/** Set as execution.retryOf, as n8n does for retried executions. */
	retryOf?: string;
}

/** Plain JSON of an execution error (as stored by n8n), keeping message/name/stack/description/node. */
export function serializeExecutionError(error: unknown): IDataObject {
	const source = error as Error & { description?: unknown; node?: unknown };
	const plain = JSON.parse(JSON.stringify(source ?? {})) as IDataObject;
	return {
		...plain,
		message: source?.message,
		name: source?.name,
		stack: source?.stack,
		...(source?.description !== undefined ? { description: source.description as string } : {}),
		...(source?.node !== undefined ? { node: JSON.parse(JSON.stringify(source.node)) as IDataObject } : {}),
	};
}

/** The Error Trigger item of n8n's executeErrorWorkflow for a failed execution. */
export function buildErrorTriggerItem(failedRun: WorkflowRunResult, retryOf?: string): IDataObject {
	if (failedRun.status !== 'error' || failedRun.error === undefined) {
		throw new Error(`[harness] n8n only starts error workflows for failed executions; this run's status is "${failedRun.status}"`);
	}
	const execution: IDataObject = {
		id: failedRun.executionId,
		url: `${HARNESS_BASE_URL}/workflow/${failedRun.workflow.id}/executions/${failedRun.executionId}`,
		error: serializeExecutionError(failedRun.error),
		lastNodeExecuted: failedRun.lastNodeExecuted,
		mode: failedRun.mode,
	};
	if (retryOf !== undefined) execution.retryOf = retryOf;
	return { execution, workflow: { id: failedRun.workflow.id, name: failedRun.workflow.name } };
}

export async function runErrorWorkflow(
	errorWorkflowJson: WorkflowJson,
	failedRun: WorkflowRunResult,
	options: ErrorWorkflowOptions = {},
): Promise<WorkflowRunResult> {
	const errorTriggers = errorWorkflowJson.nodes.filter((node) => node.type === 'n8n-nodes-base.errorTrigger' && !node.disabled);
	if (errorTriggers.length !== 1) {
		throw new Error(`[harness] an error workflow needs exactly one Error Trigger node, found ${errorTriggers.length}`);
	}
	return await runWorkflow(errorWorkflowJson, {
		...options,
		startNode: errorTriggers[0].name,
		startData: [{ json: buildErrorTriggerItem(failedRun, options.retryOf) }],
		mode: 'error',
	});
}
