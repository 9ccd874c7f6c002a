import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { requiredString } from '../../../shared/params';
import type { CloudClients } from '../../clients';
import { runJson, runnerFor } from './target';

/**
 * Stops a run in progress (a Terraform plan awaiting confirmation is discarded); a run that already ended is left
 * as it is and returned, so cancelling twice is fine.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { provider, target, runner } = await runnerFor(context, itemIndex, clients);
	const runId = requiredString(context, 'runId', itemIndex, 'the runId a Trigger or Destroy returned');
	return runJson(provider, target, await runner.cancel(runId), runId);
}
