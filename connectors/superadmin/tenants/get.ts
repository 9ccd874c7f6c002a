import { type HttpTransport, parseInput } from '../../core';
import { segment } from '../client';
import { tenantIdSchema } from '../schemas/common';
import { type Tenant, tenantSchema } from '../schemas/tenant';

/** GET /v1/tenants/{tenantId} */
export async function getTenant(transport: HttpTransport, tenantId: string): Promise<Tenant> {
	const id = parseInput(tenantIdSchema, tenantId, 'tenantId');
	return transport.request({ method: 'GET', path: `/v1/tenants/${segment(id)}`, responseSchema: tenantSchema });
}
