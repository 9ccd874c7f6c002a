import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient } from '../../../../connectors/vmf';
import { businessKeyField, stringParam, toJson } from '../common';
import { taskIdField } from './complete';

const show = { resource: ['vtmTask'], operation: ['comment'] };

export const properties: INodeProperties[] = [
	taskIdField('comment'),
	businessKeyField(show),
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		displayOptions: { show },
	},
	{
		displayName: 'Author',
		name: 'author',
		type: 'string',
		default: 'n8n',
		displayOptions: { show },
	},
];

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	const businessKey = stringParam(context, 'businessKey', itemIndex) ?? '';
	const comment = await client.commentVtmTask({
		taskId: stringParam(context, 'taskId', itemIndex) ?? '',
		businessKey,
		body: stringParam(context, 'comment', itemIndex) ?? '',
		author: stringParam(context, 'author', itemIndex),
	});
	return toJson({ commentId: comment.id, businessKey, ...comment });
}
