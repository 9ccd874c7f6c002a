import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { DocusignClient } from '../../../../connectors/docusign';
import type { OperationHandler } from '../../../shared/router';
import { envelopeLocator, showFor } from '../../descriptions';
import { locatorParameter, stringParameter } from '../../params';

export const description: INodeProperties[] = [
	envelopeLocator('void'),
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Order cancelled by the customer',
		description: 'Why the envelope is voided; DocuSign shows it to the recipients',
		displayOptions: showFor('envelope', 'void'),
	},
];

/** Already voided → changed: false. A completed envelope cannot be voided (conflict error). */
export const execute: OperationHandler<DocusignClient> = async (context, itemIndex, client) => {
	const envelopeId = locatorParameter(context, 'envelopeId', itemIndex);
	return (await client.voidEnvelope(envelopeId, stringParameter(context, 'reason', itemIndex))) as unknown as IDataObject;
};
