import type { HttpTransport } from '../core';
import { type ApplyTierInput, type ApplyTierResult, applyTierFlags } from './featureFlags/apply';
import { getTenantFeatureFlags, type TenantFeatureFlags } from './featureFlags/get';
import { type GenerateApiKeyResult, generateApiKey } from './apiKeys/generate';
import { type RevokeApiKeyResult, revokeApiKey } from './apiKeys/revoke';
import { createSuperAdminTransport, type SuperAdminClientOptions } from './client';
import { checkHealth } from './health';
import { getMaintenance } from './maintenance/get';
import { type SetMaintenanceResult, setMaintenance } from './maintenance/set';
import type { GenerateApiKeyInput, RevokeApiKeyInput } from './schemas/apiKey';
import type { Maintenance, SetMaintenanceInput } from './schemas/maintenance';
import type { ChangeEditionInput, DisableSubscriptionInput, EnableSubscriptionInput } from './schemas/subscription';
import type { CreateTenantInput, ListTenantsInput, Tenant, TenantList } from './schemas/tenant';
import { changeEdition } from './subscriptions/changeEdition';
import { type DisableSubscriptionResult, disableSubscription } from './subscriptions/disable';
import { enableSubscription, type SubscriptionChangeResult } from './subscriptions/enable';
import { type CreateTenantResult, createTenant } from './tenants/create';
import { getTenant } from './tenants/get';
import { findTenantBySubdomain, type SubdomainLookup } from './tenants/findBySubdomain';
import { listTenants } from './tenants/list';
import { getTenantDatabase } from './tenantDatabase/get';
import { type SwitchTenantDatabaseResult, switchTenantDatabase } from './tenantDatabase/switch';
import type { SwitchTenantDatabaseInput, TenantDatabase } from './schemas/tenantDatabase';
import { loadTierMatrix, type TierMatrix } from './tierMatrix';

/** The platform's entitlement API (openapi.yaml) as one typed client. */
export class SuperAdminClient {
	readonly transport: HttpTransport;

	constructor(options: SuperAdminClientOptions) {
		this.transport = createSuperAdminTransport(options);
	}

	health() {
		return checkHealth(this.transport);
	}

	getTenant(tenantId: string): Promise<Tenant> {
		return getTenant(this.transport, tenantId);
	}

	listTenants(input?: ListTenantsInput): Promise<TenantList> {
		return listTenants(this.transport, input);
	}

	findTenantBySubdomain(subdomain: string): Promise<SubdomainLookup> {
		return findTenantBySubdomain(this.transport, subdomain);
	}

	createTenant(input: CreateTenantInput): Promise<CreateTenantResult> {
		return createTenant(this.transport, input);
	}

	enableSubscription(input: EnableSubscriptionInput, matrix: TierMatrix = loadTierMatrix()): Promise<SubscriptionChangeResult> {
		return enableSubscription(this.transport, input, matrix);
	}

	disableSubscription(input: DisableSubscriptionInput): Promise<DisableSubscriptionResult> {
		return disableSubscription(this.transport, input);
	}

	changeEdition(input: ChangeEditionInput, matrix: TierMatrix = loadTierMatrix()): Promise<SubscriptionChangeResult> {
		return changeEdition(this.transport, input, matrix);
	}

	getTenantFeatureFlags(tenantId: string): Promise<TenantFeatureFlags> {
		return getTenantFeatureFlags(this.transport, tenantId);
	}

	applyTierFlags(input: ApplyTierInput, matrix: TierMatrix = loadTierMatrix()): Promise<ApplyTierResult> {
		return applyTierFlags(this.transport, input, matrix);
	}

	getMaintenance(tenantId: string): Promise<Maintenance> {
		return getMaintenance(this.transport, tenantId);
	}

	setMaintenance(input: SetMaintenanceInput): Promise<SetMaintenanceResult> {
		return setMaintenance(this.transport, input);
	}

	getTenantDatabase(tenantId: string): Promise<TenantDatabase> {
		return getTenantDatabase(this.transport, tenantId);
	}

	switchTenantDatabase(input: SwitchTenantDatabaseInput): Promise<SwitchTenantDatabaseResult> {
		return switchTenantDatabase(this.transport, input);
	}

	generateApiKey(input: GenerateApiKeyInput): Promise<GenerateApiKeyResult> {
		return generateApiKey(this.transport, input);
	}

	revokeApiKey(input: RevokeApiKeyInput): Promise<RevokeApiKeyResult> {
		return revokeApiKey(this.transport, input);
	}
}
