import { type HttpTransport, idempotencyKey, parseInput, validationError } from '../../core';
import { segment } from '../client';
import { type SwitchTenantDatabaseInput, switchTenantDatabaseInputSchema, type TenantDatabase, tenantDatabaseSchema } from '../schemas/tenantDatabase';

export function databaseSwitchStep(backend: 'shared' | 'dedicated'): string {
	return `superadmin.database.${backend}`;
}

export interface SwitchTenantDatabaseResult {
	database: TenantDatabase;
	businessKey: string;
	idempotencyKey: string;
}

/**
 * PUT /v1/tenants/{tenantId}/database: the tenant's app moves to its dedicated database (or back to the shared
 * one, the rollback). The business key names the upgrade, so the switch and its undo each get their own key.
 */
export async function switchTenantDatabase(transport: HttpTransport, input: SwitchTenantDatabaseInput): Promise<SwitchTenantDatabaseResult> {
	// Checked first, without echoing the value: a connection string pasted here would carry its password.
	const ref = (input as { connectionSecretRef?: unknown })?.connectionSecretRef;
	if (typeof ref === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(ref.trim())) throw validationError('connectionSecretRef', 'a secret reference, not a connection string');
	const { tenantId, businessKey, backend, connectionSecretRef } = parseInput(switchTenantDatabaseInputSchema, input, '');
	const key = idempotencyKey(businessKey, databaseSwitchStep(backend));
	const database = await transport.request({
		method: 'PUT',
		path: `/v1/tenants/${segment(tenantId)}/database`,
		body: { businessKey, backend, ...(backend === 'dedicated' ? { connectionSecretRef } : {}) },
		idempotencyKey: key,
		responseSchema: tenantDatabaseSchema,
	});
	return { database, businessKey, idempotencyKey: key };
}
