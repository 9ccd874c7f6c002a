import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { DocusignClient } from '../../../../connectors/docusign';
import type { OperationHandler } from '../../../shared/router';
import { envelopeLocator } from '../../descriptions';
import { locatorParameter } from '../../params';

export const description: INodeProperties[] = [envelopeLocator('getRecipients')];

/** One item per envelope (not per recipient), so "has everyone signed?" is one expression. */
export const execute: OperationHandler<DocusignClient> = async (context, itemIndex, client) => {
	const envelopeId = locatorParameter(context, 'envelopeId', itemIndex);
	const recipients = await client.listRecipients(envelopeId);
	return { envelopeId, recipients } as unknown as IDataObject;
};
