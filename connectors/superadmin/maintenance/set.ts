import { type HttpTransport, idempotencyKey, parseInput } from '../../core';
import { segment } from '../client';
import { type Maintenance, maintenanceSchema, type SetMaintenanceInput, setMaintenanceInputSchema } from '../schemas/maintenance';

export function maintenanceStep(enabled: boolean): string {
	return `superadmin.maintenance.${enabled ? 'on' : 'off'}`;
}

export interface SetMaintenanceResult {
	maintenance: Maintenance;
	businessKey: string;
	idempotencyKey: string;
}

/**
 * PUT /v1/tenants/{tenantId}/maintenance: read-only mode during a migration (seed 004). The business
 * key should name the change (e.g. the upgrade order), so "on" and "off" of one migration each get a key.
 */
export async function setMaintenance(transport: HttpTransport, input: SetMaintenanceInput): Promise<SetMaintenanceResult> {
	const { tenantId, businessKey, enabled, message } = parseInput(setMaintenanceInputSchema, input, '');
	const key = idempotencyKey(businessKey, maintenanceStep(enabled));
	const maintenance = await transport.request({
		method: 'PUT',
		path: `/v1/tenants/${segment(tenantId)}/maintenance`,
		body: { businessKey, enabled, ...(message ? { message } : {}) },
		idempotencyKey: key,
		responseSchema: maintenanceSchema,
	});
	return { maintenance, businessKey, idempotencyKey: key };
}
