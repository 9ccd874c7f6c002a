import { ConnectorError, isConnectorError, kindForStatus, validationError } from '../errors';
import { REDACTED } from '../redact';

describe('ConnectorError', () => {
	it('carries kind, vendor context and is an Error', () => {
		const error = new ConnectorError('conflict', 'already exists', { vendor: 'vmf', status: 409, code: 'dup', field: 'orderId' });
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('ConnectorError');
		expect(error.kind).toBe('conflict');
		expect(error.vendor).toBe('vmf');
		expect(error.status).toBe(409);
		expect(error.code).toBe('dup');
		expect(error.field).toBe('orderId');
		expect(isConnectorError(error)).toBe(true);
		expect(isConnectorError(new Error('plain'))).toBe(false);
		expect(isConnectorError({ kind: 'transient' })).toBe(false);
	});

	it.each([
		['rate_limited', true],
		['transient', true],
		['validation', false],
		['auth', false],
		['not_found', false],
		['conflict', false],
		['permanent', false],
	] as const)('%s is retryable: %s', (kind, retryable) => {
		expect(new ConnectorError(kind, 'x').retryable).toBe(retryable);
	});

	it('keeps the cause only when given', () => {
		const cause = new Error('socket hang up');
		expect(new ConnectorError('transient', 'x', { cause }).cause).toBe(cause);
		expect('cause' in new ConnectorError('transient', 'x')).toBe(false);
	});

	it('redacts secrets a vendor echoed into `expected`', () => {
		const error = new ConnectorError('auth', 'rejected', { vendor: 'dns', expected: 'a token other than sk_test_abcdef123456' });
		expect(error.expected).not.toContain('sk_test_abcdef123456');
		expect(JSON.stringify(error.toJSON())).not.toContain('sk_test_abcdef123456');
	});

	it('redacts secrets in message and details, and toJSON is secret-free', () => {
		const error = new ConnectorError('auth', 'rejected key sk_test_abcdef123456 for Bearer eyJhbGciOi.xyz', {
			vendor: 'stripe',
			status: 401,
			retryAfterMs: 1000,
			details: { apiKey: 'sk_live_zzzzzzzzzz', request: { headers: { Authorization: 'Bearer abcdefgh' } }, note: 'ok' },
		});
		expect(error.message).not.toContain('sk_test_abcdef123456');
		expect(error.message).not.toContain('eyJhbGciOi');
		const json = error.toJSON();
		expect(json).toEqual({
			kind: 'auth',
			message: error.message,
			vendor: 'stripe',
			status: 401,
			retryAfterMs: 1000,
			details: { apiKey: REDACTED, request: { headers: { Authorization: REDACTED } }, note: 'ok' },
		});
		expect(JSON.stringify(json)).not.toMatch(/sk_live|abcdefgh/);
	});

	it('toJSON leaves out absent optional fields', () => {
		expect(new ConnectorError('permanent', 'boom').toJSON()).toEqual({ kind: 'permanent', message: 'boom' });
	});
});

describe('validationError', () => {
	it('names the field and the expectation', () => {
		const error = validationError('contract.customer.email', 'an email address', 'nope', 'vmf');
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('contract.customer.email');
		expect(error.expected).toBe('an email address');
		expect(error.vendor).toBe('vmf');
		expect(error.message).toBe('Invalid "contract.customer.email": expected an email address (received "nope")');
	});

	it.each([
		[undefined, 'Invalid "f": expected x'],
		[null, 'Invalid "f": expected x (received null)'],
		[[1], 'Invalid "f": expected x (received an array)'],
		[{ a: 1 }, 'Invalid "f": expected x (received an object)'],
		[42, 'Invalid "f": expected x (received number 42)'],
		[false, 'Invalid "f": expected x (received boolean false)'],
		['y'.repeat(41), 'Invalid "f": expected x (received a long string)'],
	])('describes the received value %p', (received, message) => {
		expect(validationError('f', 'x', received).message).toBe(message);
	});
});

describe('kindForStatus', () => {
	it.each([
		[400, 'validation'],
		[422, 'validation'],
		[401, 'auth'],
		[403, 'auth'],
		[404, 'not_found'],
		[410, 'not_found'],
		[409, 'conflict'],
		[412, 'conflict'],
		[429, 'rate_limited'],
		[408, 'transient'],
		[500, 'transient'],
		[502, 'transient'],
		[503, 'transient'],
		[504, 'transient'],
		[402, 'permanent'],
		[405, 'permanent'],
		[302, 'permanent'],
	] as const)('%i -> %s', (status, kind) => {
		expect(kindForStatus(status)).toBe(kind);
	});
});
