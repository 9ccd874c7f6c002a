import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import { getTerraformOutputs } from '../../../../connectors/provisioning/pipeline';
import type { CloudClients } from '../../clients';
import { providerOf, targetOf } from './target';

/**
 * The workspace's current Terraform outputs (what the last apply produced: endpoints, ids). Outputs Terraform marks
 * sensitive are never read out: their value is "[redacted]" and their names are listed in `sensitiveOutputs`.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const provider = providerOf(context, itemIndex);
	if (provider !== 'terraform') throw validationError('pipelineProvider', '"terraform": only HCP Terraform workspaces have outputs', provider);
	const { workspaceId = '' } = targetOf(context, itemIndex, provider);
	const { transport } = await clients.terraformApi();
	const found = await getTerraformOutputs(transport, workspaceId);
	const outputs: IDataObject = {};
	const sensitiveOutputs: string[] = [];
	for (const output of Object.values(found)) {
		Object.defineProperty(outputs, output.name, { value: output.value as IDataObject[string], enumerable: true, writable: true, configurable: true });
		if (output.sensitive) sensitiveOutputs.push(output.name);
	}
	return { provider, workspaceId, outputs, sensitiveOutputs };
}
