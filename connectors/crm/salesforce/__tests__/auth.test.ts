import nock from 'nock';
import { ConnectorError, verifyJwtRs256 } from '../../../core';
import { JWT_BEARER_GRANT } from '../auth';
import {
	API,
	CLIENT_ID,
	CLIENT_SECRET,
	droppingServer,
	INSTANCE,
	LOGIN,
	makeCrm,
	mockToken,
	nextOrgId,
	REFRESH_TOKEN,
	record,
	rsaKeys,
	USER_ID,
	type ApiCall,
	type TokenCall,
} from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const userinfo = { user_id: USER_ID, name: 'Integration User', preferred_username: 'int@acme.com', organization_id: '00D000000000001AAA' };

describe('refresh-token flow', () => {
	it('exchanges the refresh token, uses the issued token and instance URL, and answers whoAmI from userinfo', async () => {
		const orgId = nextOrgId();
		const tokens: TokenCall[] = [];
		const calls: ApiCall[] = [];
		mockToken(tokens, orgId, '00D!first-access-token');
		nock(INSTANCE).get('/services/oauth2/userinfo').reply(record(calls, 200, userinfo));
		const { crm } = makeCrm();
		expect(await crm.whoAmI()).toEqual({ id: USER_ID, name: 'Integration User', username: 'int@acme.com', organizationId: '00D000000000001AAA' });
		expect(Object.fromEntries(tokens[0].params)).toEqual({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
		expect(calls[0].authorization).toBe('Bearer 00D!first-access-token');
		expect(crm.client.instanceUrl).toBe(INSTANCE);
		expect(crm.client.orgKey).toBe(orgId);
	});

	it('refreshes once on an expired session, keeps the new token, and does not log in again', async () => {
		const orgId = nextOrgId();
		const tokens: TokenCall[] = [];
		const calls: ApiCall[] = [];
		mockToken(tokens, orgId, '00D!old-access-token');
		mockToken(tokens, orgId, '00D!new-access-token');
		nock(INSTANCE)
			.get('/services/oauth2/userinfo')
			.reply(record(calls, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]))
			.get('/services/oauth2/userinfo')
			.times(2)
			.reply(record(calls, 200, userinfo));
		const { crm } = makeCrm();
		await crm.whoAmI();
		await crm.whoAmI();
		expect(tokens).toHaveLength(2);
		expect(calls.map((c) => c.authorization)).toEqual(['Bearer 00D!old-access-token', 'Bearer 00D!new-access-token', 'Bearer 00D!new-access-token']);
	});

	it('gives up with an auth error when the fresh token is refused too', async () => {
		const orgId = nextOrgId();
		const tokens: TokenCall[] = [];
		mockToken(tokens, orgId);
		mockToken(tokens, orgId);
		nock(INSTANCE).get('/services/oauth2/userinfo').times(2).reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
		const { crm } = makeCrm();
		const error = (await crm.whoAmI().catch((e: unknown) => e)) as ConnectorError;
		expect(error).toMatchObject({ kind: 'auth', code: 'INVALID_SESSION_ID', status: 401 });
		expect(error.message).toMatch(/freshly issued/);
		expect(tokens).toHaveLength(2);
		expect(nock.isDone()).toBe(true);
	});

	it('maps invalid_grant to an auth error with a hint and without the refresh token or secret', async () => {
		nock(LOGIN).post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: `expired access/refresh token ${REFRESH_TOKEN}` });
		const { crm } = makeCrm();
		const error = (await crm.whoAmI().catch((e: unknown) => e)) as ConnectorError;
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error).toMatchObject({ kind: 'auth', code: 'invalid_grant' });
		expect(error.message).toMatch(/Hint: .*test\.salesforce\.com/);
		expect(JSON.stringify(error.toJSON())).not.toContain(REFRESH_TOKEN);
		expect(JSON.stringify(error.toJSON())).not.toContain(CLIENT_SECRET);
	});

	it('retries a login that failed with 5xx, and fails without instance_url', async () => {
		const orgId = nextOrgId();
		const tokens: TokenCall[] = [];
		nock(LOGIN).post('/services/oauth2/token').reply(503, 'Service Unavailable', { 'Content-Type': 'text/plain' });
		mockToken(tokens, orgId);
		nock(INSTANCE).get('/services/oauth2/userinfo').reply(200, userinfo);
		const { crm, sleeps } = makeCrm();
		await crm.whoAmI();
		expect(sleeps).toEqual([100]);

		nock(LOGIN).post('/services/oauth2/token').reply(200, { access_token: 'x-access-token-1' });
		await expect(makeCrm().crm.whoAmI()).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('instance_url') });
		nock(LOGIN).post('/services/oauth2/token').reply(200, { nothing: true });
		await expect(makeCrm().crm.whoAmI()).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('access_token') });
	});

	it('uses a configured instance URL over the one in the token response', async () => {
		const tokens: TokenCall[] = [];
		mockToken(tokens, nextOrgId(), '00D!token-abcdef', LOGIN, 'https://other.my.salesforce.com');
		const calls: ApiCall[] = [];
		nock('https://fixed.my.salesforce.com').get('/services/oauth2/userinfo').reply(record(calls, 200, userinfo));
		const { crm } = makeCrm({ instanceUrl: 'https://fixed.my.salesforce.com/' });
		await crm.whoAmI();
		expect(calls).toHaveLength(1);
	});

	it('rejects a userinfo answer without user_id', async () => {
		const tokens: TokenCall[] = [];
		mockToken(tokens, nextOrgId());
		nock(INSTANCE).get('/services/oauth2/userinfo').reply(200, {});
		await expect(makeCrm().crm.whoAmI()).rejects.toMatchObject({ kind: 'permanent' });
	});
});

