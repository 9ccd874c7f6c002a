import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import type { CreateEnvelopeInput, DocusignClient } from '../../../../connectors/docusign';
import type { OperationHandler } from '../../../shared/router';
import { showFor, templateLocator } from '../../descriptions';
import { collectionRows, locatorParameter, optionsParameter, parseJson, stringParameter } from '../../params';

const show = showFor('envelope', 'createFromTemplate');
const showTabs = (mode: string) => ({ show: { ...show.show, prefilledTabsMode: [mode] } });

export const description: INodeProperties[] = [
	templateLocator('createFromTemplate'),
	{
		displayName: 'Business Key',
		name: 'businessKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ORD-2024-0042',
		description:
			'The contract or deal ID, stored on the envelope as a hidden custom field. Makes the create idempotent: a rerun returns the open envelope of this key instead of sending another.',
		displayOptions: show,
	},
	{
		displayName: 'Email Subject',
		name: 'emailSubject',
		type: 'string',
		default: '',
		placeholder: 'e.g. Please sign your order ORD-2024-0042',
		description: "Subject of the signing email. Leave empty to use the template's.",
		displayOptions: show,
	},
	{
		displayName: 'Signers',
		name: 'signers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Signer',
		default: {},
		description: 'One per template role that signs',
		displayOptions: show,
		options: [
			{
				displayName: 'Signer',
				name: 'signer',
				values: [
					{ displayName: 'Role Name', name: 'roleName', type: 'string', default: '', placeholder: 'e.g. Customer', description: 'The role as named in the template' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Nathan Smith' },
					{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'e.g. nathan@example.com' },
				],
			},
		],
	},
	{
		displayName: 'Prefilled Tabs Input',
		name: 'prefilledTabsMode',
		type: 'options',
		default: 'fields',
		description: 'How to give the values written into template text tabs before sending',
		displayOptions: show,
		options: [
			{ name: 'Fields', value: 'fields' },
			{ name: 'JSON', value: 'json' },
		],
	},
	{
		displayName: 'Prefilled Tabs',
		name: 'prefilledTabs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Tab Value',
		default: {},
		displayOptions: showTabs('fields'),
		options: [
			{
				displayName: 'Tab',
				name: 'tab',
				values: [
					{ displayName: 'Role Name', name: 'roleName', type: 'string', default: '', description: 'The signer role the tab belongs to' },
					{ displayName: 'Tab Label', name: 'tabLabel', type: 'string', default: '', description: 'The data label of the text tab in the template' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Prefilled Tabs (JSON)',
		name: 'prefilledTabsJson',
		type: 'json',
		default: '{}',
		description: 'Either {"&lt;role name&gt;": {"&lt;tab label&gt;": "value"}} or [{"roleName", "tabLabel", "value"}]',
		displayOptions: showTabs('json'),
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Custom Field',
		default: {},
		description: 'Extra hidden text custom fields stored on the envelope (they come back in Connect events)',
		displayOptions: show,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
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
		displayOptions: show,
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'sent',
				options: [
					{ name: 'Sent', value: 'sent', description: 'Send for signature now' },
					{ name: 'Created (Draft)', value: 'created', description: 'Keep as a draft to review and send from DocuSign' },
				],
			},
		],
	},
];

type Tabs = Record<string, Record<string, string>>;

/** Prefilled tab values grouped by role: role name → tab label → value. */
function prefilledTabs(context: IExecuteFunctions, itemIndex: number): Tabs {
	const mode = context.getNodeParameter('prefilledTabsMode', itemIndex, 'fields') as string;
	const tabs: Tabs = {};
	const add = (roleName: unknown, tabLabel: unknown, value: unknown, field: string) => {
		if (typeof roleName !== 'string' || roleName.trim() === '') throw validationError(`${field}.roleName`, 'the role name of a signer', roleName);
		if (typeof tabLabel !== 'string' || tabLabel.trim() === '') throw validationError(`${field}.tabLabel`, 'the data label of a template text tab', tabLabel);
		(tabs[roleName.trim()] ??= {})[tabLabel.trim()] = value === undefined || value === null ? '' : String(value);
	};
	if (mode !== 'json') {
		collectionRows(context, 'prefilledTabs', 'tab', itemIndex).forEach((row, i) => add(row.roleName, row.tabLabel, row.value, `prefilledTabs[${i}]`));
		return tabs;
	}
	const json = parseJson(context.getNodeParameter('prefilledTabsJson', itemIndex, '{}'), 'prefilledTabsJson', {});
	if (Array.isArray(json)) {
		json.forEach((row: IDataObject, i) => add(row?.roleName, row?.tabLabel, row?.value, `prefilledTabsJson[${i}]`));
	} else if (json && typeof json === 'object') {
		for (const [roleName, labels] of Object.entries(json)) {
			if (!labels || typeof labels !== 'object' || Array.isArray(labels)) {
				throw validationError(`prefilledTabsJson.${roleName}`, 'an object of tab label → value', labels);
			}
			for (const [tabLabel, value] of Object.entries(labels)) add(roleName, tabLabel, value, `prefilledTabsJson.${roleName}`);
		}
	} else {
		throw validationError('prefilledTabsJson', 'an object {role: {tab label: value}} or an array of {roleName, tabLabel, value}', json);
	}
	return tabs;
}

export const execute: OperationHandler<DocusignClient> = async (context, itemIndex, client) => {
	const signers = collectionRows(context, 'signers', 'signer', itemIndex);
	if (signers.length === 0) throw validationError('signers', 'at least one signer (role name, name, email)');
	const tabs = prefilledTabs(context, itemIndex);
	const roles: CreateEnvelopeInput['roles'] = signers.map((signer) => {
		const roleName = String(signer.roleName ?? '').trim();
		const role = { roleName, name: String(signer.name ?? '').trim(), email: String(signer.email ?? '').trim() };
		return tabs[roleName] ? { ...role, tabs: tabs[roleName] } : role;
	});
	const unknownRole = Object.keys(tabs).find((roleName) => !roles.some((role) => role.roleName === roleName));
	if (unknownRole !== undefined) throw validationError('prefilledTabs.roleName', 'the role name of one of the signers', unknownRole);

	const customFields: Record<string, string> = {};
	for (const [i, row] of collectionRows(context, 'customFields', 'field', itemIndex).entries()) {
		const name = String(row.name ?? '').trim();
		if (name === '') throw validationError(`customFields[${i}].name`, 'a custom field name');
		customFields[name] = String(row.value ?? '');
	}

	const businessKey = stringParameter(context, 'businessKey', itemIndex);
	const input: CreateEnvelopeInput = {
		businessKey,
		templateId: locatorParameter(context, 'templateId', itemIndex),
		roles,
		status: (optionsParameter(context, itemIndex).status as CreateEnvelopeInput['status']) ?? 'sent',
	};
	const emailSubject = stringParameter(context, 'emailSubject', itemIndex);
	if (emailSubject) input.emailSubject = emailSubject;
	if (Object.keys(customFields).length > 0) input.customFields = customFields;

	const result = await client.createEnvelopeFromTemplate(input);
	return { ...result, businessKey } as IDataObject;
};
