import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import type { PipelineRun, PipelineRunner, PipelineRunState, TriggerInput } from '../../../../connectors/provisioning/pipeline';
import { attemptOf } from '../../../shared/fields';
import { collectionRows, locatorParameter, optionsParameter, stringParameter } from '../../../shared/params';
import type { CloudClients, PipelineProvider, PipelineTarget } from '../../clients';

const PROVIDERS: readonly PipelineProvider[] = ['gitlab', 'jenkins', 'terraform'];

export function providerOf(context: IExecuteFunctions, itemIndex: number): PipelineProvider {
	const provider = stringParameter(context, 'pipelineProvider', itemIndex) || 'gitlab';
	if (!(PROVIDERS as readonly string[]).includes(provider)) throw validationError('pipelineProvider', '"gitlab", "jenkins" or "terraform"', provider);
	return provider as PipelineProvider;
}

/** The project, job or workspace of the chosen provider; blank is refused here, before any credential is read. */
export function targetOf(context: IExecuteFunctions, itemIndex: number, provider: PipelineProvider): PipelineTarget {
	if (provider === 'gitlab') {
		const projectId = locatorParameter(context, 'project', itemIndex);
		if (!projectId) throw validationError('project', 'a GitLab project ID or path such as "group/project"', projectId);
		return { projectId };
	}
	if (provider === 'jenkins') {
		const job = stringParameter(context, 'jobName', itemIndex);
		if (!job) throw validationError('jobName', 'a Jenkins job name such as "provisioning/deploy-stack"', job);
		return { job };
	}
	const workspaceId = locatorParameter(context, 'workspace', itemIndex);
	if (!workspaceId) throw validationError('workspace', 'an HCP Terraform workspace ID such as "ws-AbC123"', workspaceId);
	const autoApply = optionsParameter(context, itemIndex).autoApply;
	return { workspaceId, ...(typeof autoApply === 'boolean' ? { autoApply } : {}) };
}

export async function runnerFor(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<{ provider: PipelineProvider; target: PipelineTarget; runner: PipelineRunner }> {
	const provider = providerOf(context, itemIndex);
	const target = targetOf(context, itemIndex, provider);
	return { provider, target, runner: await clients.pipeline(provider, target) };
}

/** The Variables rows as a name → value map; a blank or repeated name is refused. */
export function variablesOf(context: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const variables: Record<string, string> = {};
	for (const row of collectionRows(context, 'variables', 'variable', itemIndex)) {
		const name = typeof row.name === 'string' ? row.name.trim() : '';
		if (!name) throw validationError('variables', 'a name on every variable', row.name);
		if (Object.prototype.hasOwnProperty.call(variables, name)) throw validationError(`variables.${name}`, 'each variable name once', name);
		const value = row.value;
		// defineProperty: a variable named "__proto__" stays an entry (the connector then refuses it by name).
		Object.defineProperty(variables, name, { value: value === undefined || value === null ? '' : String(value), enumerable: true, writable: true, configurable: true });
	}
	return variables;
}

/** What Trigger and Destroy send: business key, variables, attempt, GitLab ref and Terraform message. */
export function triggerInputOf(context: IExecuteFunctions, itemIndex: number, provider: PipelineProvider): TriggerInput {
	const message = provider === 'terraform' ? String(optionsParameter(context, itemIndex).message ?? '').trim() : '';
	const ref = provider === 'gitlab' ? stringParameter(context, 'ref', itemIndex) : '';
	if (provider === 'gitlab' && !ref) throw validationError('ref', 'a branch or tag name such as "main"', ref);
	return {
		businessKey: stringParameter(context, 'businessKey', itemIndex),
		variables: variablesOf(context, itemIndex),
		attempt: attemptOf(context, itemIndex),
		...(ref ? { ref } : {}),
		...(message ? { message } : {}),
	};
}

function targetJson(target: PipelineTarget): IDataObject {
	if (target.projectId !== undefined) return { projectId: target.projectId };
	if (target.job !== undefined) return { job: target.job };
	return { workspaceId: target.workspaceId ?? null };
}

/**
 * One output shape for every provider. `runId` is the id to poll from now on: a Jenkins queue item becomes its build
 * (`nextId`), and the old id expires minutes after the build starts.
 */
export function runJson(provider: PipelineProvider, target: PipelineTarget, state: PipelineRunState | PipelineRun, requestedId?: string): IDataObject {
	const run = state as Partial<PipelineRun>;
	return {
		provider,
		...targetJson(target),
		runId: state.nextId ?? state.id,
		...(requestedId !== undefined && requestedId !== (state.nextId ?? state.id) ? { requestedRunId: requestedId } : {}),
		status: state.status,
		rawStatus: state.rawStatus,
		terminal: state.terminal,
		url: state.url,
		...(run.businessKey !== undefined ? { businessKey: run.businessKey, idempotencyKey: run.idempotencyKey, reused: run.reused } : {}),
	};
}
