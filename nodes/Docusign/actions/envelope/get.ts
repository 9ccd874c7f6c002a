import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { DocusignClient } from '../../../../connectors/docusign';
import type { OperationHandler } from '../../../shared/router';
import { envelopeLocator } from '../../descriptions';
import { locatorParameter } from '../../params';

export const description: INodeProperties[] = [envelopeLocator('get')];

export const execute: OperationHandler<DocusignClient> = async (context, itemIndex, client) => {
	return (await client.getEnvelope(locatorParameter(context, 'envelopeId', itemIndex))) as unknown as IDataObject;
};
