import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { DocusignClient } from '../../../../connectors/docusign';
import type { OperationHandler } from '../../../shared/router';
import { envelopeLocator } from '../../descriptions';
import { locatorParameter } from '../../params';

export const description: INodeProperties[] = [envelopeLocator('getFormData')];

/** The values as signed: tab label → value. */
export const execute: OperationHandler<DocusignClient> = async (context, itemIndex, client) => {
	const envelopeId = locatorParameter(context, 'envelopeId', itemIndex);
	const formData = await client.getFormData(envelopeId);
	return { envelopeId, formData } as IDataObject;
};
