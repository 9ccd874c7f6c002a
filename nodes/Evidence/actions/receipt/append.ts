import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import type { EvidenceLedger } from '../../../../connectors/evidence';

const show = { resource: ['receipt'], operation: ['append'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Workflow Step',
		name: 'workflowStep',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ACTIVATE_ORDER',
		description: 'The step this receipt evidences, e.g. ACTIVATE_ORDER. Letters, digits, _ . : and - only.',
		displayOptions: { show },
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: 'system:n8n',
		description: 'Who or what acted, e.g. system:n8n or user:42',
		displayOptions: { show },
	},
	{
		displayName: 'Resource Ref',
		name: 'resourceRef',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'stripe:subscription:sub_123',
		description: 'The record the step created or changed (text, or an object from an expression)',
		displayOptions: { show },
	},
	{
		displayName: 'Policy Decision',
		name: 'policyDecision',
		type: 'json',
		default: '',
		description: 'Optional decision object to keep with the receipt, such as the Contract Policy node\'s "policy" output field',
		displayOptions: { show },
	},
	{
		displayName: 'Execution ID',
		name: 'executionId',
		type: 'string',
		default: '={{ $execution.id }}',
		description: 'The n8n execution that wrote the receipt; the error workflow finds receipts by it',
		displayOptions: { show },
	},
];

function parseDecision(value: unknown): IDataObject | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	if (typeof value === 'string') {
		try {
			const parsed: unknown = JSON.parse(value);
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as IDataObject;
		} catch {
			// fall through to the validation error below
		}
	}
	throw validationError('policyDecision', 'a JSON object (or empty)', value);
}

export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	const options = context.getNodeParameter('options', itemIndex, {}) as { passThrough?: boolean; idempotencyKey?: string };
	const { receipt } = await ledger.append({
		businessKey: context.getNodeParameter('businessKey', itemIndex) as string,
		workflowStep: context.getNodeParameter('workflowStep', itemIndex) as string,
		subject: context.getNodeParameter('subject', itemIndex) as string,
		resourceRef: context.getNodeParameter('resourceRef', itemIndex) as string,
		policyDecision: parseDecision(context.getNodeParameter('policyDecision', itemIndex, '')),
		executionId: context.getNodeParameter('executionId', itemIndex, '') as string,
		idempotencyKey: options.idempotencyKey,
	});
	const json = receipt as unknown as IDataObject;
	if (options.passThrough === false) return json;
	return { ...context.getInputData()[itemIndex].json, receipt: json };
}
