import { type HttpTransport, idempotencyKey, parseInput, stepForAttempt } from '../../core';
import type { FeatureFlagSet } from '../schemas/common';
import { type EnableSubscriptionInput, enableSubscriptionInputSchema, type Subscription, subscriptionResultSchema } from '../schemas/subscription';
import { flagsForTier, loadTierMatrix, type TierMatrix } from '../tierMatrix';
import { segment } from '../client';

export const SUBSCRIPTION_ENABLE_STEP = 'superadmin.subscription.enable';

export interface SubscriptionChangeResult {
	tenantId: string;
	businessKey: string;
	subscription: Subscription;
	featureFlags: FeatureFlagSet;
	/** false when the platform was already in the requested state (a redelivery or replay). */
	changed: boolean;
	idempotencyKey: string;
}

/**
 * POST /v1/tenants/{tenantId}/subscription/enable with the tier's flags in the same request, so the
 * platform switches the subscription and its modules on atomically.
 */
export async function enableSubscription(transport: HttpTransport, input: EnableSubscriptionInput, matrix: TierMatrix = loadTierMatrix()): Promise<SubscriptionChangeResult> {
	const { tenantId, businessKey, edition, tier, attempt } = parseInput(enableSubscriptionInputSchema, input, '');
	const featureFlags = flagsForTier(matrix, tier);
	const key = idempotencyKey(businessKey, stepForAttempt(SUBSCRIPTION_ENABLE_STEP, attempt));
	const result = await transport.request({
		method: 'POST',
		path: `/v1/tenants/${segment(tenantId)}/subscription/enable`,
		body: { businessKey, edition, tier: featureFlags.tier, featureFlags },
		idempotencyKey: key,
		responseSchema: subscriptionResultSchema,
	});
	return { tenantId, businessKey, subscription: result.subscription, featureFlags, changed: result.changed, idempotencyKey: key };
}
