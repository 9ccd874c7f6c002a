import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { StripeBillingClient } from '../../connectors/billing';
import { routeOperations } from '../shared/router';
import { operations, properties, sideEffects, toolRisks } from './actions';
import { searchCustomers, searchSubscriptions } from './methods/listSearch';
import { billingClient, CREDENTIAL_NAME } from './transport';

export class Billing implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Billing (Stripe)',
		name: 'billing',
		icon: { light: 'file:billing.svg', dark: 'file:billing.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Bill in Stripe: customers, prices, subscriptions, invoices and refunds for signed contracts, Checkout sessions and metered usage for self-service signups; each write idempotent',
		defaults: { name: 'Billing (Stripe)' },
		usableAsTool: true,
		// The legacy n8n-nodes-base rules predate NodeConnectionTypes, which the community rules require.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties,
	};

	methods = {
		listSearch: { searchCustomers, searchSubscriptions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let client: StripeBillingClient | undefined;
		return await routeOperations(this, operations, async () => (client ??= await billingClient(this)), { toolRisks, sideEffects });
	}
}
