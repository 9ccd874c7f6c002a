import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient } from '../../../../connectors/vmf';
import { businessKeyField, stringParam, toJson } from '../common';
import { assignmentIdField } from './cancel';

export const properties: INodeProperties[] = [assignmentIdField('undoCancel'), businessKeyField({ resource: ['subscriptionAssignment'], operation: ['undoCancel'] })];

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	const businessKey = stringParam(context, 'businessKey', itemIndex) ?? '';
	const result = await client.undoCancelSubscriptionAssignment({ assignmentId: stringParam(context, 'assignmentId', itemIndex) ?? '', businessKey });
	return toJson({ ...result, businessKey });
}
