import type { IBinaryKeyData, ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { createRoutingStateStore, type RoutingStateStore } from '../../connectors/revops/routingState';
import { errorJson, toNodeError } from '../shared/errors';
import { REVOPS_CREDENTIAL, settingsCache, type RevOpsSettings } from './settings';

/**
 * The node's outputs for its parameters. Kept self-contained (no imports, literal 'main'): the description ships it
 * as text in an expression, so the editor draws exactly the outputs `execute` fills.
 */
export const configuredOutputs = (parameters: { resource?: unknown; operation?: unknown; routeDenied?: unknown }) => {
	if (parameters.resource === 'policy' && parameters.routeDenied === true) {
		return [
			{ type: 'main', displayName: 'Allowed' },
			{ type: 'main', displayName: 'Denied' },
		];
	}
	if (parameters.resource === 'lead' && parameters.operation === 'parseCsv') {
		return [
			{ type: 'main', displayName: 'Leads' },
			{ type: 'main', displayName: 'Invalid Rows' },
		];
	}
	return ['main'];
};

/** One output item of an operation. `secondary` items (denied, invalid rows) go to the second output when there is one. */
export interface RevOpsOutput {
	json: IDataObject;
	binary?: IBinaryKeyData;
	secondary?: boolean;
}

/** What operations share within one execution: the tenant's settings and the routing state store, each made once. */
export interface RevOpsRuntime {
	settings(itemIndex: number): Promise<RevOpsSettings>;
	routingStore(): RoutingStateStore;
}

export type RevOpsHandler = (context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime) => Promise<RevOpsOutput[]>;

export type RevOpsOperations = Record<string, Record<string, RevOpsHandler>>;

function createRuntime(context: IExecuteFunctions): RevOpsRuntime & { close(): Promise<void> } {
	const settingsFor = settingsCache();
	let store: RoutingStateStore | undefined;
	return {
		async settings(itemIndex) {
			return settingsFor((await context.getCredentials(REVOPS_CREDENTIAL, itemIndex)) as ICredentialDataDecryptedObject);
		},
		routingStore() {
			store ??= createRoutingStateStore();
			return store;
		},
		async close() {
			await store?.close();
		},
	};
}

/**
 * Runs the chosen operation for every input item. Output items keep `pairedItem` and the input's binary when the
 * operation passes the item through. With "Continue On Fail" an item that fails becomes an error item on the last
 * output: with "Route Denied" on, an item the policy could not judge is denied, never allowed.
 */
export async function routeRevOps(context: IExecuteFunctions, operations: RevOpsOperations): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const routeDenied = resource === 'policy' ? context.getNodeParameter('routeDenied', 0, false) : false;
	const outputs: INodeExecutionData[][] = configuredOutputs({ resource, operation, routeDenied }).map(() => []);
	const last = outputs.length - 1;
	const handler = operations[resource]?.[operation];
	const runtime = createRuntime(context);
	try {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				if (!handler) throw new Error(`The operation "${operation}" is not known for resource "${resource}"`);
				for (const result of await handler(context, itemIndex, runtime)) {
					const out: INodeExecutionData = { json: result.json, pairedItem: { item: itemIndex } };
					if (result.binary) out.binary = result.binary;
					outputs[result.secondary ? last : 0].push(out);
				}
			} catch (error) {
				if (!context.continueOnFail()) throw toNodeError(context.getNode(), error, itemIndex);
				outputs[last].push({
					json: { ...items[itemIndex].json, ...(errorJson(error) as IDataObject) },
					error: toNodeError(context.getNode(), error, itemIndex),
					pairedItem: { item: itemIndex },
				});
			}
		}
	} finally {
		await runtime.close();
	}
	return outputs;
}
