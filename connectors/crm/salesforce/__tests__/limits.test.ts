import nock from 'nock';
import { ConnectorError } from '../../../core';
import { mapOAuthError, mapSalesforceError } from '../errors';
import { MAX_THROTTLE_MS, parseLimitInfo, throttleDelay } from '../limits';
import { API, droppingServer, INSTANCE, makeCrm, mockToken, nextOrgId, queryResult, record, setup, sfError, type ApiCall, type TokenCall } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const DEAL = '006000000000001AAA';
const limitHeader = (used: number, max = 100_000) => ({ 'Sforce-Limit-Info': `api-usage=${used}/${max}` });

describe('daily API limit', () => {
	it('parses Sforce-Limit-Info', () => {
		expect(parseLimitInfo('api-usage=18/15000')).toEqual({ used: 18, max: 15000 });
		expect(parseLimitInfo('per-app-api-usage=1/10(appName=x)')).toBeUndefined();
		expect(parseLimitInfo('per-app-api-usage=1/10(appName=x); api-usage=7/9000')).toEqual({ used: 7, max: 9000 });
		expect(parseLimitInfo('api-usage=1/0')).toBeUndefined();
		expect(parseLimitInfo(undefined)).toBeUndefined();
	});

	it('sends freely below 80 %, waits proportionally above it, and refuses inside the reserve without sending', async () => {
		const { crm, api, calls, sleeps } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([]), limitHeader(80_000)))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([]), limitHeader(85_000)))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([]), limitHeader(90_000)));
		await crm.searchAccounts({});
		expect(sleeps).toEqual([]);
		await crm.searchAccounts({});
		expect(sleeps).toEqual([]);
		await crm.searchAccounts({});
		expect(sleeps).toEqual([MAX_THROTTLE_MS / 2]);
		const error = (await crm.searchAccounts({}).catch((e: unknown) => e)) as ConnectorError;
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error).toMatchObject({ kind: 'rate_limited', code: 'daily_limit_reserve' });
		expect(calls).toHaveLength(3);
		expect(sleeps).toHaveLength(1);
	});

	it('shares the usage across instances of the same org and honours a custom reserve', async () => {
		const orgId = nextOrgId();
		const tokens: TokenCall[] = [];
		mockToken(tokens, orgId);
		mockToken(tokens, orgId);
		const calls: ApiCall[] = [];
		nock(INSTANCE).get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([]), limitHeader(70, 100)));
		await makeCrm().crm.searchAccounts({});
		await expect(makeCrm({ dailyLimitReserve: 0.3 }).crm.searchAccounts({})).rejects.toMatchObject({ code: 'daily_limit_reserve' });
		expect(calls).toHaveLength(1);
		expect(throttleDelay(orgId, 0.3)).toBe(0);
		expect(throttleDelay('unknown-org', 0.1)).toBe(0);
	});

	it('retries REQUEST_LIMIT_EXCEEDED as rate_limited and records usage from error responses', async () => {
		const { crm, api, calls, sleeps } = setup({ dailyLimitReserve: 0 });
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 403, sfError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), limitHeader(99)))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([]), limitHeader(50)));
		await crm.searchAccounts({});
		expect(calls).toHaveLength(2);
		expect(sleeps).toEqual([100]);
		expect(crm.client.orgKey).toMatch(/^00D/);
	});
});

describe('error mapping', () => {
	it.each([
		['NOT_FOUND', 404, 'not_found'],
		['INVALID_ID_FIELD', 400, 'not_found'],
		['ENTITY_IS_DELETED', 400, 'not_found'],
		['INVALID_SESSION_ID', 401, 'auth'],
		['REQUIRED_FIELD_MISSING', 400, 'validation'],
		['UNABLE_TO_LOCK_ROW', 400, 'transient'],
		['REQUEST_LIMIT_EXCEEDED', 403, 'rate_limited'],
		['DUPLICATE_VALUE', 400, 'conflict'],
		['SOMETHING_NEW', 500, 'transient'],
		['SOMETHING_NEW', 400, 'validation'],
	])('%s (%i) → %s', (errorCode, status, kind) => {
		const error = mapSalesforceError({ name: errorCode, errorCode, message: 'm', data: { message: 'm', errorCode, fields: ['Name'] } }, status);
		expect(error.kind).toBe(kind);
		expect(error.field).toBe(kind === 'validation' ? 'Name' : undefined);
	});

	it('falls back to ERROR_HTTP_ codes and keeps ConnectorErrors', () => {
		expect(mapSalesforceError({ errorCode: 'ERROR_HTTP_503', message: '<html>' }).kind).toBe('transient');
		expect(mapSalesforceError({ errorCode: 'WEIRD', message: 'x' }).kind).toBe('permanent');
		expect(mapSalesforceError(undefined).kind).toBe('permanent');
		const original = new ConnectorError('conflict', 'x');
		expect(mapSalesforceError(original)).toBe(original);
		expect(mapOAuthError(original)).toBe(original);
		expect(mapOAuthError({ name: 'ERROR_HTTP_502', message: 'bad gateway' })).toMatchObject({ kind: 'transient', status: 502 });
		expect(mapOAuthError({ name: 'invalid_client', message: '' })).toMatchObject({ kind: 'auth', message: expect.stringContaining('secret is wrong') });
		expect(mapOAuthError(null)).toMatchObject({ kind: 'auth', code: 'oauth_error' });
	});

	it('maps a 5xx HTML page to transient and retries reads', async () => {
		const { crm, api, sleeps } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.reply(503, '<html>down</html>', { 'Content-Type': 'text/html' })
			.get(`${API}/query`)
			.query(true)
			.reply(200, queryResult([{ Id: DEAL, Name: 'x' }]), { 'Content-Type': 'application/json' });
		const page = await crm.searchDeals({});
		expect(page.items[0].id).toBe(DEAL);
		expect(sleeps).toEqual([100]);
	});

	it('reports network failures as transient without the bearer token, after retrying reads', async () => {
		nock.enableNetConnect('127.0.0.1');
		const server = await droppingServer();
		try {
			const orgId = nextOrgId();
			const tokens: TokenCall[] = [];
			mockToken(tokens, orgId, '00D!secret-access-token', undefined, server.url);
			const { crm, sleeps } = makeCrm();
			const error = (await crm.getDeal(DEAL).catch((e: unknown) => e)) as ConnectorError;
			expect(error).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
			expect(JSON.stringify(error.toJSON())).not.toContain('secret-access-token');
			expect(server.hits()).toBe(4);
			expect(sleeps).toEqual([100, 200, 400]);
		} finally {
			await server.close();
		}
	});
});
