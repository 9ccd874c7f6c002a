import nock from 'nock';
import { PassThrough } from 'node:stream';
import { ConnectorError } from '../../core';
import { mapDocusignError, readErrorBody } from '../errors';
import { docusignError, ENVELOPE_ID, makeClient, mockAuth, resetAll, REST, rest, T0 } from './helpers';

beforeAll(() => nock.disableNetConnect());
beforeEach(() => mockAuth());
afterEach(resetAll);
afterAll(() => nock.enableNetConnect());

const catchError = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ConnectorError);
const envelopePath = `${REST}/envelopes/${ENVELOPE_ID}`;

describe('mapDocusignError', () => {
	const httpError = (status: number, data: unknown, headers: Record<string, unknown> = {}) => ({ response: { status, data, headers } });

	it.each([
		[400, docusignError('ENVELOPE_DOES_NOT_EXIST'), 'not_found'],
		[400, docusignError('HOURLY_APIINVOCATION_LIMIT_EXCEEDED'), 'rate_limited'],
		[400, docusignError('ENVELOPE_CANNOT_VOID_INVALID_STATE'), 'conflict'],
		[400, docusignError('INVALID_EMAIL_ADDRESS_FOR_RECIPIENT'), 'validation'],
		[400, docusignError('SOMETHING_NEW'), 'validation'],
		[401, docusignError('AUTHORIZATION_INVALID_TOKEN'), 'auth'],
		[404, 'Not Found', 'not_found'],
		[409, {}, 'conflict'],
		[429, {}, 'rate_limited'],
		[500, docusignError('UNSPECIFIED_ERROR'), 'transient'],
		[503, '', 'transient'],
		[418, null, 'permanent'],
	])('%i %j → %s', (status, body, kind) => {
		expect(mapDocusignError(httpError(status, body), 'GET x').kind).toBe(kind);
	});

	it('reads Retry-After, else X-RateLimit-Reset, for rate limits', () => {
		expect(mapDocusignError(httpError(429, {}, { 'retry-after': '7' }), 'GET x').retryAfterMs).toBe(7000);
		expect(mapDocusignError(httpError(400, docusignError('HOURLY_APIINVOCATION_LIMIT_EXCEEDED'), { 'x-ratelimit-reset': String(T0 / 1000 + 120) }), 'GET x', undefined, T0).retryAfterMs).toBe(120_000);
		expect(mapDocusignError(httpError(429, {}), 'GET x').retryAfterMs).toBeUndefined();
		expect(mapDocusignError(httpError(500, {}, { 'retry-after': '7' }), 'GET x').retryAfterMs).toBeUndefined();
	});

	it('maps network failures: resets and timeouts transient, anything else permanent, without the raw error', () => {
		const reset = mapDocusignError({ code: 'ECONNRESET', config: { headers: { Authorization: 'Bearer secret-token-xyz' } } }, 'GET x');
		expect(reset).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
		expect((reset.cause as Error).message).not.toContain('secret-token-xyz');
		expect(mapDocusignError({ code: 'ECONNABORTED' }, 'GET x').message).toMatch(/timed out/);
		expect(mapDocusignError(new Error('boom'), 'GET x').kind).toBe('permanent');
		expect(mapDocusignError(undefined, 'GET x').kind).toBe('permanent');
		const existing = new ConnectorError('conflict', 'kept');
		expect(mapDocusignError(existing, 'GET x')).toBe(existing);
	});

	it('parses error bodies given as text or bytes', () => {
		expect(mapDocusignError(httpError(400, JSON.stringify(docusignError('ENVELOPE_DOES_NOT_EXIST'))), 'GET x').code).toBe('ENVELOPE_DOES_NOT_EXIST');
		expect(mapDocusignError(httpError(400, {}), 'GET x', Buffer.from(JSON.stringify(docusignError('TEMPLATE_NOT_FOUND')))).kind).toBe('not_found');
		expect(mapDocusignError(httpError(502, '<html>bad gateway</html>'), 'GET x').message).toContain('bad gateway');
	});

	it('readErrorBody collects a stream body and ignores plain ones', async () => {
		const stream = new PassThrough();
		stream.end(JSON.stringify(docusignError('X')));
		expect(await readErrorBody({ response: { data: stream } })).toBe('{"errorCode":"X","message":"error"}');
		expect(await readErrorBody({ response: { data: { errorCode: 'X' } } })).toBeUndefined();
		const big = new PassThrough();
		big.end(Buffer.alloc(100, 'a'));
		expect(await readErrorBody({ response: { data: big } }, 10)).toBe('');
	});
});

