import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import { outputKeyOption } from '../../fields';
import type { RevOpsHandler } from '../../router';
import * as assign from './assign';
import * as normalise from './normalise';
import * as parseCsv from './parseCsv';
import * as release from './release';

export const operations: Record<string, RevOpsHandler> = {
	assign: assign.execute,
	normalise: normalise.execute,
	parseCsv: parseCsv.execute,
	release: release.execute,
};

export const description: INodeProperties[] = [
	operationProperty('lead', 'normalise', [
		{
			name: 'Assign',
			value: 'assign',
			description: 'Route the lead and, for round-robin and capacity routes, claim its owner atomically (the same owner on a repeat)',
			action: 'Assign a lead',
		},
		{
			name: 'Normalise',
			value: 'normalise',
			description: 'Turn a form post, partner payload, product signal or CRM record into routing attributes',
			action: 'Normalise a lead',
		},
		{ name: 'Parse CSV', value: 'parseCsv', description: 'One item per lead of a CSV upload; rejected rows on a second output', action: 'Parse a lead CSV' },
		{ name: 'Release', value: 'release', description: "Free the owner's capacity slot held by the lead", action: 'Release a lead' },
	]),
	...normalise.description,
	...parseCsv.description,
	...release.description,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['lead'], operation: ['assign'] } },
		options: [outputKeyOption],
	},
];
