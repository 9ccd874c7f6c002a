import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmDealUpdate, CrmProvider } from '../../../../connectors/crm';
import { validationError } from '../../../../connectors/core';
import type { OperationHandler } from '../../../shared/router';
import { showFor } from '../../descriptions';
import { isPlainObject, parseJson } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'Updates',
		name: 'updates',
		type: 'json',
		required: true,
		default: '[]',
		// eslint-disable-next-line n8n-nodes-base/node-param-description-miscased-id -- "id" is the JSON key users type
		description:
			'JSON array of [{"id" (the deal ID), "stage"?, "ownerId"?, "properties"?: {…}}]. Sent in batches (Salesforce Composite, HubSpot batch update); one output item per deal with ok/error.',
		displayOptions: showFor('deal', 'updateMany'),
	},
];

/** Checks the whole array before anything is sent, naming the first bad entry (e.g. `updates[2].id`). */
export function parseUpdates(raw: unknown): Array<{ id: string } & CrmDealUpdate> {
	const value = parseJson(raw, 'updates', []);
	if (!Array.isArray(value) || value.length === 0) throw validationError('updates', 'a non-empty JSON array of {"id", "stage"?, "ownerId"?, "properties"?}', value);
	return value.map((entry: unknown, index) => {
		const at = `updates[${index}]`;
		if (!isPlainObject(entry)) throw validationError(at, 'an object with an "id"', entry);
		const id = typeof entry.id === 'string' || typeof entry.id === 'number' ? String(entry.id).trim() : '';
		if (id === '') throw validationError(`${at}.id`, 'a non-empty deal ID', entry.id);
		const update: { id: string } & CrmDealUpdate = { id };
		for (const key of ['stage', 'ownerId'] as const) {
			const field = entry[key];
			if (field === undefined || field === null || field === '') continue;
			if (typeof field !== 'string' && typeof field !== 'number') throw validationError(`${at}.${key}`, 'a string', field);
			update[key] = String(field);
		}
		if (entry.properties !== undefined) {
			if (!isPlainObject(entry.properties)) throw validationError(`${at}.properties`, 'an object of field names to values', entry.properties);
			update.properties = entry.properties;
		}
		const unknownKeys = Object.keys(entry).filter((key) => !['id', 'stage', 'ownerId', 'properties'].includes(key));
		if (unknownKeys.length > 0) throw validationError(`${at}.${unknownKeys[0]}`, 'only id, stage, ownerId and properties (put other fields in "properties")', entry[unknownKeys[0]]);
		return update;
	});
}

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const updates = parseUpdates(context.getNodeParameter('updates', itemIndex, '[]'));
	return (await provider.updateDeals(updates)) as unknown as IDataObject[];
};
