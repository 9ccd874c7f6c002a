import { mapSalesforceError } from '../errors';

/** What jsforce throws for a REST error: the body's first entry's code and message, the body as data. */
const apiError = (errorCode: string, message: string) => Object.assign(new Error(message), { name: errorCode, errorCode, data: [{ message, errorCode }] });

describe('mapSalesforceError at the org allocation', () => {
	it('a used-up TotalRequests allocation is a clear rate limit that is not retried', () => {
		const error = mapSalesforceError(apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 403);
		expect(error).toMatchObject({ kind: 'rate_limited', status: 403, code: 'REQUEST_LIMIT_EXCEEDED', retryable: false });
		expect(error.message).toMatch(/API request allocation.*rolling 24 hours.*Not retried/);
	});

	it('the concurrent long-running request limit stays retryable', () => {
		const error = mapSalesforceError(apiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.'), 403);
		expect(error).toMatchObject({ kind: 'rate_limited', retryable: true });
	});
});
