import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CrmLeadInput, CrmProvider } from '../../../../connectors/crm';
import { validationError } from '../../../../connectors/core';
import type { OperationHandler } from '../../../shared/router';
import { ownerLocator, showFor } from '../../descriptions';
import { isPlainObject, locatorParameter, parseJson, requiredString } from '../../params';

/** Additional field → the connector's input name. */
const TEXT_FIELDS = ['firstName', 'lastName', 'company', 'country', 'state', 'status', 'source'] as const;

const text = (displayName: string, name: string, description?: string): INodeProperties => ({ displayName, name, type: 'string', default: '', ...(description ? { description } : {}) });

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'The key: a lead with this email is returned as it is (created: false), otherwise one is created',
		displayOptions: showFor('lead', 'upsert'),
	},
	...ownerLocator('lead', 'upsert', { description: 'Owner of a lead this creates. An existing lead keeps its owner: use Change Owner.' }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Written only when the lead is created. Salesforce needs Last Name and Company for that.',
		displayOptions: showFor('lead', 'upsert'),
		options: [
			text('Company', 'company'),
			text('Country', 'country'),
			{
				displayName: 'Custom Fields (JSON)',
				name: 'properties',
				type: 'json',
				default: '{}',
				description: 'More fields by API name (Salesforce, e.g. Segment__c) or internal property name (HubSpot)',
			},
			text('First Name', 'firstName'),
			text('Last Name', 'lastName'),
			text('Lead Source', 'source', 'Salesforce LeadSource. HubSpot sets the source itself; use a custom field there.'),
			text('State', 'state'),
			text('Status', 'status', 'Salesforce Status (e.g. Open - Not Contacted) or HubSpot lead status (e.g. NEW)'),
		],
	},
];

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const input: CrmLeadInput = { email: requiredString(context, 'email', itemIndex, 'an email address') };
	const fields = (context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject) ?? {};
	for (const name of TEXT_FIELDS) {
		const value = fields[name];
		if (typeof value === 'string' && value.trim() !== '') input[name] = value.trim();
	}
	const properties = parseJson(fields.properties, 'additionalFields.properties', {});
	if (!isPlainObject(properties)) throw validationError('additionalFields.properties', 'a JSON object of field names to values', properties);
	if (Object.keys(properties).length > 0) input.properties = properties;
	const ownerId = locatorParameter(context, 'ownerId', itemIndex);
	if (ownerId) input.ownerId = ownerId;
	return (await provider.upsertLead(input)) as unknown as IDataObject;
};
