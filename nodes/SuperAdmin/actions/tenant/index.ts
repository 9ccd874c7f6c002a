import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as create from './create';
import * as findBySubdomain from './findBySubdomain';
import * as get from './get';

export { create, findBySubdomain, get };

export const description: INodeProperties[] = [
	operationProperty('tenant', 'get', [
		{ name: 'Create', value: 'create', description: 'Create a tenant for a contract (idempotent)', action: 'Create a tenant' },
		{ name: 'Find by Subdomain', value: 'findBySubdomain', description: 'Whether a custom subdomain is free, and which tenant holds it', action: 'Find a tenant by subdomain' },
		{ name: 'Get', value: 'get', description: 'Get a tenant', action: 'Get a tenant' },
	]),
	...create.description,
	...findBySubdomain.description,
	...get.description,
];
