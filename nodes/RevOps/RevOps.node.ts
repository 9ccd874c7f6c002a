import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { operationProperties, operations } from './operations';
import { configuredOutputs, routeRevOps } from './router';
import { revOpsConfigApiTest } from './settings';

export class RevOps implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RevOps',
		name: 'revOps',
		icon: { light: 'file:revOps.svg', dark: 'file:revOps.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: "Routes leads, evaluates quotes and gates contract activation with a tenant's RevOps rules (built-in or OPA)",
		defaults: { name: 'RevOps' },
		// The nodes-base rules predate NodeConnectionTypes and outputs computed from parameters.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// Two outputs only when denied decisions are routed apart, or for a CSV's invalid rows (the Switch node's way).
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		usableAsTool: true,
		credentials: [{ name: 'revOpsConfigApi', required: true, testedBy: 'revOpsConfigApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Lead', value: 'lead' },
					{ name: 'Policy', value: 'policy' },
					{ name: 'Simulation', value: 'simulation' },
				],
				default: 'policy',
			},
			...operationProperties,
		],
	};

	methods = { credentialTest: { revOpsConfigApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return routeRevOps(this, operations);
	}
}
