import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as get from './get';
import * as switchDatabase from './switch';

export { get, switchDatabase };

export const description: INodeProperties[] = [
	operationProperty('tenantDatabase', 'get', [
		{ name: 'Get', value: 'get', description: "Get which database the tenant's app uses", action: 'Get the tenant database' },
		{ name: 'Switch', value: 'switch', description: "Point the tenant's app at its dedicated database, or back at the shared one", action: 'Switch the tenant database' },
	]),
	...get.description,
	...switchDatabase.description,
];
