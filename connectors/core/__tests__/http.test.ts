import axios, { AxiosError } from 'axios';
import nock from 'nock';
import { z } from 'zod';
import { ConnectorError } from '../errors';
import { HttpTransport, type HttpTransportOptions } from '../http';
import { idempotencyKey } from '../idempotency';
import { rateLimiterFor } from '../rateLimiter';
import { REDACTED } from '../redact';

const BASE = 'https://api.vendor.test';
const TOKEN = 'tok-live-5f2b8c1d9e7a';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	// Un-patch http so this file's interceptor does not stack under the next test file in this worker.
	nock.restore();
});

function transport(options: Partial<HttpTransportOptions> = {}) {
	const delays: number[] = [];
	const http = new HttpTransport({
		vendor: 'vendor',
		baseUrl: `${BASE}/v1/`,
		headers: async () => ({ Authorization: `Bearer ${TOKEN}` }),
		secrets: [TOKEN],
		retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 5000, jitter: 0 },
		sleep: async (ms) => void delays.push(ms),
		...options,
	});
	return { http, delays };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}
	throw new Error('expected the request to fail');
}

/** nock 14 needs real Error objects here; plain objects make the request hang. */
const networkError = (message: string, code: string) => Object.assign(new Error(message), { code });

/**
 * An axios instance whose transport fails like a broken socket (the errors axios's http adapter
 * raises), then answers { ok: true }. Deterministic, unlike socket errors emitted through nock's
 * interceptor when several nock instances are active in one jest worker.
 */
function socketFailing(errors: Error[]) {
	const calls: string[] = [];
	const instance = axios.create({
		baseURL: `${BASE}/v1`,
		adapter: async (config) => {
			calls.push(config.url ?? '');
			const next = errors.shift();
			if (next) throw AxiosError.from(next, undefined, config);
			return { data: { ok: true }, status: 200, statusText: 'OK', headers: {}, config };
		},
	});
	return { instance, calls };
}

const order = z.object({ id: z.string(), status: z.enum(['open', 'approved']), total: z.number() });

