import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { VmfClient } from '../../connectors/vmf';
import { routeOperations } from '../shared/router';
import { operations, properties, sideEffects, toolRisks } from './actions';
import { searchOrders } from './methods/listSearch';
import { vmfClientFor } from './transport';

export class Vmf implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VMF',
		name: 'vmf',
		icon: { light: 'file:vmf.svg', dark: 'file:vmf.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read VMF orders as contracts, move them through their lifecycle, resolve activations, work VTM tasks and cancel subscription assignments',
		defaults: { name: 'VMF' },
		usableAsTool: true,
		// n8n-nodes-base's older rules want the 'main' literal; the community rules (newer) want the enum.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'vmfApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchOrders } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let client: VmfClient | undefined;
		return routeOperations(this, operations, async () => (client ??= await vmfClientFor(this)), { toolRisks, sideEffects });
	}
}
