import { validationError } from '../../core';
import { VMF_VENDOR } from '../errors';

const ASSIGNMENT_ID = /^[^:/?#\s]+:[^:/?#\s]+:[^:/?#\s]+$/;

/** Subscription assignment ids are `businessLocationId:productId:activationId`. */
export function assignmentPath(id: unknown): string {
	if (typeof id !== 'string' || !ASSIGNMENT_ID.test(id.trim())) {
		throw validationError('assignmentId', 'an id of the form "AG-123:MP-456:activation-id"', id, VMF_VENDOR);
	}
	return encodeURIComponent(id.trim()).replace(/%3A/gi, ':');
}

export interface AssignmentActionResult {
	assignmentId: string;
	action: 'cancel' | 'undoCancel';
	idempotencyKey: string;
	deactivationType?: 'cancel' | 'immediate';
}
