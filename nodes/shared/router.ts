import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { guardToolOperation, type ToolRisks } from './aiTool';
import { errorJson, toNodeError } from './errors';

const BINARY = Symbol('q2c.binary');

/**
 * Lets a handler return binary data (e.g. a downloaded PDF) with its json. The binary rides on a hidden
 * symbol key, so OperationHandler's return type (and every existing handler) stays unchanged.
 */
export function withBinary(json: IDataObject, binary: IBinaryKeyData): IDataObject {
	return Object.defineProperty({ ...json }, BINARY, { value: binary, enumerable: false });
}

function outputItem(json: IDataObject, itemIndex: number): INodeExecutionData {
	const binary = (json as { [BINARY]?: IBinaryKeyData })[BINARY];
	return binary ? { json: { ...json }, binary, pairedItem: { item: itemIndex } } : { json, pairedItem: { item: itemIndex } };
}

/** One operation: reads its parameters for `itemIndex` and returns the item's output json. */
export type OperationHandler<C> = (context: IExecuteFunctions, itemIndex: number, client: C) => Promise<IDataObject | IDataObject[]>;

export type OperationMap<C> = Record<string, Record<string, OperationHandler<C>>>;

/**
 * Runs resource/operation handlers for every input item (the Airtable v2 / Google Sheets v2 router
 * pattern). Output items keep `pairedItem`; with "Continue On Fail" a failing item yields an error item
 * instead of stopping the run. `toolRisks` names the operations an AI agent may not run without an opt-in.
 */
export async function routeOperations<C>(
	context: IExecuteFunctions,
	operations: OperationMap<C>,
	clientFor: (itemIndex: number) => Promise<C>,
	toolRisks?: ToolRisks,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = context.getNodeParameter('resource', itemIndex) as string;
			const operation = context.getNodeParameter('operation', itemIndex) as string;
			const handler = operations[resource]?.[operation];
			if (!handler) throw new Error(`The operation "${operation}" is not known for resource "${resource}"`);
			guardToolOperation(context, toolRisks, resource, operation, itemIndex);
			const client = await clientFor(itemIndex);
			const result = await handler(context, itemIndex, client);
			for (const json of Array.isArray(result) ? result : [result]) output.push(outputItem(json, itemIndex));
		} catch (error) {
			if (context.continueOnFail()) {
				output.push({ json: errorJson(error) as IDataObject, pairedItem: { item: itemIndex } });
				continue;
			}
			throw toNodeError(context.getNode(), error, itemIndex);
		}
	}
	return [output];
}
