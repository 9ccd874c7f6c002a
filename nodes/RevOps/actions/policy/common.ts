import type { IExecuteFunctions } from 'n8n-workflow';
import type { DecisionKind } from '../../../../connectors/revops';
import { inputItem, outputKey, policyJson } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';

/**
 * Evaluates one decision with the tenant's engine and passes the item through with the result under the output key.
 * A denied decision is `secondary`: it leaves on "Denied" when the node routes denied decisions.
 */
export async function evaluateForItem(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime, kind: DecisionKind, attributes: unknown): Promise<RevOpsOutput[]> {
	const { tenant, config, engine } = await runtime.settings(itemIndex);
	const result = await engine.evaluate(kind, attributes, config);
	const item = inputItem(context, itemIndex);
	return [{ json: { ...item.json, [outputKey(context, itemIndex)]: policyJson(tenant, result) }, binary: item.binary, secondary: !result.decision.allow }];
}
