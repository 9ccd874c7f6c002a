import type { INodeProperties } from 'n8n-workflow';
import * as create from './create';
import * as get from './get';

export { create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tenant'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a tenant for a contract (idempotent)', action: 'Create a tenant' },
			{ name: 'Get', value: 'get', description: 'Get a tenant', action: 'Get a tenant' },
		],
		default: 'get',
	},
	...create.description,
	...get.description,
];
