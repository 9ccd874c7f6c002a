import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../shared/fields';
import type { DocusignClient } from '../../../connectors/docusign';
import { allowRiskyToolField, type ToolRisks } from '../../shared/aiTool';
import { effectIds, pick, receiptFields, type EffectOf, type SideEffects } from '../../shared/receipt';
import type { OperationMap } from '../../shared/router';
import * as createFromTemplate from './envelope/createFromTemplate';
import * as downloadDocuments from './envelope/downloadDocuments';
import * as get from './envelope/get';
import * as getFormData from './envelope/getFormData';
import * as getRecipients from './envelope/getRecipients';
import * as voidEnvelope from './envelope/void';

/** Refused to an AI agent unless the tool opts in. */
export const toolRisks: ToolRisks = { envelope: { void: 'undoes a customer effect' } };

const envelope =
	(...keys: string[]): EffectOf =>
	(json) =>
		effectIds('docusign.envelope', json.envelopeId, pick(json, ['envelopeId', ...keys]));

/** Writes that can record their receipt in the same step ("Record Receipt"), with the ids each receipt names. */
export const sideEffects: SideEffects = {
	system: 'docusign',
	operations: { envelope: { createFromTemplate: envelope('status', 'created'), void: envelope('changed') } },
};

export const operations: OperationMap<DocusignClient> = {
	envelope: {
		createFromTemplate: createFromTemplate.execute,
		get: get.execute,
		getRecipients: getRecipients.execute,
		getFormData: getFormData.execute,
		downloadDocuments: downloadDocuments.execute,
		void: voidEnvelope.execute,
	},
};

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'envelope',
	options: [{ name: 'Envelope', value: 'envelope' }],
};

const envelopeOperations = operationProperty('envelope', 'createFromTemplate', [
	{ name: 'Create From Template', value: 'createFromTemplate', action: 'Create an envelope from a template', description: 'Send (or draft) an envelope for a contract; idempotent per business key' },
	{ name: 'Download Documents', value: 'downloadDocuments', action: 'Download the documents of an envelope', description: 'Download the combined (signed) PDF as binary data' },
	{ name: 'Get', value: 'get', action: 'Get an envelope', description: 'Get the status and custom fields of an envelope' },
	{ name: 'Get Form Data', value: 'getFormData', action: 'Get the form data of an envelope', description: 'Get the values entered in the envelope tabs' },
	{ name: 'Get Recipients', value: 'getRecipients', action: 'Get the recipients of an envelope', description: 'Get the recipients and their signing status' },
	{ name: 'Void', value: 'void', action: 'Void an envelope', description: 'Void an envelope that is not completed; already voided counts as success' },
]);

export const properties: INodeProperties[] = [
	resourceProperty,
	envelopeOperations,
	...createFromTemplate.description,
	...get.description,
	...getRecipients.description,
	...getFormData.description,
	...downloadDocuments.description,
	...voidEnvelope.description,
	...receiptFields(sideEffects),
	allowRiskyToolField,
];
