import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { storeConfig, validationError } from '../../../../connectors/core';
import { defaultEvidenceDir, type EvidenceLedger, storeDocument } from '../../../../connectors/evidence';

const show = { resource: ['receipt'], operation: ['storeDocument'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the file, e.g. a Form Trigger file field',
		displayOptions: { show },
	},
	{
		displayName: 'Workflow Step',
		name: 'workflowStep',
		type: 'string',
		required: true,
		default: 'evidence.document.store',
		description: 'The step of the receipt that references the stored document',
		displayOptions: { show },
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: 'system:n8n',
		description: 'Who or what provided the document, e.g. user:superadmin@example.com',
		displayOptions: { show },
	},
	{
		displayName: 'Allowed MIME Types',
		name: 'allowedMimeTypes',
		type: 'string',
		default: 'application/pdf',
		description: 'Comma-separated; empty allows any. A PDF must also start with "%PDF-".',
		displayOptions: { show },
	},
];

/** Where documents are kept: the file store's directory, else (PostgreSQL receipts) the default evidence directory. */
function evidenceDirOf(context: IExecuteFunctions, itemIndex: number): string {
	const { storePath } = context.getNodeParameter('options', itemIndex, {}) as { storePath?: string };
	const explicit = (storePath ?? '').trim();
	return explicit && storeConfig().evidence !== 'postgres' ? explicit : defaultEvidenceDir();
}

/** Stores the file (named by its SHA-256) and appends a receipt naming it: hash, size and name, never the content. */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	const binaryPropertyName = (context.getNodeParameter('binaryPropertyName', itemIndex) as string).trim();
	const binary = context.getInputData()[itemIndex].binary?.[binaryPropertyName];
	if (!binary) throw validationError(binaryPropertyName || 'binaryPropertyName', `a file in the input's binary field "${binaryPropertyName}"`);
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	const businessKey = context.getNodeParameter('businessKey', itemIndex) as string;
	const workflowStep = context.getNodeParameter('workflowStep', itemIndex) as string;
	const allowed = (context.getNodeParameter('allowedMimeTypes', itemIndex, '') as string).split(',').map((type) => type.trim()).filter(Boolean);
	const document = await storeDocument(evidenceDirOf(context, itemIndex), {
		businessKey,
		fileName: binary.fileName ?? `${binaryPropertyName}.bin`,
		mimeType: binary.mimeType,
		allowedMimeTypes: allowed,
		data,
	});
	const options = context.getNodeParameter('options', itemIndex, {}) as { passThrough?: boolean; idempotencyKey?: string };
	const { sha256, size, fileName, mimeType, location } = document;
	const { receipt } = await ledger.append({
		businessKey,
		workflowStep,
		subject: context.getNodeParameter('subject', itemIndex, 'system:n8n') as string,
		resourceRef: `document:sha256:${sha256}`,
		policyDecision: { document: { sha256, size, fileName, mimeType, location } },
		executionId: context.getExecutionId(),
		// The same bytes for the same contract and step are one receipt, however often they are sent.
		idempotencyKey: options.idempotencyKey || `${businessKey}:${workflowStep}:${sha256}`,
	});
	const json = { document: document as unknown as IDataObject, receipt: receipt as unknown as IDataObject };
	if (options.passThrough === false) return json;
	return { ...context.getInputData()[itemIndex].json, ...json };
}
