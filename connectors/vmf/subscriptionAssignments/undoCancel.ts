import { idempotencyKey, parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { JSON_API } from '../orders/path';
import { assignmentPath, type AssignmentActionResult } from './shared';

export const undoCancelAssignmentInputSchema = z.object({
	assignmentId: z.string().trim().min(1),
	businessKey: z.string().trim().min(1),
});
export type UndoCancelAssignmentInput = z.input<typeof undoCancelAssignmentInputSchema>;

/** POST /subscriptionAssignments/{id}/actions/undoCancellation: restores a cancelled assignment. */
export async function undoCancelSubscriptionAssignment(platform: HttpTransport, input: UndoCancelAssignmentInput): Promise<AssignmentActionResult> {
	const params = parseInput(undoCancelAssignmentInputSchema, input, 'undoCancelSubscriptionAssignment', VMF_VENDOR);
	const id = assignmentPath(params.assignmentId);
	const key = idempotencyKey(params.businessKey, `vmf.subscriptionAssignment.undoCancel.${params.assignmentId}`);
	await platform.request({
		method: 'POST',
		path: `/subscriptionAssignments/${id}/actions/undoCancellation`,
		headers: { Accept: JSON_API },
		idempotencyKey: key,
	});
	return { assignmentId: params.assignmentId, action: 'undoCancel', idempotencyKey: key };
}
