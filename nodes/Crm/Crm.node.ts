import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { CrmProvider, CrmProviderName } from '../../connectors/crm';
import { routeOperations } from '../shared/router';
import { operations, properties, sideEffects } from './actions';
import { crmApiTest } from './methods/credentialTest';
import { searchAccounts, searchDeals, searchOwners } from './methods/listSearch';
import { crmProviderFor } from './transport';

export class Crm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM',
		name: 'crm',
		icon: { light: 'file:crm.svg', dark: 'file:crm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{($parameter["provider"] === "hubspot" ? "HubSpot" : "Salesforce") + ": " + $parameter["operation"] + " " + $parameter["resource"]}}',
		description: 'Deals, accounts, leads, owners and tasks in Salesforce or HubSpot through one set of operations',
		defaults: { name: 'CRM' },
		usableAsTool: true,
		// The legacy n8n-nodes-base rules predate NodeConnectionTypes, which the community rules require.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		// Literal names: the credential-test lint rule reads them statically (same values as CRM_CREDENTIALS).
		credentials: [
			{ name: 'salesforceCrmApi', required: true, testedBy: 'crmApiTest', displayOptions: { show: { provider: ['salesforce'] } } },
			{ name: 'hubspotCrmApi', required: true, testedBy: 'crmApiTest', displayOptions: { show: { provider: ['hubspot'] } } },
		],
		properties,
	};

	methods = {
		listSearch: { searchAccounts, searchDeals, searchOwners },
		credentialTest: { crmApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The provider is not an expression (noDataExpression): one CRM per node run.
		const name = this.getNodeParameter('provider', 0) as CrmProviderName;
		let provider: CrmProvider | undefined;
		return await routeOperations(this, operations, async () => (provider ??= await crmProviderFor(this, name)), { sideEffects });
	}
}
