import { idempotencyKey, parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';

export const resolveActivationInputSchema = z
	.object({
		activationId: z.string().trim().min(1),
		/** The business location (account group) id, e.g. "AG-1234567". */
		businessId: z.string().trim().min(1),
		addonId: z.string().trim().min(1).optional(),
		approved: z.boolean(),
		rejectionReason: z.string().trim().min(1).max(1000).optional(),
		/** Contract/order id the idempotency key hangs off; defaults to the activation id. */
		businessKey: z.string().trim().min(1).optional(),
	})
	.refine((input) => input.approved || input.rejectionReason !== undefined, {
		path: ['rejectionReason'],
		message: 'A reason is required when rejecting an activation',
	});
export type ResolveActivationInput = z.input<typeof resolveActivationInputSchema>;

export interface ResolveActivationResult {
	activationId: string;
	businessId: string;
	approved: boolean;
	rejectionReason?: string;
	idempotencyKey: string;
}

/** POST /activation/resolve/ (Marketplace API): approve a pending activation, or reject it with a reason. */
export async function resolveActivation(marketplace: HttpTransport, input: ResolveActivationInput): Promise<ResolveActivationResult> {
	const params = parseInput(resolveActivationInputSchema, input, 'resolveActivation', VMF_VENDOR);
	const step = `vmf.activation.${params.approved ? 'approve' : 'reject'}.${params.activationId}`;
	const key = idempotencyKey(params.businessKey ?? params.activationId, step);
	await marketplace.request({
		method: 'POST',
		path: '/activation/resolve/',
		body: {
			activation_id: params.activationId,
			business_id: params.businessId,
			addon_id: params.addonId,
			approved: params.approved,
			rejection_reason: params.approved ? undefined : params.rejectionReason,
		},
		idempotencyKey: key,
	});
	return {
		activationId: params.activationId,
		businessId: params.businessId,
		approved: params.approved,
		rejectionReason: params.approved ? undefined : params.rejectionReason,
		idempotencyKey: key,
	};
}
