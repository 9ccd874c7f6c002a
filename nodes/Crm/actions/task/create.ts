import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { CreateTaskInput, CrmProvider } from '../../../../connectors/crm';
import { validationError } from '../../../../connectors/core';
import type { OperationHandler } from '../../../shared/router';
import { dealLocator, ownerLocator, showFor } from '../../descriptions';
import { locatorParameter, requiredLocator, requiredString, stringParameter } from '../../params';

export const description: INodeProperties[] = [
	{
		displayName: 'Business Key',
		name: 'businessKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ORD-2024-0042:kickoff',
		description: 'Contract or deal ID plus step. Makes the task idempotent: a rerun returns the existing task (created: false) instead of adding another.',
		displayOptions: showFor('task', 'create'),
	},
	...dealLocator('task', 'create'),
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Schedule onboarding call',
		displayOptions: showFor('task', 'create'),
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: showFor('task', 'create'),
	},
	...ownerLocator('task', 'create', { description: 'Who the task is assigned to. Leave empty for the deal owner / the CRM default.' }),
	{
		displayName: 'Due Date',
		name: 'dueDate',
		type: 'dateTime',
		default: '',
		displayOptions: showFor('task', 'create'),
	},
];

/** `YYYY-MM-DD` from the date picker's ISO value (or an expression's date string). */
export function dueDateOf(raw: string): string | undefined {
	if (raw === '') return undefined;
	const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(raw);
	if (!match || Number.isNaN(Date.parse(match[1]))) throw validationError('dueDate', 'a date (YYYY-MM-DD or an ISO date-time)', raw);
	return match[1];
}

export const execute: OperationHandler<CrmProvider> = async (context, itemIndex, provider) => {
	const input: CreateTaskInput = {
		businessKey: requiredString(context, 'businessKey', itemIndex, 'a contract or deal ID plus step, e.g. ORD-42:kickoff'),
		dealId: requiredLocator(context, 'dealId', itemIndex, 'a deal ID'),
		subject: requiredString(context, 'subject', itemIndex, 'a non-empty task subject'),
	};
	const body = stringParameter(context, 'body', itemIndex);
	if (body) input.body = body;
	const ownerId = locatorParameter(context, 'ownerId', itemIndex);
	if (ownerId) input.ownerId = ownerId;
	const dueDate = dueDateOf(stringParameter(context, 'dueDate', itemIndex));
	if (dueDate) input.dueDate = dueDate;
	return (await provider.createTask(input)) as unknown as IDataObject;
};
