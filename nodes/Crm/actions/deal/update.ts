import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CrmDealUpdate, CrmProvider } from '../../../../connectors/crm';
import { validationError } from '../../../../connectors/core';
import type { OperationHandler } from '../../../shared/router';
import { dealLocator, ownerLocator, showFor } from '../../descriptions';
import { isPlainObject, locatorParameter, optionsParameter, parseJson, requiredLocator, stringParameter } from '../../params';

export const description: INodeProperties[] = [
	...dealLocator('deal', 'update'),
	{
		displayName: 'Stage',
		name: 'stage',
		type: 'string',
		default: '',
		placeholder: 'e.g. Closed Won (Salesforce) or 123456789 (HubSpot stage ID)',
		description: 'Stage to move the deal to: the Salesforce StageName or the HubSpot stage ID. Leave empty to keep it.',
		displayOptions: showFor('deal', 'update'),
	},
	...ownerLocator('deal', 'update', { description: 'New owner. Leave empty to keep the current one.' }),
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		placeholder: 'Add Field',
		default: {},
		typeOptions: { multipleValues: true },
		displayOptions: showFor('deal', 'update'),
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. NextStep or closedate', description: 'API name of the field or property' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('deal', 'update'),
		options: [
			{
				displayName: 'Custom Fields (JSON)',
				name: 'propertiesJson',
				type: 'json',
				default: '{}',
				description: 'More fields as a JSON object, values keep their type, e.g. {"Subscription_Id__c": "sub_123", "Amount": 1200}',
			},
		],
	},
];

/** Reads Stage, Owner, Fields and Custom Fields (JSON) into one update; at least one must be set. */
export function dealUpdateFromParameters(context: IExecuteFunctions, itemIndex: number): CrmDealUpdate {
	const update: CrmDealUpdate = {};
	const stage = stringParameter(context, 'stage', itemIndex);
	if (stage) update.stage = stage;
	const ownerId = locatorParameter(context, 'ownerId', itemIndex);
	if (ownerId) update.ownerId = ownerId;
	const properties: Record<string, unknown> = {};
	const rows = ((context.getNodeParameter('fields', itemIndex, {}) as IDataObject).field ?? []) as IDataObject[];
	rows.forEach((row, index) => {
		const name = String(row.name ?? '').trim();
		if (name === '') throw validationError(`fields.field[${index}].name`, 'the API name of a field', row.name);
		properties[name] = row.value;
	});
	const json = parseJson(optionsParameter(context, itemIndex).propertiesJson, 'options.propertiesJson', {});
	if (!isPlainObject(json)) throw validationError('options.propertiesJson', 'a JSON object of field names to values', json);
	Object.assign(properties, json);
	if (Object.keys(properties).length > 0) update.properties = properties;
	if (Object.keys(update).length === 0) throw validationError('fields', 'at least one change: Stage, Owner, Fields or Custom Fields (JSON)');
	return update;
}

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const dealId = requiredLocator(context, 'dealId', itemIndex, 'a deal ID');
	const update = dealUpdateFromParameters(context, itemIndex);
	return (await provider.updateDeal(dealId, update)) as unknown as IDataObject;
};
