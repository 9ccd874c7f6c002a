import type { INodeProperties } from 'n8n-workflow';
import type { CrmProvider } from '../../../connectors/crm';
import { operationProperty } from '../../shared/fields';
import { effectIds, pick, receiptFields, type EffectOf, type SideEffects } from '../../shared/receipt';
import type { OperationMap } from '../../shared/router';
import * as accountFindByDomain from './account/findByDomain';
import * as accountGet from './account/get';
import * as accountGetMany from './account/getMany';
import * as dealChangeOwner from './deal/changeOwner';
import * as dealGet from './deal/get';
import * as dealGetMany from './deal/getMany';
import * as dealUpdate from './deal/update';
import * as dealUpdateMany from './deal/updateMany';
import * as leadChangeOwner from './lead/changeOwner';
import * as leadGet from './lead/get';
import * as leadUpsert from './lead/upsert';
import * as ownerGetMany from './owner/getMany';
import * as taskCreate from './task/create';

const deal =
	(...keys: string[]): EffectOf =>
	(json) =>
		effectIds('crm.deal', json.id, pick(json, ['provider', ...keys]));

/** Per-record results: the receipt names the deals changed and those the CRM refused. */
const dealsOf: EffectOf = (_json, all) => {
	const updated = all.filter((result) => result.ok === true).map((result) => String(result.id));
	const failed = all.filter((result) => result.ok !== true).map((result) => String(result.id));
	return effectIds('crm.deals', updated.join(',') || 'none', { updated, failed });
};

/** Ids only: the email of a lead is personal data and stays out of the evidence chain. */
const lead =
	(...keys: string[]): EffectOf =>
	(json) =>
		effectIds('crm.lead', json.id, pick(json, ['provider', ...keys]));

/** Writes that can record their receipt in the same step ("Record Receipt"), with the ids each receipt names. */
export const sideEffects: SideEffects = {
	system: 'crm',
	operations: {
		deal: { update: deal('stageId', 'ownerId'), updateMany: dealsOf, changeOwner: deal('ownerId') },
		task: { create: (json) => effectIds('crm.task', json.id, pick(json, ['provider', 'dealId', 'created'])) },
		lead: { upsert: lead('created', 'ownerId'), changeOwner: lead('ownerId', 'previousOwnerId', 'changed') },
	},
};

export const operations: OperationMap<CrmProvider> = {
	deal: {
		get: dealGet.execute,
		getMany: dealGetMany.execute,
		update: dealUpdate.execute,
		updateMany: dealUpdateMany.execute,
		changeOwner: dealChangeOwner.execute,
	},
	account: { get: accountGet.execute, findByDomain: accountFindByDomain.execute, getMany: accountGetMany.execute },
	lead: { upsert: leadUpsert.execute, get: leadGet.execute, changeOwner: leadChangeOwner.execute },
	owner: { getMany: ownerGetMany.execute },
	task: { create: taskCreate.execute },
};

const providerProperty: INodeProperties = {
	displayName: 'CRM',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	default: 'salesforce',
	options: [
		{ name: 'HubSpot', value: 'hubspot' },
		{ name: 'Salesforce', value: 'salesforce' },
	],
	description: 'The same operations work on both; switch CRM by switching this and the credential',
};

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'deal',
	options: [
		{ name: 'Account', value: 'account', description: 'Salesforce Account / HubSpot company' },
		{ name: 'Deal', value: 'deal', description: 'Salesforce Opportunity / HubSpot deal' },
		{ name: 'Lead', value: 'lead', description: 'Salesforce Lead / HubSpot contact' },
		{ name: 'Owner', value: 'owner', description: 'Salesforce user / HubSpot owner' },
		{ name: 'Task', value: 'task' },
	],
};

const operationProperties: INodeProperties[] = [
	operationProperty('account', 'findByDomain', [
		{ name: 'Find by Domain', value: 'findByDomain', action: 'Find an account by domain', description: 'Find the account of a domain, website or email address' },
		{ name: 'Get', value: 'get', action: 'Get an account', description: 'Get an account by ID' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many accounts', description: 'Search accounts by name' },
	]),
	operationProperty('deal', 'get', [
		{ name: 'Change Owner', value: 'changeOwner', action: 'Change the owner of a deal', description: 'Assign a deal to another owner' },
		{ name: 'Get', value: 'get', action: 'Get a deal', description: 'Get a deal by ID' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many deals', description: 'Search deals by name' },
		{ name: 'Update', value: 'update', action: 'Update a deal', description: 'Change stage, owner or fields of a deal' },
		{ name: 'Update Many', value: 'updateMany', action: 'Update many deals', description: 'Update many deals in batched requests' },
	]),
	operationProperty('lead', 'upsert', [
		{ name: 'Change Owner', value: 'changeOwner', action: 'Change the owner of a lead', description: 'Assign a lead to its routed owner (no write when it already is)' },
		{ name: 'Get', value: 'get', action: 'Get a lead', description: 'Get a lead by ID, with whether it was touched since assignment' },
		// Not n8n's "Create or Update": an existing lead is returned as it is, never overwritten by a repeated submission.
		// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-upsert, n8n-nodes-base/node-param-description-wrong-for-upsert
		{ name: 'Upsert', value: 'upsert', action: 'Create or find a lead', description: 'Find the lead of an email, or create it' },
	]),
	operationProperty('owner', 'getMany', [
		{ name: 'Get Many', value: 'getMany', action: 'Get many owners', description: 'List owners (users who can own deals)' },
	]),
	operationProperty('task', 'create', [
		{ name: 'Create', value: 'create', action: 'Create a task', description: 'Create a task on a deal, once per business key' },
	]),
];

export const properties: INodeProperties[] = [
	providerProperty,
	resourceProperty,
	...operationProperties,
	...dealGet.description,
	...dealGetMany.description,
	...dealUpdate.description,
	...dealUpdateMany.description,
	...dealChangeOwner.description,
	...accountGet.description,
	...accountFindByDomain.description,
	...accountGetMany.description,
	...leadUpsert.description,
	...leadGet.description,
	...leadChangeOwner.description,
	...ownerGetMany.description,
	...taskCreate.description,
	...receiptFields(sideEffects),
];
