import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as changeEdition from './changeEdition';
import * as disable from './disable';
import * as enable from './enable';

export { changeEdition, disable, enable };

export const description: INodeProperties[] = [
	operationProperty('subscription', 'enable', [
		{
			name: 'Change Edition',
			value: 'changeEdition',
			description: 'Move the subscription to another edition and tier, applying that tier’s feature flags',
			action: 'Change a subscription edition',
		},
		{
			name: 'Disable',
			value: 'disable',
			description: 'Switch the subscription off (safe to repeat; use as a compensation)',
			action: 'Disable a subscription',
		},
		{
			name: 'Enable',
			value: 'enable',
			description: 'Switch the subscription on at an edition and tier, with the tier’s feature flags',
			action: 'Enable a subscription',
		},
	]),
	...enable.description,
	...disable.description,
	...changeEdition.description,
];
