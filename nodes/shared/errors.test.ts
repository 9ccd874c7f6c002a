import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { ConnectorError } from '../../connectors/core';
import { toNodeError } from './errors';

const node: INode = { id: '1', name: 'Billing', type: 'n8n-nodes-quote-to-cash.billing', typeVersion: 1, position: [0, 0], parameters: {} };

describe('toNodeError', () => {
	it('names the field of a local validation error as a NodeOperationError', () => {
		const error = toNodeError(node, new ConnectorError('validation', 'bad email', { field: 'email', expected: 'an email address' }), 0);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.description).toBe('Check the value of "email": it must be an email address.');
	});

	it('says retries were exhausted for a rate limit that was retried', () => {
		const error = toNodeError(node, new ConnectorError('rate_limited', 'slow down', { status: 429, vendor: 'stripe' }), 2);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.description).toMatch(/retries were exhausted/);
		expect((error as NodeApiError).httpCode).toBe('429');
	});

	it('says the quota is used up, not that retries were exhausted, when the vendor quota cannot recover soon', () => {
		const error = toNodeError(node, new ConnectorError('rate_limited', 'TotalRequests Limit exceeded.', { status: 403, vendor: 'salesforce', retryable: false }), 0);
		expect(error.description).toMatch(/quota .* is used up/);
		expect(error.description).not.toMatch(/retries were exhausted/);
	});
});
