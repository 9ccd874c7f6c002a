import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient } from '../../../../connectors/vmf';
import { businessKeyField, stringParam, toJson } from '../common';

const show = { resource: ['vtmTask'], operation: ['complete'] };

export const taskIdField = (operation: string): INodeProperties => ({
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.taskId }}',
	displayOptions: { show: { resource: ['vtmTask'], operation: [operation] } },
});

export const properties: INodeProperties[] = [
	taskIdField('complete'),
	businessKeyField(show),
	{
		displayName: 'Completed By',
		name: 'completedBy',
		type: 'string',
		default: 'n8n',
		description: 'Who or what completed the task, as shown in VTM',
		displayOptions: { show },
	},
	{
		displayName: 'Note',
		name: 'note',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show },
	},
];

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	const businessKey = stringParam(context, 'businessKey', itemIndex) ?? '';
	const task = await client.completeVtmTask({
		taskId: stringParam(context, 'taskId', itemIndex) ?? '',
		businessKey,
		completedBy: stringParam(context, 'completedBy', itemIndex),
		note: stringParam(context, 'note', itemIndex),
	});
	return toJson({ taskId: task.id, businessKey, ...task });
}
