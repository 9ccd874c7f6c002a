import nock from 'nock';
import { ConnectorError, verifyJwtRs256 } from '../../core';
import { createDocusignClient, docusignConsentUrl, DOCUSIGN_AUTH_SERVERS } from '..';
import {
	ACCOUNT,
	AUTH,
	BASE_URI,
	baseConfig,
	ENVELOPE_ID,
	INTEGRATION_KEY,
	makeClient,
	mockAuth,
	PRIVATE_KEY,
	PUBLIC_KEY,
	reply,
	resetAll,
	REST,
	rest,
	T0,
	TOKEN,
	USER_ID,
	userInfo,
	type Captured,
} from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(resetAll);
afterAll(() => nock.enableNetConnect());

const catchError = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ConnectorError);

describe('JWT grant', () => {
	it('posts a form-encoded RS256 assertion with iss, sub, aud host, scope and a one-hour lifetime', async () => {
		const calls = mockAuth();
		const { client } = makeClient();
		expect(await client.getAccessToken()).toBe(TOKEN);
		const call = calls.find((c) => c.path === '/oauth/token') as Captured;
		expect(call.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
		const form = new URLSearchParams(call.body as string);
		expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
		const verified = verifyJwtRs256(form.get('assertion'), PUBLIC_KEY, { now: T0 });
		expect(verified.ok).toBe(true);
		const payload = (verified as { value: { payload: Record<string, unknown> } }).value.payload;
		expect(payload).toMatchObject({ iss: INTEGRATION_KEY, sub: USER_ID, aud: 'account-d.docusign.com', scope: 'signature impersonation', iat: T0 / 1000 });
		expect(payload.exp).toBe(T0 / 1000 + 3600);
	});

	it('uses the production auth server and custom scopes', async () => {
		const calls: Captured[] = [];
		nock(DOCUSIGN_AUTH_SERVERS.production).post('/oauth/token').reply(reply(calls, 200, { access_token: TOKEN, expires_in: 3600 }));
		const { client } = makeClient({ environment: 'production', scopes: ['signature', 'impersonation', 'extended'] });
		await client.getAccessToken();
		const assertion = new URLSearchParams(calls[0].body as string).get('assertion') as string;
		const payload = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString());
		expect(payload.aud).toBe('account.docusign.com');
		expect(payload.scope).toBe('signature impersonation extended');
	});

	it('caches the token until 60 s before expiry, then asks again', async () => {
		const calls = mockAuth({ expiresIn: 600 });
		const { client, clock } = makeClient();
		await client.getAccessToken();
		clock.now = T0 + 539_000;
		await client.getAccessToken();
		expect(calls.filter((c) => c.path === '/oauth/token')).toHaveLength(1);
		clock.now = T0 + 541_000;
		await client.getAccessToken();
		expect(calls.filter((c) => c.path === '/oauth/token')).toHaveLength(2);
	});

	it('shares one token between clients of the same user and makes one request for concurrent callers', async () => {
		const calls = mockAuth();
		const a = makeClient().client;
		const b = makeClient().client;
		await Promise.all([a.getAccessToken(), a.getAccessToken(), b.getAccessToken()]);
		expect(calls.filter((c) => c.path === '/oauth/token')).toHaveLength(1);
		// A different user gets its own token.
		await makeClient({ userId: 'other-user' }).client.getAccessToken();
		expect(calls.filter((c) => c.path === '/oauth/token')).toHaveLength(2);
	});

	it('accepts a private key pasted with literal \\n sequences', async () => {
		mockAuth();
		const { client } = makeClient({ privateKey: PRIVATE_KEY.replace(/\n/g, '\\n') });
		expect(await client.getAccessToken()).toBe(TOKEN);
	});

	it('explains consent_required with the consent URL to open once', async () => {
		nock(AUTH).post('/oauth/token').reply(400, { error: 'consent_required' });
		const { client } = makeClient();
		const error = await catchError(client.getAccessToken());
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error?.kind).toBe('auth');
		expect(error?.code).toBe('consent_required');
		const url = docusignConsentUrl(baseConfig(), 'https://developers.docusign.com/platform/auth/consent');
		expect(error?.message).toContain(url);
		expect(error?.message).toMatch(/open this url once/i);
	});

	it('puts a configured redirect URI in the consent URL', async () => {
		nock(AUTH).post('/oauth/token').reply(400, { error: 'consent_required' });
		const { client } = makeClient({ consentRedirectUri: 'https://n8n.acme.test/callback' });
		const error = await catchError(client.getAccessToken());
		expect(error?.message).toContain(encodeURIComponent('https://n8n.acme.test/callback'));
	});

	it.each([
		[{ error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' }, 'no_valid_keys_or_signatures'],
		[{ error: 'invalid_grant', error_description: 'user_not_found' }, 'invalid_grant'],
		[{ error: 'no_valid_keys_or_signatures' }, 'no_valid_keys_or_signatures'],
	])('maps %j to auth with a hint about user id, key pair and environment', async (body, code) => {
		nock(AUTH).post('/oauth/token').reply(400, body);
		const error = await catchError(makeClient().client.getAccessToken());
		expect(error?.kind).toBe('auth');
		expect(error?.code).toBe(code);
		expect(error?.message).toMatch(/user id/);
		expect(error?.message).toMatch(/key pair/);
		expect(error?.message).toMatch(/environment/);
	});

	it('maps an unknown integration key and a plain 401', async () => {
		nock(AUTH).post('/oauth/token').reply(400, { error: 'invalid_client' });
		expect(await catchError(makeClient().client.getAccessToken())).toMatchObject({ kind: 'auth', code: 'invalid_client' });
		nock(AUTH).post('/oauth/token').reply(401, { error: 'weird' });
		expect(await catchError(makeClient().client.getAccessToken())).toMatchObject({ kind: 'auth', code: 'weird' });
		nock(AUTH).post('/oauth/token').reply(400, { error: 'temporarily_odd', error_description: 'x' });
		expect(await catchError(makeClient().client.getAccessToken())).toMatchObject({ kind: 'validation', code: 'temporarily_odd' });
	});

	it('retries a token request that met a 503', async () => {
		nock(AUTH).post('/oauth/token').reply(503, 'busy').post('/oauth/token').reply(200, { access_token: TOKEN, expires_in: 3600 });
		const { client, sleeps } = makeClient();
		expect(await client.getAccessToken()).toBe(TOKEN);
		expect(sleeps).toEqual([100]);
	});

	it('never lets the private key or the token into an error', async () => {
		nock(AUTH).post('/oauth/token').reply(400, { error: 'invalid_grant', error_description: `echo ${PRIVATE_KEY}` });
		const error = await catchError(makeClient().client.getAccessToken());
		const text = JSON.stringify(error?.toJSON()) + String(error?.message);
		expect(text).not.toContain('PRIVATE KEY-----\nMII');
		expect(text).not.toContain(PRIVATE_KEY.split('\n')[1]);

		mockAuth();
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(500, { errorCode: 'UNSPECIFIED_ERROR', message: `token was ${TOKEN}` });
		const restError = await catchError(makeClient({}, { retry: { retries: 0 } }).client.getEnvelope(ENVELOPE_ID));
		expect(restError?.kind).toBe('transient');
		expect(JSON.stringify(restError?.toJSON())).not.toContain(TOKEN);
	});
});

describe('config validation', () => {
	it('rejects bad credentials before any request, naming the field and never echoing the key', () => {
		expect(() => createDocusignClient(baseConfig({ environment: 'custom' }))).toThrow(/credentials\.authServer/);
		expect(() => createDocusignClient(baseConfig({ integrationKey: ' ' }))).toThrow(/credentials\.integrationKey/);
		expect(() => createDocusignClient(baseConfig({ userId: '' }))).toThrow(/credentials\.userId/);
		expect(() => createDocusignClient(baseConfig({ environment: 'staging' as never }))).toThrow(/credentials\.environment/);
		expect(() => createDocusignClient(baseConfig({ basePath: 'ftp://x/restapi' }))).toThrow(/credentials\.basePath/);
		const badKey = '-----BEGIN RSA PRIVATE KEY-----\nnot-a-key-material\n-----END RSA PRIVATE KEY-----';
		let error: ConnectorError | undefined;
		try {
			createDocusignClient(baseConfig({ privateKey: badKey }));
		} catch (e) {
			error = e as ConnectorError;
		}
		expect(error?.kind).toBe('validation');
		expect(error?.field).toBe('credentials.privateKey');
		expect(JSON.stringify(error?.toJSON())).not.toContain('not-a-key-material');
	});

	it('accepts http auth servers for the custom environment (the sandbox)', async () => {
		const calls: Captured[] = [];
		nock('http://127.0.0.1:4010').post('/oauth/token').reply(reply(calls, 200, { access_token: TOKEN, expires_in: 3600 }));
		const { client } = makeClient({ environment: 'custom', authServer: 'http://127.0.0.1:4010/' });
		await client.getAccessToken();
		const assertion = new URLSearchParams(calls[0].body as string).get('assertion') as string;
		expect(JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString()).aud).toBe('127.0.0.1:4010');
	});
});

