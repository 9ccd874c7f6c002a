import type { INodeProperties } from 'n8n-workflow';
import * as generate from './generate';
import * as revoke from './revoke';

export { generate, revoke };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiKey'] } },
		options: [
			{ name: 'Generate', value: 'generate', description: 'Generate an API key for a tenant; the secret is shown once', action: 'Generate an API key' },
			{ name: 'Revoke', value: 'revoke', description: 'Revoke a tenant API key', action: 'Revoke an API key' },
		],
		default: 'generate',
	},
	...generate.description,
	...revoke.description,
];
