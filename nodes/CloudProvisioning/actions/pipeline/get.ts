import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { requiredString } from '../../../shared/params';
import type { CloudClients } from '../../clients';
import { runJson, runnerFor } from './target';

/**
 * The run's normalized status (queued, running, waiting, succeeded, failed, canceled) and `terminal`, for a Wait loop:
 * loop while `terminal` is false, and poll `runId` from the output (a Jenkins queue item turns into its build).
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { provider, target, runner } = await runnerFor(context, itemIndex, clients);
	const runId = requiredString(context, 'runId', itemIndex, 'the runId a Trigger or Destroy returned');
	return runJson(provider, target, await runner.get(runId), runId);
}
