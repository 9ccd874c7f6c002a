import { type HttpTransport, parseInput } from '../../core';
import { segment } from '../client';
import { tenantIdSchema } from '../schemas/common';
import { type TenantDatabase, tenantDatabaseSchema } from '../schemas/tenantDatabase';

/** GET /v1/tenants/{tenantId}/database */
export async function getTenantDatabase(transport: HttpTransport, tenantId: string): Promise<TenantDatabase> {
	const id = parseInput(tenantIdSchema, tenantId, 'tenantId');
	return transport.request({ method: 'GET', path: `/v1/tenants/${segment(id)}/database`, responseSchema: tenantDatabaseSchema });
}
