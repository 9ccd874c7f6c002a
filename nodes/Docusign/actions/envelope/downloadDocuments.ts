import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import type { DocusignClient } from '../../../../connectors/docusign';
import { withBinary, type OperationHandler } from '../../../shared/router';
import { envelopeLocator, showFor } from '../../descriptions';
import { locatorParameter, stringParameter } from '../../params';

export const description: INodeProperties[] = [
	envelopeLocator('downloadDocuments'),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		description: 'The combined PDF of all envelope documents (signed when the envelope is completed)',
		displayOptions: showFor('envelope', 'downloadDocuments'),
	},
];

export const execute: OperationHandler<DocusignClient> = async (context, itemIndex, client) => {
	const binaryPropertyName = stringParameter(context, 'binaryPropertyName', itemIndex);
	if (binaryPropertyName === '') throw validationError('binaryPropertyName', 'the name of the binary field to put the PDF in');
	const envelopeId = locatorParameter(context, 'envelopeId', itemIndex);
	const pdf = await client.downloadCombinedPdf(envelopeId);
	const binary = await context.helpers.prepareBinaryData(pdf.data, pdf.fileName, pdf.mimeType);
	const json: IDataObject = { envelopeId, fileName: pdf.fileName, mimeType: pdf.mimeType, fileSize: pdf.data.length, binaryPropertyName };
	return withBinary(json, { [binaryPropertyName]: binary });
};
