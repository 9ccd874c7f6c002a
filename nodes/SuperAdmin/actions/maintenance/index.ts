import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as get from './get';
import * as set from './set';

export { get, set };

export const description: INodeProperties[] = [
	operationProperty('maintenance', 'get', [
		{ name: 'Get', value: 'get', description: 'Get whether the tenant is in read-only mode', action: 'Get maintenance mode' },
		{ name: 'Set', value: 'set', description: 'Switch read-only maintenance mode on or off', action: 'Set maintenance mode' },
	]),
	...get.description,
	...set.description,
];
