import { ConnectorError, registerSecret } from '../../../core';
import { HubspotHttpFailure, mapHubspotError } from '../errors';

const failure = (status: number, body: unknown, headers: Record<string, string> = {}) => mapHubspotError(new HubspotHttpFailure(status, body, headers));

describe('mapHubspotError', () => {
	it.each([
		[404, 'OBJECT_NOT_FOUND', 'not_found'],
		[400, 'VALIDATION_ERROR', 'validation'],
		[401, 'INVALID_AUTHENTICATION', 'auth'],
		[403, 'MISSING_SCOPES', 'auth'],
		[409, 'CONFLICT', 'conflict'],
		[429, 'RATE_LIMITS', 'rate_limited'],
		[500, 'INTERNAL_ERROR', 'transient'],
		[504, undefined, 'transient'],
		[418, undefined, 'permanent'],
	])('HTTP %i %s → %s', (status, category, kind) => {
		const error = failure(status, { status: 'error', message: 'm', category, correlationId: 'c1' });
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error).toMatchObject({ kind, status, vendor: 'hubspot' });
		expect(error.details).toMatchObject({ correlationId: 'c1' });
	});

	it('takes the validation field from errors[0].context.propertyName or the top-level context', () => {
		expect(failure(400, { category: 'VALIDATION_ERROR', message: 'bad', errors: [{ message: 'x', context: { propertyName: ['closedate'] } }] }).field).toBe('closedate');
		expect(failure(400, { category: 'VALIDATION_ERROR', message: 'bad', context: { propertyName: 'amount' } }).field).toBe('amount');
		expect(failure(400, { category: 'VALIDATION_ERROR', message: 'bad' }).field).toBeUndefined();
	});

	it('reads Retry-After, else waits out the named rate-limit policy', () => {
		expect(failure(429, { category: 'RATE_LIMITS', message: 'slow down' }, { 'Retry-After': '2' }).retryAfterMs).toBe(2000);
		expect(failure(429, { category: 'RATE_LIMITS', message: 'slow', policyName: 'TEN_SECONDLY_ROLLING' }).retryAfterMs).toBe(10_000);
		expect(failure(429, { category: 'RATE_LIMITS', message: 'slow', policyName: 'SECONDLY' }).retryAfterMs).toBe(1000);
		expect(failure(429, { message: 'slow' }).retryAfterMs).toBeUndefined();
	});

	it('handles SDK ApiException-like errors, text bodies, network and unknown errors', () => {
		expect(mapHubspotError({ code: 404, body: { category: 'OBJECT_NOT_FOUND', message: 'gone' }, headers: {} })).toMatchObject({ kind: 'not_found' });
		expect(failure(502, '<html>Bad gateway</html>').message).toContain('Bad gateway');
		expect(failure(500, undefined).message).toContain('HTTP 500');
		expect(mapHubspotError(Object.assign(new Error('request to http://x failed'), { name: 'FetchError', code: 'ECONNRESET' }))).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
		expect(mapHubspotError(new Error('weird'))).toMatchObject({ kind: 'permanent' });
		expect(mapHubspotError('plain')).toMatchObject({ kind: 'permanent' });
		const existing = new ConnectorError('conflict', 'x');
		expect(mapHubspotError(existing)).toBe(existing);
	});

	it('never carries a registered secret', () => {
		registerSecret('pat-na1-secret-in-body');
		const error = failure(401, { category: 'INVALID_AUTHENTICATION', message: 'bad token pat-na1-secret-in-body' });
		expect(JSON.stringify(error.toJSON()) + error.message).not.toContain('pat-na1-secret-in-body');
	});
});

describe('mapHubspotError at HubSpot limits', () => {
	const limited = (policyName: string) =>
		failure(429, { status: 'error', message: `You have reached your ${policyName === 'DAILY' ? 'daily' : 'ten_secondly_rolling'} limit.`, errorType: 'RATE_LIMIT', correlationId: 'c9', policyName, requestId: 'r1' });

	it('waits out the rolling 10-second window and stays retryable', () => {
		const error = limited('TEN_SECONDLY_ROLLING');
		expect(error).toMatchObject({ kind: 'rate_limited', code: 'RATE_LIMIT', retryAfterMs: 10_000, retryable: true });
	});

	it('does not retry a used-up daily limit, and says so', () => {
		const error = limited('DAILY');
		expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryable: false });
		expect(error.message).toMatch(/daily API limit is used up.*not retried/);
	});
});
