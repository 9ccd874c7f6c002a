import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { routeOperations } from '../shared/router';
import { ledgerFor, optionsProperty } from './actions/common';
import * as receipt from './actions/receipt';

export class Evidence implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Evidence',
		name: 'evidence',
		icon: { light: 'file:evidence.svg', dark: 'file:evidence.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Records hash-chained receipts per contract, verifies them and exports evidence bundles',
		defaults: { name: 'Evidence' },
		// The nodes-base rules predate NodeConnectionTypes, which the community rules require.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Receipt', value: 'receipt' }],
				default: 'receipt',
			},
			...receipt.description,
			optionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return routeOperations(this, { receipt: receipt.operations }, async (itemIndex) => ledgerFor(this, itemIndex));
	}
}
