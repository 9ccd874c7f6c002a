import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { isConnectorError } from '../../connectors/core';
import { evaluateContractActivation, type PolicyConfigInput } from '../../connectors/policy';
import { revOpsConfigApiTest } from '../RevOps/settings';
import { errorJson, toNodeError } from '../shared/errors';
import { withFastExpressions } from '../shared/fastExpressions';
import { policyProperties } from './description';
import { revOpsEvaluator } from './revOpsMode';

/** 0 in the editor means "no limit"; the policy itself treats a missing limit that way. */
function limit(value: unknown): unknown {
	return value === 0 || value === '' || value === null || value === undefined ? undefined : value;
}

function readPolicy(context: IExecuteFunctions, itemIndex: number): PolicyConfigInput {
	const param = (name: string) => context.getNodeParameter(name, itemIndex) as never;
	return {
		requireSignature: param('requireSignature'),
		requiredApprovals: param('requiredApprovals'),
		allowedJurisdictions: param('allowedJurisdictions'),
		maxAmount: limit(param('maxAmount')) as number | undefined,
		minTermMonths: limit(param('minTermMonths')) as number | undefined,
		maxTermMonths: limit(param('maxTermMonths')) as number | undefined,
		requiredReceipts: param('requiredReceipts'),
	};
}

function readAttributes(context: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	const attributes: Record<string, unknown> = {};
	for (const name of ['signed', 'approvals', 'jurisdiction', 'amount', 'termMonths', 'currency']) {
		attributes[name] = context.getNodeParameter(name, itemIndex);
	}
	return attributes;
}

/** What a blocked item carries when the policy could not be evaluated (Continue On Fail). */
function failedDecision(error: unknown): IDataObject {
	const field = isConnectorError(error) ? (error.field ?? null) : null;
	const message = error instanceof Error ? error.message : String(error);
	return {
		policy: 'contract_activation',
		allow: false,
		blocking_issues: [{ code: 'POLICY_EVALUATION_FAILED', message, field }],
		summary: message,
		required_receipts: [],
		allowed_jurisdictions: [],
	};
}

// A two-output router is not offered as an AI tool: a tool returns one result to the agent, so the
// allowed/blocked routing (the point of this node) would be lost. The Evidence node is the tool.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class Policy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Contract Policy',
		name: 'policy',
		icon: { light: 'file:policy.svg', dark: 'file:policy.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'contract activation',
		description: 'Checks a contract against the activation policy and routes it to allowed or blocked',
		defaults: { name: 'Contract Policy' },
		// The nodes-base rules predate NodeConnectionTypes (which the community rules require) and two outputs.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['allowed', 'blocked'],
		credentials: [{ name: 'revOpsConfigApi', required: true, testedBy: 'revOpsConfigApiTest', displayOptions: { show: { rulesFrom: ['revOpsConfig'] } } }],
		properties: policyProperties,
	};

	methods = { credentialTest: { revOpsConfigApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const allowed: INodeExecutionData[] = [];
		const blocked: INodeExecutionData[] = [];
		// Workflows saved before "Rules From" existed have no value for it: they keep the node-field rules.
		const params = withFastExpressions(this);
		const evaluateRevOps = this.getNodeParameter('rulesFrom', 0, 'nodeFields') === 'revOpsConfig' ? revOpsEvaluator(params) : undefined;
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const item = items[itemIndex];
			try {
				const decision = evaluateRevOps
					? await evaluateRevOps(itemIndex)
					: (evaluateContractActivation(readPolicy(params, itemIndex), readAttributes(params, itemIndex)) as unknown as IDataObject);
				const out: INodeExecutionData = { json: { ...item.json, policy: decision }, pairedItem: { item: itemIndex } };
				if (item.binary) out.binary = item.binary;
				(decision.allow === true ? allowed : blocked).push(out);
			} catch (error) {
				if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
				// Never fail open: an item the policy could not judge goes to "blocked".
				blocked.push({ json: { ...item.json, ...errorJson(error), policy: failedDecision(error) }, pairedItem: { item: itemIndex } });
			}
		}
		return [allowed, blocked];
	}
}
