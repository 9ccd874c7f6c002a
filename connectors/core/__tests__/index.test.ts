import * as core from '..';

describe('connectors/core barrel', () => {
	it('re-exports the API other connectors build on', () => {
		const expected = [
			'HttpTransport',
			'ConnectorError',
			'isConnectorError',
			'kindForStatus',
			'validationError',
			'parseInput',
			'zodToValidationError',
			'z',
			'idempotencyKey',
			'sha256Hex',
			'canonicalJson',
			'withRetry',
			'backoffDelay',
			'parseRetryAfter',
			'RateLimiter',
			'rateLimiterFor',
			'verifyHmac',
			'verifyTimestampedSignature',
			'signTimestamped',
			'checkTimestamp',
			'verifyJwtRs256',
			'signJwtRs256',
			'constantTimeEqual',
			'redact',
			'registerSecret',
			'REDACTED',
			'FileDedupeStore',
			'MemoryDedupeStore',
			'defaultDataDir',
		];
		for (const name of expected) expect(core).toHaveProperty(name);
	});
});
