import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import type { OperationHandler } from '../../../shared/router';
import type { CloudClients } from '../../clients';
import * as copy from './copy';
import { tenantDataFields } from './fields';
import * as purge from './purge';
import * as verify from './verify';

export const description: INodeProperties[] = [
	operationProperty('tenantData', 'copy', [
		{ name: 'Copy', value: 'copy', action: 'Copy tenant data to its dedicated database', description: "Copy the tenant's rows from the shared database, table by table; a repeat finishes a partial copy" },
		{ name: 'Purge', value: 'purge', action: 'Purge tenant data from the shared database', description: 'Delete the shared rows after the grace period, only those the dedicated database holds' },
		{ name: 'Verify', value: 'verify', action: 'Verify copied tenant data', description: 'Compare row counts and checksums of every table on both sides' },
	]),
	...tenantDataFields,
	...copy.description,
	...verify.description,
	...purge.description,
];

export const operations: Record<string, OperationHandler<CloudClients>> = { copy: copy.execute, verify: verify.execute, purge: purge.execute };
