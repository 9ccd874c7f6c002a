/** Test helper: an IExecuteFunctions for the Cloud Provisioning node, credentials per credential type. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { executeContext, type Params } from '../../shared/__tests__/receiptKit';
import { CloudProvisioning } from '../CloudProvisioning.node';

export const node: INode = { id: '1', name: 'Cloud Provisioning', type: 'n8n-nodes-quote-to-cash.cloudProvisioning', typeVersion: 1, position: [0, 0], parameters: {} };

export interface RunOptions {
	continueOnFail?: boolean;
	executionId?: string;
}

export function cloudContext(items: Params[], credentials: Record<string, ICredentialDataDecryptedObject>, options: RunOptions = {}): IExecuteFunctions & { requestedCredentials: string[] } {
	const requestedCredentials: string[] = [];
	const context = executeContext(items, {
		node,
		continueOnFail: options.continueOnFail,
		executionId: options.executionId,
		extra: {
			getCredentials: async (type: string) => {
				requestedCredentials.push(type);
				const found = credentials[type];
				if (!found) throw new Error(`Node does not have any credentials set for "${type}"`);
				return found;
			},
		},
	});
	return Object.assign(context, { requestedCredentials });
}

export async function runNode(items: Params[], credentials: Record<string, ICredentialDataDecryptedObject>, options: RunOptions = {}) {
	const context = cloudContext(items, credentials, options);
	const [output] = await new CloudProvisioning().execute.call(context);
	return { output, requestedCredentials: context.requestedCredentials };
}