describe('HttpTransport request shape and parsing', () => {
	it('sends GET with path, query (undefined dropped), auth and Accept headers, and parses with the schema', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' } })
			.get('/v1/orders/ORD-1')
			.query({ expand: 'lines', limit: '5', active: 'true' })
			.reply(200, { id: 'ORD-1', status: 'open', total: 12, extra: 'dropped' });
		const { http } = transport();
		const result = await http.request({
			method: 'GET',
			path: '/orders/ORD-1',
			query: { expand: 'lines', limit: 5, active: true, cursor: undefined },
			responseSchema: order,
		});
		expect(result).toEqual({ id: 'ORD-1', status: 'open', total: 12 });
		expect(http.vendor).toBe('vendor');
		expect(scope.isDone()).toBe(true);
	});

	it('sends POST with a JSON body, Content-Type and the Idempotency-Key header', async () => {
		const key = idempotencyKey('C-1', 'vmf.order.create');
		let seen: { headers: Record<string, string | string[]>; body: unknown } | undefined;
		nock(BASE)
			.post('/v1/orders', { customer: 'Acme', lines: [{ sku: 'A', qty: 2 }] })
			.reply(function (_uri, body) {
				seen = { headers: this.req.headers, body };
				return [201, { id: 'ORD-9', status: 'open', total: 0 }];
			});
		const { http } = transport();
		await http.request({ method: 'POST', path: '/orders', body: { customer: 'Acme', lines: [{ sku: 'A', qty: 2 }] }, idempotencyKey: key, headers: { 'X-Trace': 't1' } });
		expect(seen?.headers['idempotency-key']).toBe(key);
		expect(seen?.headers['content-type']).toMatch(/^application\/json/);
		expect(seen?.headers['x-trace']).toBe('t1');
		expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	it('uses a vendor-specific idempotency header and keeps an explicit Content-Type', async () => {
		const scope = nock(BASE, { reqheaders: { 'x-request-id': 'k-1', 'content-type': 'application/x-www-form-urlencoded' } })
			.post('/v1/charges', 'amount=100')
			.reply(200, 'ok');
		const { http } = transport({ idempotencyHeader: 'X-Request-Id' });
		const result = await http.request({ method: 'POST', path: '/charges', body: 'amount=100', idempotencyKey: 'k-1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(result).toBe('ok');
		expect(scope.isDone()).toBe(true);
	});

	it('sends no Idempotency-Key or Content-Type when there is no key and no body', async () => {
		let headers: Record<string, string | string[]> = {};
		nock(BASE)
			.delete('/v1/orders/ORD-1')
			.reply(function () {
				headers = this.req.headers;
				return [204, ''];
			});
		const { http } = transport({ headers: undefined });
		await http.request({ method: 'DELETE', path: '/orders/ORD-1' });
		expect(headers['idempotency-key']).toBeUndefined();
		expect(headers['content-type']).toBeUndefined();
		expect(headers.authorization).toBeUndefined();
	});

	it('turns an unexpected 2xx shape into a permanent error naming the field', async () => {
		nock(BASE).get('/v1/orders/ORD-1').reply(200, { id: 'ORD-1', status: 'weird', total: 1 });
		const { http } = transport();
		const error = await failure(http.request({ method: 'GET', path: '/orders/ORD-1', responseSchema: order }));
		expect(error.kind).toBe('permanent');
		expect(error.field).toBe('response.status');
		expect(error.status).toBe(200);
		expect(error.message).toContain('vendor answered GET /orders/ORD-1 with an unexpected shape');
		expect(error.message).toContain('"response.status"');
	});

	it('validates an empty 2xx body as an empty object', async () => {
		nock(BASE).get('/v1/ping').reply(204);
		const { http } = transport();
		expect(await http.request({ method: 'GET', path: '/ping', responseSchema: z.object({ ok: z.boolean().default(true) }) })).toEqual({ ok: true });
	});

	it('accepts an injected axios instance', async () => {
		nock('https://other.test').get('/x').reply(200, { fine: true });
		const { http } = transport({ axiosInstance: axios.create({ baseURL: 'https://other.test' }) });
		expect(await http.request({ method: 'GET', path: '/x' })).toEqual({ fine: true });
	});
});

describe('HttpTransport error mapping', () => {
	it.each([
		[400, 'validation'],
		[401, 'auth'],
		[403, 'auth'],
		[404, 'not_found'],
		[409, 'conflict'],
		[422, 'validation'],
		[402, 'permanent'],
	] as const)('maps %i to %s without retrying', async (status, kind) => {
		nock(BASE).get('/v1/thing').reply(status, { message: 'nope' });
		const { http, delays } = transport();
		const error = await failure(http.request({ method: 'GET', path: '/thing' }));
		expect(error).toMatchObject({ kind, status, vendor: 'vendor' });
		expect(error.message).toBe(`vendor GET /thing failed (${status}): nope`);
		expect(delays).toEqual([]);
	});

	it.each([
		['a plain text body', 'Gateway exploded', 'Gateway exploded'],
		['error + message', { error: 'invalid_request', message: 'bad sku' }, 'invalid_request: bad sku'],
		['error string', { error: 'invalid_request' }, 'invalid_request'],
		['nested error.message', { error: { message: 'No such customer', type: 'invalid_request_error' } }, 'No such customer'],
		['JSON:API errors[].detail', { errors: [{ title: 'Bad', detail: 'sku missing' }] }, 'sku missing'],
		['errors[].title', { errors: [{ title: 'Bad thing' }] }, 'Bad thing'],
		['errors[] of anything', { errors: [{ code: 7 }] }, '{"code":7}'],
		['nothing useful', { ok: false }, 'HTTP 400'],
		['an empty body', '', 'HTTP 400'],
	])('extracts a message from %s', async (_label, body, message) => {
		nock(BASE).get('/v1/thing').reply(400, body as nock.Body);
		const { http } = transport();
		expect((await failure(http.request({ method: 'GET', path: '/thing' }))).message).toBe(`vendor GET /thing failed (400): ${message}`);
	});

	it('lets the mapError hook set kind, message, code and field', async () => {
		nock(BASE).post('/v1/charges').reply(402, { error: { code: 'card_declined', param: 'source' } });
		const mapError = jest.fn((_status: number, body: unknown) => {
			const error = (body as { error: { code: string; param: string } }).error;
			return { kind: 'conflict' as const, message: `declined (${error.code})`, code: error.code, field: error.param };
		});
		const { http } = transport({ mapError });
		const error = await failure(http.request({ method: 'POST', path: '/charges', body: {} }));
		expect(mapError).toHaveBeenCalledWith(402, { error: { code: 'card_declined', param: 'source' } });
		expect(error).toMatchObject({ kind: 'conflict', code: 'card_declined', field: 'source', status: 402 });
		expect(error.message).toBe('vendor POST /charges failed (402): declined (card_declined)');
	});

	it('falls back to the status kind when mapError returns nothing', async () => {
		nock(BASE).get('/v1/thing').reply(404, {});
		const { http } = transport({ mapError: () => undefined });
		expect((await failure(http.request({ method: 'GET', path: '/thing' }))).kind).toBe('not_found');
	});

	it('masks a token the vendor echoes back, in message and details', async () => {
		nock(BASE)
			.get('/v1/me')
			.reply(401, { error: { message: `Token ${TOKEN} is revoked` }, request: { authorization: `Bearer ${TOKEN}`, echo: `key=${TOKEN}` } });
		const { http } = transport();
		const error = await failure(http.request({ method: 'GET', path: '/me' }));
		expect(error.kind).toBe('auth');
		expect(error.message).toBe(`vendor GET /me failed (401): Token ${REDACTED} is revoked`);
		expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
		expect(error.details).toEqual({ error: { message: `Token ${REDACTED} is revoked` }, request: { authorization: REDACTED, echo: `key=${REDACTED}` } });
	});
});

describe('HttpTransport retries', () => {
	it('retries a 429 after the Retry-After the server asked for', async () => {
		const scope = nock(BASE).get('/v1/orders').reply(429, { message: 'slow down' }, { 'Retry-After': '2' }).get('/v1/orders').reply(200, []);
		const { http, delays } = transport();
		expect(await http.request({ method: 'GET', path: '/orders' })).toEqual([]);
		expect(delays).toEqual([2000]);
		expect(scope.isDone()).toBe(true);
	});

	it('never retries before a huge Retry-After: reports rate_limited with retryAfterMs at once', async () => {
		const scope = nock(BASE).get('/v1/orders').reply(429, { message: 'slow down' }, { 'Retry-After': '86400' });
		const { http, delays } = transport({ retry: { retries: 1, baseDelayMs: 100, maxDelayMs: 5000, jitter: 0 } });
		const error = await failure(http.request({ method: 'GET', path: '/orders' }));
		expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 86_400_000 });
		expect(delays).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('retries a 503 GET with backoff (and its Retry-After), then succeeds', async () => {
		const scope = nock(BASE)
			.get('/v1/orders')
			.reply(503, 'busy')
			.get('/v1/orders')
			.reply(503, 'busy', { 'Retry-After': '1' })
			.get('/v1/orders')
			.reply(200, [{ id: 1 }]);
		const { http, delays } = transport();
		expect(await http.request({ method: 'GET', path: '/orders' })).toEqual([{ id: 1 }]);
		expect(delays).toEqual([100, 1000]);
		expect(scope.isDone()).toBe(true);
	});

	it('gives up after the configured retries with a transient error', async () => {
		nock(BASE).get('/v1/orders').times(4).reply(500, { message: 'oops' });
		const { http, delays } = transport();
		const error = await failure(http.request({ method: 'GET', path: '/orders' }));
		expect(error).toMatchObject({ kind: 'transient', status: 500 });
		expect(delays).toEqual([100, 200, 400]);
	});

	it('never retries a POST without an idempotency key', async () => {
		const first = nock(BASE).post('/v1/orders').reply(503, 'busy');
		const second = nock(BASE).post('/v1/orders').reply(201, { id: 'dup' });
		const { http, delays } = transport();
		const error = await failure(http.request({ method: 'POST', path: '/orders', body: { a: 1 } }));
		expect(error.kind).toBe('transient');
		expect(first.isDone()).toBe(true);
		expect(second.isDone()).toBe(false);
		expect(delays).toEqual([]);
	});

	it('retries a POST that carries an idempotency key, with the same key each time', async () => {
		const keys: unknown[] = [];
		const key = idempotencyKey('C-7', 'billing.invoice.create');
		nock(BASE)
			.post('/v1/invoices')
			.times(2)
			.reply(function () {
				keys.push(this.req.headers['idempotency-key']);
				return keys.length === 1 ? [503, 'busy'] : [200, { id: 'in_1' }];
			});
		const { http, delays } = transport();
		expect(await http.request({ method: 'POST', path: '/invoices', body: {}, idempotencyKey: key })).toEqual({ id: 'in_1' });
		expect(keys).toEqual([key, key]);
		expect(delays).toEqual([100]);
	});

	it('asks for auth headers again on every attempt (tokens may refresh)', async () => {
		let n = 0;
		const seen: unknown[] = [];
		nock(BASE)
			.get('/v1/x')
			.times(2)
			.reply(function () {
				seen.push(this.req.headers.authorization);
				return seen.length === 1 ? [503, ''] : [200, {}];
			});
		const { http } = transport({ headers: () => ({ Authorization: `Bearer token-${++n}` }) });
		await http.request({ method: 'GET', path: '/x' });
		expect(seen).toEqual(['Bearer token-1', 'Bearer token-2']);
	});

	it('honours Retry-After on a mapped rate limit that is not a 429', async () => {
		nock(BASE).get('/v1/x').reply(400, { code: 'throttled' }, { 'Retry-After': '3' }).get('/v1/x').reply(200, {});
		const { http, delays } = transport({ mapError: (_s, body) => ((body as { code?: string }).code === 'throttled' ? { kind: 'rate_limited' } : undefined) });
		await http.request({ method: 'GET', path: '/x' });
		expect(delays).toEqual([3000]);
	});
});

describe('HttpTransport network failures', () => {
	it('turns a timeout into a transient error', async () => {
		nock(BASE).get('/v1/slow').delay(120).reply(200, {});
		const { http } = transport({ timeoutMs: 30, retry: { retries: 0 } });
		const error = await failure(http.request({ method: 'GET', path: '/slow' }));
		expect(error.kind).toBe('transient');
		expect(error.message).toBe('vendor GET /slow timed out');
	});

	it('applies a per-request timeout over the transport default', async () => {
		nock(BASE).get('/v1/slow').delay(120).reply(200, {});
		const { http } = transport({ timeoutMs: 60_000, retry: { retries: 0 } });
		const error = await failure(http.request({ method: 'GET', path: '/slow', timeoutMs: 30 }));
		expect(error).toMatchObject({ kind: 'transient', code: 'ECONNABORTED' });
	});

	it('turns a connection reset into a transient error and retries it', async () => {
		const { instance, calls } = socketFailing([networkError('socket hang up', 'ECONNRESET')]);
		const { http, delays } = transport({ axiosInstance: instance });
		expect(await http.request({ method: 'GET', path: '/x' })).toEqual({ ok: true });
		expect(calls).toEqual(['/x', '/x']);
		expect(delays).toEqual([100]);
		const error = await failure(transport({ axiosInstance: socketFailing([networkError('socket hang up', 'ECONNRESET')]).instance, retry: { retries: 0 } }).http.request({ method: 'GET', path: '/x' }));
		expect(error).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
		expect(error.message).toBe('vendor GET /x could not be completed (ECONNRESET)');
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});

	it('never repeats a keyless POST after a connection reset', async () => {
		const { instance, calls } = socketFailing([networkError('socket hang up', 'ECONNRESET')]);
		const error = await failure(transport({ axiosInstance: instance }).http.request({ method: 'POST', path: '/orders', body: {} }));
		expect(error.kind).toBe('transient');
		expect(calls).toHaveLength(1);
	});

	it('treats unknown network failures as permanent', async () => {
		const { instance, calls } = socketFailing([networkError('bad cert', 'ERR_TLS_CERT_ALTNAME_INVALID')]);
		const { http, delays } = transport({ axiosInstance: instance });
		const error = await failure(http.request({ method: 'GET', path: '/x' }));
		expect(error).toMatchObject({ kind: 'permanent', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
		expect(calls).toHaveLength(1);
		expect(delays).toEqual([]);
		const plain = socketFailing([new Error('boom')]);
		const unknown = await failure(transport({ axiosInstance: plain.instance }).http.request({ method: 'GET', path: '/y' }));
		expect(unknown.message).toBe('vendor GET /y could not be completed (network error)');
	});
});

describe('HttpTransport rate limiting', () => {
	it('acquires from the shared per-credential limiter before every attempt', async () => {
		const limit = { perSecond: 1000, burst: 1000 };
		const limiter = rateLimiterFor('limited:acct-42', limit);
		const acquire = jest.spyOn(limiter, 'acquire');
		nock(BASE).get('/v1/x').reply(503, '').get('/v1/x').reply(200, {}).get('/v1/y').reply(200, {});
		const { http } = transport({ vendor: 'limited', rateLimit: limit, rateLimitKey: 'acct-42' });
		await http.request({ method: 'GET', path: '/x' });
		await http.request({ method: 'GET', path: '/y' });
		expect(acquire).toHaveBeenCalledTimes(3);
	});

	it('keys the limiter by base URL when no rateLimitKey is given, and throttles', async () => {
		const limit = { perSecond: 50, burst: 1 };
		nock(BASE).get('/v1/x').times(3).reply(200, {});
		const { http } = transport({ vendor: 'throttled', baseUrl: BASE + '/v1', rateLimit: limit });
		const started = Date.now();
		await Promise.all([0, 1, 2].map(() => http.request({ method: 'GET', path: '/x' })));
		// burst 1 at 50/s: the 2nd and 3rd requests wait ~20 ms each
		expect(Date.now() - started).toBeGreaterThanOrEqual(35);
		expect(rateLimiterFor(`throttled:${BASE}/v1`, limit)).toBe(rateLimiterFor(`throttled:${BASE}/v1`, limit));
	});

	it('does not touch any limiter when rateLimit is not set', async () => {
		const limiter = rateLimiterFor('free:acct', { perSecond: 1, burst: 1 });
		const acquire = jest.spyOn(limiter, 'acquire');
		nock(BASE).get('/v1/x').reply(200, {});
		await transport({ vendor: 'free', rateLimitKey: 'acct' }).http.request({ method: 'GET', path: '/x' });
		expect(acquire).not.toHaveBeenCalled();
	});
});
