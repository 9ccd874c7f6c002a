import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription, NodeConnectionTypes } from 'n8n-workflow';
import type { SuperAdminClient } from '../../connectors/superadmin';
import { allowRiskyToolField, type ToolRisks } from '../shared/aiTool';
import { effectIds, pick, receiptFields, type EffectOf, type SideEffects } from '../shared/receipt';
import { type OperationMap, routeOperations } from '../shared/router';
import * as apiKey from './actions/apiKey';
import * as customer from './actions/customer';
import * as featureFlags from './actions/featureFlags';
import * as maintenance from './actions/maintenance';
import * as subscription from './actions/subscription';
import * as tenant from './actions/tenant';
import * as tenantDatabase from './actions/tenantDatabase';
import { superAdminClient } from './client';
import { searchTenants } from './listSearch';

const operations: OperationMap<SuperAdminClient> = {
	tenant: { get: tenant.get.execute, create: tenant.create.execute, findBySubdomain: tenant.findBySubdomain.execute },
	subscription: { enable: subscription.enable.execute, disable: subscription.disable.execute, changeEdition: subscription.changeEdition.execute },
	featureFlags: { getForTier: featureFlags.getForTier.execute, applyTier: featureFlags.applyTier.execute, getForTenant: featureFlags.getForTenant.execute },
	maintenance: { get: maintenance.get.execute, set: maintenance.set.execute },
	apiKey: { generate: apiKey.generate.execute, revoke: apiKey.revoke.execute },
	tenantDatabase: { get: tenantDatabase.get.execute, switch: tenantDatabase.switchDatabase.execute },
	customer: { get360: customer.get360.execute, upsertProfile: customer.upsertProfile.execute },
};

/** Refused to an AI agent unless the tool opts in: a generated key would land in the model's context. */
const toolRisks: ToolRisks = {
	apiKey: { generate: 'returns a secret', revoke: 'undoes a customer effect' },
	subscription: { disable: 'undoes a customer effect' },
};

const inner = (json: IDataObject, key: string): IDataObject => (json[key] ?? {}) as IDataObject;
const subscriptionOf =
	(flag: string): EffectOf =>
	(json) =>
		effectIds('superadmin.subscription', json.tenantId, pick(json, ['tenantId', flag]));
// The key's id only: its secret (and prefix) never go into a receipt.
const apiKeyOf: EffectOf = (json) => effectIds('superadmin.apiKey', inner(json, 'apiKey').id, pick(json, ['tenantId']));
// A generated key that replaced keys whose secret was lost names them, so the chain shows why they were revoked.
const generatedKeyOf: EffectOf = (json, all) => {
	const replaced = Array.isArray(json.replacedKeyIds) && json.replacedKeyIds.length > 0 ? { replacedKeyIds: json.replacedKeyIds } : {};
	return { ...apiKeyOf(json, all), ...replaced };
};

/** Changes that can record their receipt in the same step ("Record Receipt"), with the ids each receipt names. */
const sideEffects: SideEffects = {
	system: 'superadmin',
	operations: {
		tenant: { create: (json) => effectIds('superadmin.tenant', inner(json, 'tenant').id) },
		subscription: { enable: subscriptionOf('changed'), disable: subscriptionOf('alreadyDisabled'), changeEdition: subscriptionOf('changed') },
		featureFlags: { applyTier: (json) => effectIds('superadmin.featureFlags', json.tenantId, { ...pick(json, ['tenantId']), ...pick(inner(json, 'requested'), ['tier']) }) },
		maintenance: { set: (json) => effectIds('superadmin.maintenance', inner(json, 'maintenance').tenantId, pick(inner(json, 'maintenance'), ['tenantId', 'enabled'])) },
		apiKey: { generate: generatedKeyOf, revoke: apiKeyOf },
		tenantDatabase: { switch: (json) => effectIds('superadmin.tenantDatabase', inner(json, 'database').tenantId, { ...pick(inner(json, 'database'), ['tenantId', 'backend']), vaultRef: inner(json, 'database').connectionSecretRef ?? null }) },
		customer: { upsertProfile: (json) => effectIds('superadmin.customer', json.customerKey) },
	},
};

export class SuperAdmin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Super Admin',
		name: 'superAdmin',
		icon: { light: 'file:superAdmin.svg', dark: 'file:superAdmin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Turn subscriptions, tier feature flags, maintenance mode and API keys on the platform on or off',
		defaults: { name: 'Super Admin' },
		usableAsTool: true,
		// The older base rules predate NodeConnectionTypes and contradict the community plugin's rule.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'superAdminApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'API Key', value: 'apiKey' },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Feature Flag', value: 'featureFlags' },
					{ name: 'Maintenance Mode', value: 'maintenance' },
					{ name: 'Subscription', value: 'subscription' },
					{ name: 'Tenant', value: 'tenant' },
					{ name: 'Tenant Database', value: 'tenantDatabase' },
				],
				default: 'subscription',
			},
			...tenant.description,
			...subscription.description,
			...featureFlags.description,
			...maintenance.description,
			...tenantDatabase.description,
			...apiKey.description,
			...customer.description,
			...receiptFields(sideEffects),
			allowRiskyToolField,
		],
	};

	methods = { listSearch: { searchTenants } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// One client per execution: its rate limiter and retries are shared by all items.
		let client: Promise<SuperAdminClient> | undefined;
		return routeOperations(this, operations, () => (client ??= superAdminClient(this)), { toolRisks, sideEffects });
	}
}
