import type { INodeProperties } from 'n8n-workflow';

/** DocuSign IDs are GUIDs. */
const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** displayOptions for one resource/operation pair. */
export function showFor(resource: string, operation: string) {
	return { show: { resource: [resource], operation: [operation] } };
}

export function envelopeLocator(operation: string): INodeProperties {
	return {
		displayName: 'Envelope',
		name: 'envelopeId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The DocuSign envelope',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchEnvelopes', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 4b1f0c2e-0000-4a4a-9d9d-123456789abc',
				validation: [{ type: 'regex', properties: { regex: GUID, errorMessage: 'Not a DocuSign envelope ID (a GUID)' } }],
			},
		],
		displayOptions: showFor('envelope', operation),
	};
}

export function templateLocator(operation: string): INodeProperties {
	return {
		displayName: 'Template',
		name: 'templateId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The DocuSign template the envelope is created from',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7c9d1e2f-0000-4b4b-8c8c-123456789abc',
				validation: [{ type: 'regex', properties: { regex: GUID, errorMessage: 'Not a DocuSign template ID (a GUID)' } }],
			},
		],
		displayOptions: showFor('envelope', operation),
	};
}
