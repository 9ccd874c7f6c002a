import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient, VtmTask } from '../../../../connectors/vmf';
import { returnAllFields } from '../../../shared/fields';
import { orderIdParam, orderLocator, stringParam, toJson } from '../common';

const show = { resource: ['vtmTask'], operation: ['list'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Tasks Of',
		name: 'scope',
		type: 'options',
		default: 'order',
		displayOptions: { show },
		options: [
			{ name: 'Order', value: 'order', description: 'The project the signed order created' },
			{ name: 'Project', value: 'project', description: 'A VTM project by ID' },
		],
	},
	orderLocator({ ...show, scope: ['order'] }, 'The order whose VTM project tasks to list'),
	{
		displayName: 'Project ID',
		name: 'projectId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'PRJ-1234',
		displayOptions: { show: { ...show, scope: ['project'] } },
	},
	{
		displayName: 'Status',
		name: 'taskStatus',
		type: 'options',
		default: '',
		description: 'Only tasks in this status',
		displayOptions: { show },
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Blocked', value: 'blocked' },
			{ name: 'Done', value: 'done' },
			{ name: 'In Progress', value: 'in_progress' },
			{ name: 'Open', value: 'open' },
		],
	},
	...returnAllFields(show),
];

/** One item per task, each carrying `taskId` for the complete/comment operations. */
export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject[]> {
	const scope = context.getNodeParameter('scope', itemIndex, 'order') as string;
	const target = scope === 'project' ? { projectId: stringParam(context, 'projectId', itemIndex) ?? '' } : { orderId: orderIdParam(context, itemIndex) };
	const status = stringParam(context, 'taskStatus', itemIndex) as VtmTask['status'] | undefined;
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (context.getNodeParameter('limit', itemIndex, 50) as number);
	const tasks: VtmTask[] = [];
	let cursor: string | undefined;
	do {
		const page = await client.listVtmTasks({ ...target, status, cursor, limit: Math.min(200, limit - tasks.length) });
		tasks.push(...page.tasks);
		cursor = page.nextCursor;
	} while (cursor && tasks.length < limit);
	return tasks.slice(0, limit).map((task) => toJson({ taskId: task.id, ...task }));
}
