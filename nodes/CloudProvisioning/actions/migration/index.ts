import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import type { CloudClients } from '../../clients';
import * as run from './run';

export const description: INodeProperties[] = [
	operationProperty('migration', 'run', [
		{ name: 'Run', value: 'run', action: 'Run migrations on a tenant database', description: 'Apply the pending SQL migrations to the database of a business key' },
	]),
	...run.description,
];

export const operations: Record<string, OperationHandler<CloudClients>> = { run: run.execute };
