import { parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { pathId } from '../orders/path';
import { VTM_TASK_STATUSES, vtmTaskListSchema, type VtmTask } from '../schemas/vtm';

export const listVtmTasksInputSchema = z
	.object({
		/** The order whose project's tasks to list (the project a signed order creates)… */
		orderId: z.string().trim().min(1).optional(),
		/** …or the VTM project id directly. */
		projectId: z.string().trim().min(1).optional(),
		status: z.enum(VTM_TASK_STATUSES).optional(),
		limit: z.number().int().min(1).max(200).optional(),
		cursor: z.string().min(1).optional(),
	})
	.refine((input) => Boolean(input.orderId) !== Boolean(input.projectId), { path: ['orderId'], message: 'Either orderId or projectId (exactly one)' });
export type ListVtmTasksInput = z.input<typeof listVtmTasksInputSchema>;

export interface VtmTaskPage {
	tasks: VtmTask[];
	nextCursor?: string;
}

/** GET /orders/{orderId}/tasks or GET /projects/{projectId}/tasks. */
export async function listVtmTasks(vtm: HttpTransport, input: ListVtmTasksInput): Promise<VtmTaskPage> {
	const params = parseInput(listVtmTasksInputSchema, input, 'listVtmTasks', VMF_VENDOR);
	const path = params.orderId
		? `/orders/${pathId(params.orderId, 'orderId', 'a VMF order id')}/tasks`
		: `/projects/${pathId(params.projectId, 'projectId', 'a VTM project id')}/tasks`;
	const page = await vtm.request({
		method: 'GET',
		path,
		query: { status: params.status, limit: params.limit, cursor: params.cursor },
		responseSchema: vtmTaskListSchema,
	});
	return { tasks: page.data, nextCursor: page.nextCursor ?? undefined };
}
