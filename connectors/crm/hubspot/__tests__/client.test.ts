import { ConnectorError } from '../../../core';
import { createHubspotCrm } from '../provider';
import { api, BASE, deal, hsError, makeCrm, PIPELINES, resetHubspot, TOKEN } from './helpers';

afterEach(resetHubspot);

const OAUTH = { auth: 'oauth' as const, accessToken: undefined, clientId: 'client-id-1', clientSecret: 'client-secret-abcdef', refreshToken: 'refresh-token-abcdef' };

function tokenReply(bodies: string[], accessToken: string, expiresIn = 1800) {
	return api()
		.post('/oauth/v1/token', (body) => {
			bodies.push(typeof body === 'string' ? body : new URLSearchParams(body as Record<string, string>).toString());
			return true;
		})
		.reply(200, { token_type: 'bearer', access_token: accessToken, refresh_token: 'refresh-token-abcdef', expires_in: expiresIn });
}

describe('configuration', () => {
	it('rejects incomplete or unsafe credentials before any request, naming the field', () => {
		expect(() => createHubspotCrm({ auth: 'privateApp' })).toThrow(expect.objectContaining({ field: 'credentials.accessToken' }));
		expect(() => createHubspotCrm({ auth: 'oauth', clientSecret: 's', refreshToken: 'r' })).toThrow(expect.objectContaining({ field: 'credentials.clientId' }));
		expect(() => createHubspotCrm({ auth: 'oauth', clientId: 'c', refreshToken: 'r' })).toThrow(expect.objectContaining({ field: 'credentials.clientSecret' }));
		expect(() => createHubspotCrm({ auth: 'oauth', clientId: 'c', clientSecret: 's' })).toThrow(expect.objectContaining({ field: 'credentials.refreshToken' }));
		expect(() => createHubspotCrm({ auth: 'privateApp', accessToken: TOKEN, basePath: 'http://api.example.com' })).toThrow(expect.objectContaining({ field: 'credentials.basePath' }));
		expect(() => createHubspotCrm({ auth: 'privateApp', accessToken: TOKEN, portalId: 'abc' })).toThrow(expect.objectContaining({ field: 'credentials.portalId' }));
		expect(() => createHubspotCrm({ auth: 'basic' as never, accessToken: TOKEN })).toThrow(expect.objectContaining({ field: 'credentials.auth' }));
		expect(createHubspotCrm({ auth: 'privateApp', accessToken: TOKEN }).client.config.basePath).toBe('https://api.hubapi.com');
	});
});

describe('private app', () => {
	it('whoAmI reads the account details with the bearer token', async () => {
		let auth: unknown;
		api()
			.get('/account-info/v3/details')
			.reply(function () {
				auth = this.req.headers.authorization;
				return [200, { portalId: 4242, timeZone: 'Europe/Berlin', uiDomain: 'app.hubspot.com' }];
			});
		const { crm } = makeCrm();
		expect(await crm.whoAmI()).toEqual({ id: '4242', name: 'HubSpot account 4242' });
		expect(auth).toBe(`Bearer ${TOKEN}`);
	});

	it('maps a revoked token to auth without echoing it', async () => {
		api().get('/account-info/v3/details').reply(401, hsError('INVALID_AUTHENTICATION', `Authentication credentials not found. token ${TOKEN}`));
		const { crm } = makeCrm();
		const error = (await crm.whoAmI().catch((e: unknown) => e)) as ConnectorError;
		expect(error).toMatchObject({ kind: 'auth', status: 401 });
		expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
		expect(error.message).not.toContain(TOKEN);
	});

	it('retries 5xx and 429 with core backoff (SDK retries off), honouring Retry-After', async () => {
		api().get('/crm/v3/pipelines/deals').reply(502, '<html>bad gateway</html>', { 'Content-Type': 'text/html' });
		api().get('/crm/v3/pipelines/deals').reply(429, hsError('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', { policyName: 'TEN_SECONDLY_ROLLING' }), { 'Retry-After': '3' });
		api().get('/crm/v3/pipelines/deals').reply(200, PIPELINES);
		api().get('/crm/v3/objects/deals/5').query(true).reply(200, deal('5'));
		api().get('/crm/v4/objects/deals/5/associations/companies').query(true).reply(200, { results: [] });
		const { crm, sleeps } = makeCrm();
		const result = await crm.getDeal('5');
		expect(result.isWon).toBe(true);
		expect(sleeps).toEqual([100, 3000]);
	});

	it('gives up after the retry policy with a transient error', async () => {
		api().get('/account-info/v3/details').times(3).reply(503, hsError('INTERNAL_ERROR', 'down'));
		const { crm, sleeps } = makeCrm();
		await expect(crm.whoAmI()).rejects.toMatchObject({ kind: 'transient', status: 503 });
		expect(sleeps).toHaveLength(2);
	});

	it('turns a refused connection into a transient error and a hung request into a timeout', async () => {
		// A real refused connection on loopback (nock's replyWithError never settles node-fetch's promise).
		const { crm } = makeCrm({ basePath: 'http://127.0.0.1:1' });
		await expect(crm.listWonDealsModifiedSince('2026-11-01T00:00:00Z', 5)).rejects.toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });

		api().get('/crm/v3/pipelines/deals').times(3).delay(300).reply(200, PIPELINES);
		const slow = makeCrm({ timeoutMs: 50 }).crm;
		await expect(slow.listWonDealsModifiedSince('2026-11-01T00:00:00Z', 5)).rejects.toMatchObject({ kind: 'transient', code: 'ETIMEDOUT' });
	});
});