describe('retries and rate limits through the client', () => {
	it('retries a read after 429 honouring Retry-After', async () => {
		rest()
			.get(envelopePath)
			.query(true)
			.reply(429, docusignError('HOURLY_APIINVOCATION_LIMIT_EXCEEDED', 'limit'), { 'Retry-After': '2' })
			.get(envelopePath)
			.query(true)
			.reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		const { client, sleeps } = makeClient();
		expect((await client.getEnvelope(ENVELOPE_ID)).status).toBe('sent');
		expect(sleeps).toEqual([2000]);
	});

	it('retries 5xx with exponential backoff and gives up after the policy', async () => {
		rest().get(envelopePath).query(true).times(4).reply(503, docusignError('SERVICE_UNAVAILABLE'));
		const { client, sleeps } = makeClient();
		const error = await catchError(client.getEnvelope(ENVELOPE_ID));
		expect(error).toMatchObject({ kind: 'transient', status: 503 });
		expect(sleeps).toEqual([100, 200, 400]);
		expect(nock.isDone()).toBe(true);
	});

	it('retries a dropped connection on a read', async () => {
		rest()
			.get(envelopePath)
			.query(true)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(envelopePath)
			.query(true)
			.reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		const { client, sleeps } = makeClient();
		expect((await client.getEnvelope(ENVELOPE_ID)).status).toBe('sent');
		expect(sleeps).toHaveLength(1);
	});

	it('waits for the per-account rate limiter before sending', async () => {
		rest().get(envelopePath).query(true).times(3).reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		const { client, sleeps } = makeClient({}, { rateLimit: { perSecond: 1000, burst: 1 } });
		await Promise.all([client.getEnvelope(ENVELOPE_ID), client.getEnvelope(ENVELOPE_ID), client.getEnvelope(ENVELOPE_ID)]);
		expect(nock.isDone()).toBe(true);
		// The core limiter sleeps on its own clock; the retry sleep was never needed.
		expect(sleeps).toEqual([]);
	});

	it('gives timeouts to the SDK', async () => {
		rest().get(envelopePath).query(true).delay(300).reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		const error = await catchError(makeClient({ timeoutMs: 50 }, { retry: { retries: 0 } }).client.getEnvelope(ENVELOPE_ID));
		expect(error).toMatchObject({ kind: 'transient' });
		expect(error?.message).toMatch(/timed out/);
	});
});

describe('mapDocusignError at DocuSign limits', () => {
	const httpError = (status: number, data: unknown, headers: Record<string, unknown> = {}) => ({ response: { status, data, headers } });
	const nextHour = String(T0 / 1000 + 1800);

	it('waits the 30-second burst window, not the hourly reset, when the burst limit refused', () => {
		const byCode = mapDocusignError(httpError(429, docusignError('BURST_APIINVOCATION_LIMIT_EXCEEDED'), { 'x-ratelimit-reset': nextHour, 'x-ratelimit-remaining': '2000' }), 'GET x', undefined, T0);
		expect(byCode).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
		expect(byCode.message).toMatch(/500 API calls in 30 seconds/);
		const byHeaders = mapDocusignError(httpError(429, {}, { 'x-ratelimit-reset': nextHour, 'x-ratelimit-remaining': '2000', 'x-burstlimit-remaining': '0' }), 'GET x', undefined, T0);
		expect(byHeaders.retryAfterMs).toBe(30_000);
	});

	it('waits for the top of the hour when the hourly limit refused', () => {
		const error = mapDocusignError(httpError(429, docusignError('HOURLY_APIINVOCATION_LIMIT_EXCEEDED'), { 'x-ratelimit-reset': nextHour, 'x-ratelimit-remaining': '0', 'x-burstlimit-remaining': '0' }), 'GET x', undefined, T0);
		expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1_800_000 });
		expect(error.message).toMatch(/3,000 API calls per hour/);
	});
});
