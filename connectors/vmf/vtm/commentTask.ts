import { idempotencyKey, parseInput, sha256Hex, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { pathId } from '../orders/path';
import { vtmCommentSchema, type VtmComment } from '../schemas/vtm';

export const commentVtmTaskInputSchema = z.object({
	taskId: z.string().trim().min(1),
	businessKey: z.string().trim().min(1),
	body: z.string().trim().min(1).max(10000),
	author: z.string().trim().min(1).optional(),
});
export type CommentVtmTaskInput = z.input<typeof commentVtmTaskInputSchema>;

/**
 * POST /tasks/{taskId}/comments. The key includes a hash of the text: a replayed step posts the same
 * comment once, while a different comment on the same task is a new write.
 */
export async function commentVtmTask(vtm: HttpTransport, input: CommentVtmTaskInput): Promise<VtmComment> {
	const params = parseInput(commentVtmTaskInputSchema, input, 'commentVtmTask', VMF_VENDOR);
	const id = pathId(params.taskId, 'taskId', 'a VTM task id');
	const step = `vmf.vtm.task.comment.${params.taskId}.${sha256Hex(params.body).slice(0, 16)}`;
	return vtm.request({
		method: 'POST',
		path: `/tasks/${id}/comments`,
		body: { body: params.body, author: params.author },
		idempotencyKey: idempotencyKey(params.businessKey, step),
		responseSchema: vtmCommentSchema,
	});
}
