import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { DocusignClient } from '../../connectors/docusign';
import { routeOperations } from '../shared/router';
import { operations, properties, sideEffects, toolRisks } from './actions';
import { docusignApiTest } from './methods/credentialTest';
import { searchEnvelopes, searchTemplates } from './methods/listSearch';
import { docusignClient } from './transport';

export class Docusign implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocuSign',
		name: 'docusign',
		icon: { light: 'file:docusign.svg', dark: 'file:docusign.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send contracts for signature from DocuSign templates, read their status and form data, download the signed PDF, void',
		defaults: { name: 'DocuSign' },
		usableAsTool: true,
		// The legacy n8n-nodes-base rules predate NodeConnectionTypes, which the community rules require.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docusignApi', required: true, testedBy: 'docusignApiTest' }],
		properties,
	};

	methods = {
		listSearch: { searchTemplates, searchEnvelopes },
		credentialTest: { docusignApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let client: DocusignClient | undefined;
		return await routeOperations(this, operations, async () => (client ??= await docusignClient(this)), { toolRisks, sideEffects });
	}
}
