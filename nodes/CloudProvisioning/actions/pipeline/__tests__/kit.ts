/** Test helpers for the pipeline and DNS record handlers: a fake n8n context whose credentials come by type. */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { ConnectorError } from '../../../../../connectors/core';
import type { OperationHandler } from '../../../../shared/router';
import { cloudClientsFor, type CloudClients } from '../../../clients';

export type Params = Record<string, unknown>;
export type Credentials = Record<string, Record<string, unknown>>;

export const node: INode = { id: '1', name: 'Cloud Provisioning', type: 'n8n-nodes-quote-to-cash.cloudProvisioning', typeVersion: 1, position: [0, 0], parameters: {} };

/** One item's parameters; resource locators resolve like n8n's `extractValue`. Unknown credential types fail. */
export function context(params: Params, credentials: Credentials, extra: Params = {}): IExecuteFunctions {
	return {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const value = name in params ? params[name] : fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async (type: string) => {
			if (!credentials[type]) throw new Error(`no ${type} credential in this test`);
			return credentials[type];
		},
		continueOnFail: () => false,
		getNode: () => node,
		getExecutionId: () => 'exec-1',
		...extra,
	} as unknown as IExecuteFunctions;
}

/** A list-search context: credentials by type and the node's current parameters. */
export function loadOptionsContext(params: Params, credentials: Credentials): ILoadOptionsFunctions {
	return {
		getCredentials: async (type: string) => credentials[type],
		getCurrentNodeParameter: (name: string) => params[name],
		getNode: () => node,
	} as unknown as ILoadOptionsFunctions;
}

/** Runs one handler the way the node's router does: clients built for the item. */
export async function run(handler: OperationHandler<CloudClients>, params: Params, credentials: Credentials): Promise<IDataObject> {
	const ctx = context(params, credentials);
	return (await handler(ctx, 0, cloudClientsFor(ctx, 0))) as IDataObject;
}

export async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ConnectorError);
	return error as ConnectorError;
}

export const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });
