import { type HttpTransport, idempotencyKey, parseInput } from '../../core';
import { segment } from '../client';
import { type ChangeEditionInput, changeEditionInputSchema, subscriptionResultSchema } from '../schemas/subscription';
import { flagsForTier, loadTierMatrix, type TierMatrix } from '../tierMatrix';
import type { SubscriptionChangeResult } from './enable';

/** The target edition and tier are part of the step: an upgrade and a later downgrade are different changes. */
export function changeEditionStep(edition: string, tier: string): string {
	return `superadmin.subscription.changeEdition.${edition}.${tier}`;
}

/** POST /v1/tenants/{tenantId}/subscription/change-edition, re-applying the new tier's flags. */
export async function changeEdition(transport: HttpTransport, input: ChangeEditionInput, matrix: TierMatrix = loadTierMatrix()): Promise<SubscriptionChangeResult> {
	const { tenantId, businessKey, edition, tier } = parseInput(changeEditionInputSchema, input, '');
	const featureFlags = flagsForTier(matrix, tier);
	const key = idempotencyKey(businessKey, changeEditionStep(edition, featureFlags.tier));
	const result = await transport.request({
		method: 'POST',
		path: `/v1/tenants/${segment(tenantId)}/subscription/change-edition`,
		body: { businessKey, edition, tier: featureFlags.tier, featureFlags },
		idempotencyKey: key,
		responseSchema: subscriptionResultSchema,
	});
	return { tenantId, businessKey, subscription: result.subscription, featureFlags, changed: result.changed, idempotencyKey: key };
}
