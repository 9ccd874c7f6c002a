import { idempotencyKey, parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { JSON_API_HEADERS } from '../orders/path';
import { assignmentPath, type AssignmentActionResult } from './shared';

export type { AssignmentActionResult } from './shared';

export const CANCELLATION_REASONS = [
	'crisisShiftInPriorities',
	'customerWasNotSatisfied',
	'customerReachedEndOfContract',
	'movingToAComputer',
	'productIsTooExpensive',
	'productWasAccidentallyActivated',
	'other',
] as const;

export const cancelAssignmentInputSchema = z.object({
	assignmentId: z.string().trim().min(1),
	businessKey: z.string().trim().min(1),
	reasons: z.array(z.enum(CANCELLATION_REASONS)).default(['other']),
	comments: z.string().max(2000).optional(),
	/** `cancel`: off at the anniversary/commitment date; `immediate`: off now (what a compensation wants). */
	deactivationType: z.enum(['cancel', 'immediate']).default('cancel'),
});
export type CancelAssignmentInput = z.input<typeof cancelAssignmentInputSchema>;

/** POST /subscriptionAssignments/{id}/actions/requestCancellation: the compensation for a provisioned product. */
export async function cancelSubscriptionAssignment(platform: HttpTransport, input: CancelAssignmentInput): Promise<AssignmentActionResult> {
	const params = parseInput(cancelAssignmentInputSchema, input, 'cancelSubscriptionAssignment', VMF_VENDOR);
	const id = assignmentPath(params.assignmentId);
	const key = idempotencyKey(params.businessKey, `vmf.subscriptionAssignment.cancel.${params.assignmentId}`);
	await platform.request({
		method: 'POST',
		path: `/subscriptionAssignments/${id}/actions/requestCancellation`,
		headers: JSON_API_HEADERS,
		body: { reason: params.reasons, comments: params.comments, deactivationType: params.deactivationType },
		idempotencyKey: key,
	});
	return { assignmentId: params.assignmentId, action: 'cancel', idempotencyKey: key, deactivationType: params.deactivationType };
}