describe('JWT bearer flow', () => {
	it('posts an RS256 assertion (iss, sub, aud, exp = now + 180) to an http loopback login URL', async () => {
		const login = 'http://127.0.0.1:8947';
		const { privateKey, publicKey } = rsaKeys();
		const orgId = nextOrgId();
		const tokens: TokenCall[] = [];
		mockToken(tokens, orgId, '00D!jwt-access-token', login, 'http://127.0.0.1:8948');
		const calls: ApiCall[] = [];
		nock('http://127.0.0.1:8948').get(`${API}/query`).query(true).reply(record(calls, 200, { totalSize: 0, done: true, records: [] }));
		const now = 1_800_000_000_000;
		const { crm } = makeCrm(
			{ auth: 'jwtBearer', loginUrl: login, username: 'int@acme.com', privateKey: privateKey.replace(/\n/g, '\\n'), clientSecret: undefined, refreshToken: undefined },
			() => now,
		);
		await crm.listWonDealsModifiedSince('2026-01-01T00:00:00Z', 1);
		expect(tokens[0].params.get('grant_type')).toBe(JWT_BEARER_GRANT);
		const verified = verifyJwtRs256(tokens[0].params.get('assertion'), publicKey, { now, issuer: CLIENT_ID, audience: login });
		expect(verified.ok).toBe(true);
		if (verified.ok) expect(verified.value.payload).toEqual({ iss: CLIENT_ID, sub: 'int@acme.com', aud: login, exp: now / 1000 + 180 });
		expect(calls[0].authorization).toBe('Bearer 00D!jwt-access-token');
	});

	it('explains a JWT invalid_grant and an unreachable login server', async () => {
		const { privateKey } = rsaKeys();
		const config = { auth: 'jwtBearer' as const, username: 'int@acme.com', privateKey };
		nock(LOGIN).post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'user hasn\'t approved this consumer' });
		await expect(makeCrm(config).crm.whoAmI()).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('pre-authorised') });
		nock.enableNetConnect('127.0.0.1');
		const server = await droppingServer();
		try {
			const { crm, sleeps } = makeCrm({ ...config, loginUrl: server.url });
			await expect(crm.whoAmI()).rejects.toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
			expect(server.hits()).toBe(4);
			expect(sleeps).toEqual([100, 200, 400]);
		} finally {
			await server.close();
		}
	});
});
