import { type HttpTransport, parseInput } from '../../core';
import { segment } from '../client';
import { tenantIdSchema } from '../schemas/common';
import { type Maintenance, maintenanceSchema } from '../schemas/maintenance';

/** GET /v1/tenants/{tenantId}/maintenance */
export async function getMaintenance(transport: HttpTransport, tenantId: string): Promise<Maintenance> {
	const id = parseInput(tenantIdSchema, tenantId, 'tenantId');
	return transport.request({ method: 'GET', path: `/v1/tenants/${segment(id)}/maintenance`, responseSchema: maintenanceSchema });
}