describe('OAuth', () => {
	it('gets a token first when none is configured, then reuses it until it nearly expires', async () => {
		const bodies: string[] = [];
		tokenReply(bodies, 'access-token-one-123');
		tokenReply(bodies, 'access-token-two-456');
		const seen: unknown[] = [];
		api()
			.get('/account-info/v3/details')
			.times(3)
			.reply(function () {
				seen.push(this.req.headers.authorization);
				return [200, { portalId: 1 }];
			});
		api()
			.get('/oauth/v1/access-tokens/access-token-one-123')
			.reply(function () {
				seen.push(this.req.headers.authorization);
				return [200, { token: 'access-token-one-123', user: 'ops@acme.com', hub_id: 99, hub_domain: 'acme.com', app_id: 1, expires_in: 1700, user_id: 5, token_type: 'access', scopes: [] }];
			});
		const { crm, clock } = makeCrm(OAUTH);
		expect(await crm.whoAmI()).toEqual({ id: '99', name: 'ops@acme.com' });
		expect(bodies).toHaveLength(1);
		const form = new URLSearchParams(bodies[0]);
		expect(Object.fromEntries(form)).toEqual({ grant_type: 'refresh_token', client_id: 'client-id-1', client_secret: 'client-secret-abcdef', refresh_token: 'refresh-token-abcdef' });
		expect(seen[0]).toBe('Bearer access-token-one-123');
		clock.now += 1750 * 1000;
		await crm.client.call((sdk, options) => sdk.crm.pipelines.pipelinesApi.getAll('deals', options)).catch(() => undefined);
		expect(bodies).toHaveLength(2);
	});

	it('refreshes once on a 401 and repeats the call with the new token', async () => {
		const bodies: string[] = [];
		const seen: unknown[] = [];
		api()
			.get('/crm/v3/pipelines/deals')
			.reply(function () {
				seen.push(this.req.headers.authorization);
				return [401, hsError('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired')];
			});
		tokenReply(bodies, 'access-token-fresh-789');
		api()
			.get('/crm/v3/pipelines/deals')
			.reply(function () {
				seen.push(this.req.headers.authorization);
				return [200, PIPELINES];
			});
		const { crm } = makeCrm({ ...OAUTH, accessToken: 'access-token-stale-000' });
		expect(await crm.listWonDealsModifiedSince('2026-11-01T00:00:00Z', 5).catch((e) => e)).toBeDefined();
		expect(seen).toEqual(['Bearer access-token-stale-000', 'Bearer access-token-fresh-789']);
		expect(bodies).toHaveLength(1);
	});

	it('shares one refresh between concurrent calls', async () => {
		const bodies: string[] = [];
		tokenReply(bodies, 'access-token-shared-1');
		const { crm } = makeCrm(OAUTH);
		const tokens = await Promise.all([crm.client.currentToken(), crm.client.currentToken(), crm.client.currentToken()]);
		expect(tokens).toEqual(['access-token-shared-1', 'access-token-shared-1', 'access-token-shared-1']);
		expect(bodies).toHaveLength(1);
	});

	it('does not loop when the refreshed token is refused too', async () => {
		const bodies: string[] = [];
		tokenReply(bodies, 'access-token-first-1');
		tokenReply(bodies, 'access-token-second-2');
		let calls = 0;
		api()
			.get('/crm/v3/pipelines/deals')
			.times(5)
			.reply(() => {
				calls++;
				return [401, hsError('INVALID_AUTHENTICATION', 'nope')];
			});
		const { crm } = makeCrm(OAUTH);
		const failure = await crm.client.call((sdk, options) => sdk.crm.pipelines.pipelinesApi.getAll('deals', options)).catch((e: unknown) => e);
		expect(failure).toMatchObject({ kind: 'auth', status: 401 });
		expect(calls).toBe(2);
		expect(bodies).toHaveLength(2);
	});

	it('reports a revoked refresh token as auth, never echoing the secrets', async () => {
		api().post('/oauth/v1/token').reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token refresh-token-abcdef' });
		const { crm } = makeCrm(OAUTH);
		const error = (await crm.whoAmI().catch((e: unknown) => e)) as ConnectorError;
		expect(error).toMatchObject({ kind: 'auth', status: 400 });
		const text = JSON.stringify(error.toJSON()) + error.message;
		expect(text).not.toContain('refresh-token-abcdef');
		expect(text).not.toContain('client-secret-abcdef');
	});

	it('keeps a transient token endpoint failure transient', async () => {
		api().post('/oauth/v1/token').times(3).reply(503, { status: 'error', message: 'unavailable' });
		const { crm } = makeCrm(OAUTH);
		await expect(crm.whoAmI()).rejects.toMatchObject({ kind: 'transient' });
	});

	it('refuses a token answer without an access token', async () => {
		api().post('/oauth/v1/token').reply(200, { token_type: 'bearer', expires_in: 1800 });
		const { crm } = makeCrm(OAUTH);
		await expect(crm.whoAmI()).rejects.toMatchObject({ kind: 'auth' });
		expect(BASE).toContain('127.0.0.1');
	});
});
