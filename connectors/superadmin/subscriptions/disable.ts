import { type HttpTransport, idempotencyKey, isConnectorError, parseInput, stepForAttempt } from '../../core';
import { segment } from '../client';
import { type DisableSubscriptionInput, disableSubscriptionInputSchema, type Subscription, subscriptionResultSchema } from '../schemas/subscription';

export const SUBSCRIPTION_DISABLE_STEP = 'superadmin.subscription.disable';

export interface DisableSubscriptionResult {
	tenantId: string;
	businessKey: string;
	/** Absent when the tenant never had a subscription. */
	subscription?: Subscription;
	/** true when there was nothing to switch off: safe to call as a compensation. */
	alreadyDisabled: boolean;
	idempotencyKey: string;
}

/** Answers that mean "already off"; everything else (including an unknown tenant) stays an error. */
const ALREADY_OFF_CODES = new Set(['already_disabled', 'subscription_not_found']);

/** POST /v1/tenants/{tenantId}/subscription/disable; already disabled counts as success. */
export async function disableSubscription(transport: HttpTransport, input: DisableSubscriptionInput): Promise<DisableSubscriptionResult> {
	const { tenantId, businessKey, reason, attempt } = parseInput(disableSubscriptionInputSchema, input, '');
	const key = idempotencyKey(businessKey, stepForAttempt(SUBSCRIPTION_DISABLE_STEP, attempt));
	try {
		const result = await transport.request({
			method: 'POST',
			path: `/v1/tenants/${segment(tenantId)}/subscription/disable`,
			body: { businessKey, ...(reason ? { reason } : {}) },
			idempotencyKey: key,
			responseSchema: subscriptionResultSchema,
		});
		return { tenantId, businessKey, subscription: result.subscription, alreadyDisabled: !result.changed, idempotencyKey: key };
	} catch (error) {
		if (isConnectorError(error) && error.code !== undefined && ALREADY_OFF_CODES.has(error.code)) {
			return { tenantId, businessKey, alreadyDisabled: true, idempotencyKey: key };
		}
		throw error;
	}
}
