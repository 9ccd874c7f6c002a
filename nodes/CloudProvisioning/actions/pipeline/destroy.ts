import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CloudClients } from '../../clients';
import { ConnectorError } from '../../../../connectors/core';
import { runJson, runnerFor, triggerInputOf } from './target';

/**
 * Rollback of what Trigger built. HCP Terraform: a destroy run (`is-destroy`) on the workspace. GitLab and Jenkins:
 * the same pipeline started with Q2C_ACTION=destroy (it must act on that variable). Idempotent per business key and
 * attempt, with its own key: a repeat returns the destroy run, never the provisioning one.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { provider, target, runner } = await runnerFor(context, itemIndex, clients);
	const input = triggerInputOf(context, itemIndex, provider);
	if (!runner.destroy) throw new ConnectorError('validation', `${runner.vendor} has no destroy`, { field: 'pipelineProvider' });
	const run = await runner.destroy(input);
	return { ...runJson(provider, target, run), action: 'destroy' };
}