describe('docusignConsentUrl', () => {
	it('builds the consent URL with impersonation always requested', () => {
		const url = new URL(docusignConsentUrl({ environment: 'demo', integrationKey: INTEGRATION_KEY, scopes: ['signature'] }, 'https://app.test/cb'));
		expect(url.origin + url.pathname).toBe('https://account-d.docusign.com/oauth/auth');
		expect(url.searchParams.get('response_type')).toBe('code');
		expect(url.searchParams.get('scope')).toBe('signature impersonation');
		expect(url.searchParams.get('client_id')).toBe(INTEGRATION_KEY);
		expect(url.searchParams.get('redirect_uri')).toBe('https://app.test/cb');
		expect(docusignConsentUrl({ environment: 'custom', authServer: 'http://127.0.0.1:9/', integrationKey: 'k' }, 'https://a.test/')).toMatch(/^http:\/\/127\.0\.0\.1:9\/oauth\/auth\?/);
		expect(() => docusignConsentUrl({ environment: 'custom', integrationKey: 'k' }, 'https://a.test')).toThrow(/credentials\.authServer/);
		expect(() => docusignConsentUrl({ environment: 'demo', integrationKey: 'k' }, 'not a url')).toThrow(/redirectUri/);
	});
});

describe('account resolution and whoAmI', () => {
	it('uses the default account from userinfo and its base_uri for REST calls', async () => {
		const auth = mockAuth({
			info: userInfo([
				{ account_id: 'other', is_default: false, base_uri: 'https://eu.docusign.net' },
				{ account_id: ACCOUNT, is_default: 'true', base_uri: `${BASE_URI}/` },
			]),
		});
		const calls: Captured[] = [];
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(reply(calls, 200, { envelopeId: ENVELOPE_ID, status: 'sent' }));
		const { client } = makeClient();
		await client.getEnvelope(ENVELOPE_ID);
		expect(calls).toHaveLength(1);
		expect(calls[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(auth.find((c) => c.path === '/oauth/userinfo')?.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(await client.whoAmI()).toEqual({ userId: USER_ID, name: 'Ada Admin', email: 'ada@acme.test', accountId: ACCOUNT, baseUri: `${BASE_URI}/` });
	});

	it('uses a configured account, and skips userinfo when account and base path are both configured', async () => {
		const auth = mockAuth({ info: userInfo([{ account_id: 'first', base_uri: 'https://na1.docusign.net' }, { account_id: ACCOUNT, base_uri: BASE_URI }]) });
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		await makeClient({ accountId: ACCOUNT }).client.getEnvelope(ENVELOPE_ID);
		expect(auth.filter((c) => c.path === '/oauth/userinfo')).toHaveLength(1);

		nock('https://proxy.test').get(`/ds${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		await makeClient({ accountId: ACCOUNT, basePath: 'https://proxy.test/ds/restapi' }).client.getEnvelope(ENVELOPE_ID);
		expect(auth.filter((c) => c.path === '/oauth/userinfo')).toHaveLength(1);
	});

	it('uses the first account when none is marked default', async () => {
		mockAuth({ info: userInfo([{ account_id: ACCOUNT, base_uri: BASE_URI }]) });
		expect((await makeClient().client.whoAmI()).accountId).toBe(ACCOUNT);
	});

	it('fails with auth when the configured account is not the user\'s, or the user has none', async () => {
		mockAuth();
		const error = await catchError(makeClient({ accountId: 'nope' }).client.getEnvelope(ENVELOPE_ID));
		expect(error).toMatchObject({ kind: 'auth', code: 'account_not_found', field: 'credentials.accountId' });
		resetAll();
		mockAuth({ info: userInfo([]) });
		expect(await catchError(makeClient().client.whoAmI())).toMatchObject({ kind: 'auth', code: 'no_account' });
	});

	it('does not remember a failed account lookup', async () => {
		nock(AUTH).post('/oauth/token').reply(400, { error: 'consent_required' });
		const { client } = makeClient();
		expect(await catchError(client.getEnvelope(ENVELOPE_ID))).toMatchObject({ code: 'consent_required' });
		mockAuth();
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(200, { envelopeId: ENVELOPE_ID, status: 'sent' });
		expect((await client.getEnvelope(ENVELOPE_ID)).status).toBe('sent');
	});

	it('fetches a new token once when DocuSign answers 401 to a cached one', async () => {
		const calls: Captured[] = [];
		nock(AUTH)
			.post('/oauth/token')
			.reply(reply(calls, 200, { access_token: 'revoked-token-1', expires_in: 3600 }))
			.post('/oauth/token')
			.reply(reply(calls, 200, { access_token: TOKEN, expires_in: 3600 }));
		nock(AUTH).persist().get('/oauth/userinfo').reply(200, userInfo());
		const restCalls: Captured[] = [];
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(reply(restCalls, 401, { errorCode: 'AUTHORIZATION_INVALID_TOKEN', message: 'expired' }))
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(reply(restCalls, 200, { envelopeId: ENVELOPE_ID, status: 'sent' }));
		const { client } = makeClient();
		expect((await client.getEnvelope(ENVELOPE_ID)).status).toBe('sent');
		expect(restCalls.map((c) => c.headers.authorization)).toEqual(['Bearer revoked-token-1', `Bearer ${TOKEN}`]);
	});

	it('gives up with auth when the fresh token is refused too', async () => {
		mockAuth();
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).times(2).reply(401, { errorCode: 'USER_AUTHENTICATION_FAILED', message: 'no' });
		const error = await catchError(makeClient().client.getEnvelope(ENVELOPE_ID));
		expect(error).toMatchObject({ kind: 'auth', status: 401, code: 'USER_AUTHENTICATION_FAILED' });
		expect(nock.isDone()).toBe(true);
	});
});
