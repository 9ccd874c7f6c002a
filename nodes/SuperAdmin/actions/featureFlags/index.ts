import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as applyTier from './applyTier';
import * as getForTenant from './getForTenant';
import * as getForTier from './getForTier';

export { applyTier, getForTenant, getForTier };

export const description: INodeProperties[] = [
	operationProperty('featureFlags', 'getForTier', [
		{ name: 'Apply Tier', value: 'applyTier', description: 'Apply a tier’s flags from the matrix to a tenant', action: 'Apply tier feature flags to a tenant' },
		{ name: 'Get for Tenant', value: 'getForTenant', description: 'Get the flags a tenant has now', action: 'Get feature flags of a tenant' },
		{ name: 'Get for Tier', value: 'getForTier', description: 'Get the flags a tier gets from the matrix (no API call)', action: 'Get feature flags of a tier' },
	]),
	...getForTier.description,
	...applyTier.description,
	...getForTenant.description,
];
