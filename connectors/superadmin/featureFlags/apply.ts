import { canonicalJson, type HttpTransport, idempotencyKey, parseInput, sha256Hex, z } from '../../core';
import { segment } from '../client';
import { businessKeySchema, type FeatureFlagSet, tenantIdSchema, tierSchema } from '../schemas/common';
import { flagsForTier, loadTierMatrix, type TierMatrix } from '../tierMatrix';
import { type TenantFeatureFlags, tenantFeatureFlagsSchema } from './get';

export const applyTierInputSchema = z.object({ tenantId: tenantIdSchema, businessKey: businessKeySchema, tier: tierSchema }).strict();
export type ApplyTierInput = z.input<typeof applyTierInputSchema>;

export interface ApplyTierResult {
	tenantId: string;
	businessKey: string;
	requested: FeatureFlagSet;
	applied: TenantFeatureFlags;
	idempotencyKey: string;
}

/**
 * The flags are part of the step: after the matrix is edited, re-applying the same tier is a new
 * change (a new key), not a replay the platform would answer with the old flags.
 */
export function applyTierStep(flags: FeatureFlagSet): string {
	return `superadmin.featureFlags.apply.${flags.tier}.${sha256Hex(canonicalJson(flags)).slice(0, 12)}`;
}

/** PUT /v1/tenants/{tenantId}/feature-flags with the tier's flags from the matrix. */
export async function applyTierFlags(transport: HttpTransport, input: ApplyTierInput, matrix: TierMatrix = loadTierMatrix()): Promise<ApplyTierResult> {
	const { tenantId, businessKey, tier } = parseInput(applyTierInputSchema, input, '');
	const requested = flagsForTier(matrix, tier);
	const key = idempotencyKey(businessKey, applyTierStep(requested));
	const applied = await transport.request({
		method: 'PUT',
		path: `/v1/tenants/${segment(tenantId)}/feature-flags`,
		body: { businessKey, ...requested },
		idempotencyKey: key,
		responseSchema: tenantFeatureFlagsSchema,
	});
	return { tenantId, businessKey, requested, applied, idempotencyKey: key };
}
