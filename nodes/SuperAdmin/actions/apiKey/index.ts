import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as generate from './generate';
import * as revoke from './revoke';

export { generate, revoke };

export const description: INodeProperties[] = [
	operationProperty('apiKey', 'generate', [
		{ name: 'Generate', value: 'generate', description: 'Generate an API key for a tenant; the secret is shown once', action: 'Generate an API key' },
		{ name: 'Revoke', value: 'revoke', description: 'Revoke a tenant API key', action: 'Revoke an API key' },
	]),
	...generate.description,
	...revoke.description,
];
