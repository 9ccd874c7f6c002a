import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { redact } from '../../connectors/core';
import { guardToolOperation, type ToolRisks } from './aiTool';
import { errorJson, toNodeError } from './errors';
import { withFastExpressions } from './fastExpressions';
import { planReceipt, recordReceipt, unrecordedReceiptOf, type SideEffects } from './receipt';

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

export interface RouteOptions {
	/** Operations an AI agent may not run without the tool's opt-in. */
	toolRisks?: ToolRisks;
	/** Operations that change something at a vendor; each can record its own receipt ("Record Receipt"). */
	sideEffects?: SideEffects;
}

/**
 * Runs resource/operation handlers for every input item (the Airtable v2 / Google Sheets v2 router
 * pattern). Output items keep `pairedItem`; with "Continue On Fail" a failing item yields an error item
 * instead of stopping the run. A side effect with "Record Receipt" on is recorded before its items are
 * output (they get `receipt: { id, sha256, step }`); if that fails, the item fails. Handlers read their
 * parameters through `withFastExpressions`.
 */
export async function routeOperations<C>(
	context: IExecuteFunctions,
	operations: OperationMap<C>,
	clientFor: (itemIndex: number) => Promise<C>,
	options: RouteOptions = {},
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	const params = withFastExpressions(context);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = params.getNodeParameter('resource', itemIndex) as string;
			const operation = params.getNodeParameter('operation', itemIndex) as string;
			const handler = operations[resource]?.[operation];
			if (!handler) throw new Error(`The operation "${operation}" is not known for resource "${resource}"`);
			guardToolOperation(params, options.toolRisks, resource, operation, itemIndex);
			const receipt = planReceipt(params, options.sideEffects, resource, operation, itemIndex);
			const client = await clientFor(itemIndex);
			const result = await handler(params, itemIndex, client);
			const jsons = Array.isArray(result) ? result : [result];
			const results = jsons.map((json) => outputItem(json, itemIndex));
			// No output means nothing was changed, so there is nothing to record.
			if (receipt && jsons.length > 0) {
				const stamp = await recordReceipt(params, receipt, jsons, itemIndex);
				for (const item of results) item.json = { ...item.json, receipt: { ...stamp } };
			}
			output.push(...results);
		} catch (error) {
			if (context.continueOnFail()) {
				const unrecordedReceipt = unrecordedReceiptOf(error);
				const json = unrecordedReceipt ? { ...errorJson(error), unrecordedReceipt: redact(unrecordedReceipt) } : errorJson(error);
				// The item-level `error` is what n8n routes to the error output ("On Error: Continue (using error output)");
				// without it our error items, which carry more than `error`/`message`, would go down the success branch.
				output.push({ json: json as IDataObject, error: toNodeError(context.getNode(), error, itemIndex), pairedItem: { item: itemIndex } });
				continue;
			}
			throw toNodeError(context.getNode(), error, itemIndex);
		}
	}
	return [output];
}
