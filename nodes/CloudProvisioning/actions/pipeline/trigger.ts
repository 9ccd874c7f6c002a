import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CloudClients } from '../../clients';
import { runJson, runnerFor, triggerInputOf } from './target';

/**
 * Starts the pipeline, or returns the run an earlier Trigger with the same business key and attempt started
 * (`reused: true`). Poll it with Get (a Wait loop) or wait for the Provisioning Trigger.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const { provider, target, runner } = await runnerFor(context, itemIndex, clients);
	const run = await runner.trigger(triggerInputOf(context, itemIndex, provider));
	return runJson(provider, target, run);
}
