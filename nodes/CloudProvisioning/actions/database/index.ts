import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import type { CloudClients } from '../../clients';
import * as create from './create';
import * as remove from './delete';
import * as get from './get';
import { rdsOptionsField, rdsPasswordField } from './rdsFields';
import * as storeConnection from './storeConnection';

export const description: INodeProperties[] = [
	operationProperty('database', 'create', [
		{ name: 'Create', value: 'create', action: 'Create a tenant database', description: 'Create the database of a business key, or return the one made before' },
		{ name: 'Delete', value: 'delete', action: 'Delete a tenant database', description: 'Roll back: delete the database; deleting what is gone succeeds' },
		{ name: 'Get', value: 'get', action: 'Get a tenant database', description: 'Status (creating, available, deleted…) for a polling loop' },
		{
			name: 'Store Connection',
			value: 'storeConnection',
			action: 'Store a tenant database connection string',
			description: 'Write the connection string into the secret store and return only its reference',
		},
	]),
	rdsPasswordField,
	rdsOptionsField,
	...create.description,
	...get.description,
	...remove.description,
	...storeConnection.description,
];

export const operations: Record<string, OperationHandler<CloudClients>> = {
	create: create.execute,
	get: get.execute,
	delete: remove.execute,
	storeConnection: storeConnection.execute,
};
