/**
 * The fakes' vendor rate limits (sandbox/*\/rateLimit.js): under the limit the call is served, over it the vendor's own
 * answer and headers, windows refill as the (injected) clock moves, and startSandbox() keeps them off until asked.
 */
import { createDocusignClient } from '../../connectors/docusign';
import { docusignConfigFromCredentials } from '../../nodes/Docusign/transport';

const { createStripeFake } = require('../../sandbox/stripe');
const { createHubspotFake } = require('../../sandbox/hubspot');
const { createDocusignFake } = require('../../sandbox/docusign');
const { createSalesforceFake } = require('../../sandbox/salesforce');
const { startSandbox } = require('../../sandbox');

type Json = Record<string, any>;
const clock = { t: Date.UTC(2026, 10, 22, 9, 15, 0) };
const now = () => clock.t;

async function burst(n: number, call: () => Promise<Response>): Promise<Response[]> {
	const answers: Response[] = [];
	for (let i = 0; i < n; i++) answers.push(await call());
	return answers;
}
const statuses = (answers: Response[]) => answers.map((r) => r.status);

describe('Stripe: 25 ops/s in test mode, 100 in live mode, 429 rate_limit', () => {
	let fake: any;
	beforeAll(async () => {
		fake = createStripeFake({ now, apiKeys: ['sk_test_limits', 'sk_live_limits'], vendorLimits: true });
		await fake.listen();
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.app.reset());
	const balance = (key: string) => fetch(`${fake.url}/v1/balance`, { headers: { Authorization: `Bearer ${key}` } });

	it('serves 25 a second with a test key, answers the 26th like Stripe, and refills with time', async () => {
		const answers = await burst(26, () => balance('sk_test_limits'));
		expect(statuses(answers.slice(0, 25)).every((s) => s === 200)).toBe(true);
		const limited = answers[25];
		expect(limited.status).toBe(429);
		expect(limited.headers.get('stripe-rate-limited-reason')).toBe('global-rate');
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(await limited.json()).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', code: 'rate_limit' }) });
		clock.t += 200; // 5 tokens back
		expect(statuses(await burst(6, () => balance('sk_test_limits')))).toEqual([200, 200, 200, 200, 200, 429]);
		expect(fake.rateLimit.stats()).toMatchObject({ enabled: true, requests: 32, limited: 2, byPolicy: { 'global-rate': 2 } });
	});

	it('allows 100 a second in live mode (endpoint limit raised), counted apart from test mode', async () => {
		fake.rateLimit.configure({ endpointPerSecond: 1000 });
		const live = await burst(101, () => balance('sk_live_limits'));
		expect(live.filter((r) => r.status === 200)).toHaveLength(100);
		expect(live[100].status).toBe(429);
		expect((await balance('sk_test_limits')).status).toBe(200);
		fake.rateLimit.configure(true);
	});

	it('limits each endpoint to 25 a second even in live mode', async () => {
		const live = await burst(26, () => balance('sk_live_limits'));
		expect(live[25].status).toBe(429);
		expect(live[25].headers.get('stripe-rate-limited-reason')).toBe('endpoint-rate');
	});
});

describe('HubSpot: rolling 10-second and daily limits with X-HubSpot-RateLimit-* headers', () => {
	let fake: any;
	let token: string;
	beforeAll(async () => {
		fake = createHubspotFake({ now, vendorLimits: true });
		await fake.listen();
		token = fake.credentials().hubspotCrmApi.accessToken;
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.reset());
	const details = () => fetch(`${fake.url}/account-info/v3/details`, { headers: { Authorization: `Bearer ${token}` } });

	it('serves 100 per 10 s (Free/Starter), then 429 TEN_SECONDLY_ROLLING; the window rolls on', async () => {
		const first = await details();
		expect(Object.fromEntries([...first.headers].filter(([h]) => h.startsWith('x-hubspot-ratelimit')))).toEqual({
			'x-hubspot-ratelimit-interval-milliseconds': '10000',
			'x-hubspot-ratelimit-max': '100',
			'x-hubspot-ratelimit-remaining': '99',
			'x-hubspot-ratelimit-daily': '250000',
			'x-hubspot-ratelimit-daily-remaining': '249999',
		});
		const rest = await burst(100, details);
		expect(rest.filter((r) => r.status === 200)).toHaveLength(99);
		const limited = rest[99];
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
		expect(await limited.json()).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.' });
		clock.t += 5_000;
		expect((await details()).status).toBe(429);
		clock.t += 5_200;
		expect((await details()).status).toBe(200);
	});

	it('refuses past the daily limit with policy DAILY, and a plan picks its numbers', async () => {
		fake.rateLimit.configure({ daily: 3 });
		expect(statuses(await burst(4, details))).toEqual([200, 200, 200, 429]);
		const refused = await details();
		expect(await refused.json()).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
		expect(fake.rateLimit.configure({ plan: 'enterprise' })).toMatchObject({ perTenSeconds: 190, daily: 1_000_000 });
		expect(() => fake.rateLimit.configure({ plan: 'platinum' })).toThrow(/plan must be one of/);
		fake.rateLimit.configure(true);
	});
});

describe('DocuSign: burst per 30 s and hourly per account, X-RateLimit-* and X-BurstLimit-* headers', () => {
	let fake: any;
	let token: string;
	let base: string;
	beforeAll(async () => {
		fake = createDocusignFake({ now, vendorLimits: { burstPer30s: 5, hourly: 8 } });
		await fake.listen();
		base = `${fake.credentials().docusignApi.basePath}/v2.1/accounts/${fake.credentials().docusignApi.accountId}`;
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.app.reset(); // also revokes tokens: get one afterwards (the token endpoint is not rate limited)
		token = await createDocusignClient(docusignConfigFromCredentials(fake.credentials().docusignApi)).getAccessToken();
	});
	const templates = () => fetch(`${base}/templates`, { headers: { Authorization: `Bearer ${token}` } });

	it('answers the burst limit with 429 and the headers, then the hourly limit until the top of the hour', async () => {
		clock.t = Date.UTC(2026, 10, 22, 10, 59, 0);
		const first = await templates();
		expect(first.status).toBe(200);
		expect(first.headers.get('x-ratelimit-limit')).toBe('8');
		expect(first.headers.get('x-ratelimit-remaining')).toBe('7');
		expect(first.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 10, 22, 11) / 1000));
		expect(first.headers.get('x-burstlimit-limit')).toBe('5');
		expect(first.headers.get('x-burstlimit-remaining')).toBe('4');
		const answers = await burst(5, templates);
		expect(statuses(answers)).toEqual([200, 200, 200, 200, 429]);
		expect(await answers[4].json()).toEqual({ errorCode: 'BURST_APIINVOCATION_LIMIT_EXCEEDED', message: expect.any(String) });
		expect(answers[4].headers.get('x-burstlimit-remaining')).toBe('0');
		clock.t += 31_000;
		const hourly = await burst(4, templates);
		expect(statuses(hourly)).toEqual([200, 200, 200, 429]);
		expect(await hourly[3].json()).toEqual({ errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED', message: 'The maximum number of hourly API invocations has been exceeded.' });
		clock.t = Date.UTC(2026, 10, 22, 11, 0, 1);
		expect((await templates()).status).toBe(200);
		expect(fake.rateLimit.stats()).toMatchObject({ enabled: true, limited: 2, byPolicy: { burst: 1, hourly: 1 } });
	});
});

describe('Salesforce: the org allocation over a rolling 24 hours', () => {
	let fake: any;
	let api: (path: string) => Promise<Response>;
	beforeAll(async () => {
		fake = createSalesforceFake({ now, vendorLimits: { daily: 3 } });
		await fake.listen();
		const credential = fake.credentials().salesforceCrmApi;
		const issued = await fetch(`${fake.url}/services/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credential.clientId, client_secret: credential.clientSecret, refresh_token: credential.refreshToken }),
		});
		const { access_token: accessToken } = (await issued.json()) as Json;
		api = (path) => fetch(`${fake.url}/services/data/v62.0${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });
	});
	afterAll(() => fake.close());

	it('reports Sforce-Limit-Info on every answer and 403 REQUEST_LIMIT_EXCEEDED past it, until calls age out', async () => {
		const answers = await burst(4, () => api('/limits'));
		expect(statuses(answers)).toEqual([200, 200, 200, 403]);
		expect(answers.map((r) => r.headers.get('sforce-limit-info'))).toEqual(['api-usage=1/3', 'api-usage=2/3', 'api-usage=3/3', 'api-usage=3/3']);
		expect(await answers[3].json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
		clock.t += 86_400_000 + 900_000 + 1;
		expect((await api('/limits')).headers.get('sforce-limit-info')).toBe('api-usage=1/3');
		expect(fake.rateLimit.stats()).toMatchObject({ enabled: true, requests: 5, limited: 1 });
	});
});

describe('startSandbox({ vendorLimits })', () => {
	it('is off by default; setVendorLimits, the admin route, stats and reset', async () => {
		const sb = await startSandbox();
		try {
			const key = sb.credentials.billingStripeApi.secretKey;
			const balance = () => fetch(`${sb.urls.stripe}/v1/balance`, { headers: { Authorization: `Bearer ${key}` } });
			expect(statuses(await burst(30, balance)).every((s) => s === 200)).toBe(true);
			expect(sb.vendorLimitStats().stripe).toMatchObject({ enabled: false, limited: 0 });

			const set = await fetch(`${sb.urls.admin}/vendor-limits`, { method: 'POST', body: JSON.stringify({ stripe: { testPerSecond: 2, endpointPerSecond: 2 }, salesforce: false }) });
			expect(((await set.json()) as Json).settings).toMatchObject({ stripe: { testPerSecond: 2 }, hubspot: { perTenSeconds: 100 }, docusign: { hourly: 3000 }, salesforce: null });
			const limited = statuses(await burst(3, balance));
			expect(limited[2]).toBe(429);
			const report = (await (await fetch(`${sb.urls.admin}/vendor-limits`)).json()) as Json;
			expect(report.stats.stripe).toMatchObject({ enabled: true, limited: 1 });
			expect(report.stats.salesforce.enabled).toBe(false);

			await sb.reset();
			expect(sb.vendorLimitStats().stripe).toMatchObject({ enabled: true, requests: 0, limited: 0 });
			expect((await balance()).status).toBe(200);
			expect(() => sb.setVendorLimits({ stripe: { testPerSecnd: 5 } })).toThrow(/Unknown vendor limit option "testPerSecnd"/);
			expect(sb.vendorLimitSettings().stripe).toMatchObject({ testPerSecond: 2 }); // a refused setting changes nothing
			expect(sb.setVendorLimits(false)).toEqual({ stripe: null, hubspot: null, docusign: null, salesforce: null });
		} finally {
			await sb.close();
		}
	});
});
