import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import type { RevOpsHandler } from '../../router';
import * as whatIf from './whatIf';

export const operations: Record<string, RevOpsHandler> = { whatIf: whatIf.execute };

export const description: INodeProperties[] = [
	operationProperty('simulation', 'whatIf', [
		{
			name: 'What-If',
			value: 'whatIf',
			description: 'The discount decision for every segment × discount × term × product mix × risk level, for a RevOps review',
			action: 'Simulate discount policy what if',
		},
	]),
	...whatIf.description,
];
