import { type HttpTransport, parseInput, z } from '../../core';
import { segment } from '../client';
import { featureFlagSetSchema, tenantIdSchema } from '../schemas/common';

export const tenantFeatureFlagsSchema = featureFlagSetSchema.extend({ tenantId: z.string().min(1), updatedAt: z.string().nullish() });
export type TenantFeatureFlags = z.infer<typeof tenantFeatureFlagsSchema>;

/** GET /v1/tenants/{tenantId}/feature-flags: what the platform has applied right now. */
export async function getTenantFeatureFlags(transport: HttpTransport, tenantId: string): Promise<TenantFeatureFlags> {
	const id = parseInput(tenantIdSchema, tenantId, 'tenantId');
	return transport.request({ method: 'GET', path: `/v1/tenants/${segment(id)}/feature-flags`, responseSchema: tenantFeatureFlagsSchema });
}
