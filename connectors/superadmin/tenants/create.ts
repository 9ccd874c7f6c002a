import { type HttpTransport, idempotencyKey, parseInput, validationError } from '../../core';
import { type CreateTenantInput, createTenantInputSchema, ENTERPRISE_MIN_TERM_MONTHS, type Tenant, tenantSchema } from '../schemas/tenant';

export const TENANT_CREATE_STEP = 'superadmin.tenant.create';

export interface CreateTenantResult {
	tenant: Tenant;
	idempotencyKey: string;
}

/** Seed 004: an enterprise contract end date must be at least two years away. */
function checkEnterpriseTerm(tier: string, contractEndDate: string | undefined, now: Date): void {
	if (tier !== 'world_class' || contractEndDate === undefined) return;
	const minimum = new Date(now);
	minimum.setUTCMonth(minimum.getUTCMonth() + ENTERPRISE_MIN_TERM_MONTHS);
	if (Date.parse(`${contractEndDate}T23:59:59Z`) < minimum.getTime()) {
		throw validationError('contractEndDate', `a date at least 2 years from today for a World Class (enterprise) contract, i.e. on or after ${minimum.toISOString().slice(0, 10)}`, contractEndDate);
	}
}

/** POST /v1/tenants, idempotent per contract: a redelivery returns the tenant created the first time. */
export async function createTenant(transport: HttpTransport, input: CreateTenantInput, now = new Date()): Promise<CreateTenantResult> {
	const body = parseInput(createTenantInputSchema, input, '');
	checkEnterpriseTerm(body.tier, body.contractEndDate, now);
	const key = idempotencyKey(body.businessKey, TENANT_CREATE_STEP);
	const tenant = await transport.request({ method: 'POST', path: '/v1/tenants', body, idempotencyKey: key, responseSchema: tenantSchema });
	return { tenant, idempotencyKey: key };
}
