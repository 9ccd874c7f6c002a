import { idempotencyKey, parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { pathId } from '../orders/path';
import { vtmTaskSchema, type VtmTask } from '../schemas/vtm';

export const completeVtmTaskInputSchema = z.object({
	taskId: z.string().trim().min(1),
	/** Contract/order id the idempotency key hangs off. */
	businessKey: z.string().trim().min(1),
	completedBy: z.string().trim().min(1).optional(),
	note: z.string().max(5000).optional(),
});
export type CompleteVtmTaskInput = z.input<typeof completeVtmTaskInputSchema>;

/** POST /tasks/{taskId}/complete: marks a task done (completing a done task returns it unchanged). */
export async function completeVtmTask(vtm: HttpTransport, input: CompleteVtmTaskInput): Promise<VtmTask> {
	const params = parseInput(completeVtmTaskInputSchema, input, 'completeVtmTask', VMF_VENDOR);
	const id = pathId(params.taskId, 'taskId', 'a VTM task id');
	return vtm.request({
		method: 'POST',
		path: `/tasks/${id}/complete`,
		body: { completedBy: params.completedBy, note: params.note },
		idempotencyKey: idempotencyKey(params.businessKey, `vmf.vtm.task.complete.${params.taskId}`),
		responseSchema: vtmTaskSchema,
	});
}
