import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as create from './create';
import * as get from './get';

export { create, get };

export const description: INodeProperties[] = [
	operationProperty('tenant', 'get', [
		{ name: 'Create', value: 'create', description: 'Create a tenant for a contract (idempotent)', action: 'Create a tenant' },
		{ name: 'Get', value: 'get', description: 'Get a tenant', action: 'Get a tenant' },
	]),
	...create.description,
	...get.description,
];
