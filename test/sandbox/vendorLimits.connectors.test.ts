/**
 * Our connectors against the fakes with vendor limits on: a burst larger than the vendor allows still completes,
 * because each 429 is retried after the vendor's hint (HubSpot's 10-second window, DocuSign's burst window, a short
 * exponential backoff for Stripe, which sends no Retry-After), and a used-up Salesforce allocation fails at once
 * with a clear error. The connectors' own client-side limiters are opened up so the fakes' limits are what they
 * meet; their sleeps move the fakes' clock, so the waits take no real time.
 */
import { createStripeBillingClient } from '../../connectors/billing';
import { isConnectorError } from '../../connectors/core';
import { HubspotClient } from '../../connectors/crm/hubspot/client';
import { SalesforceClient } from '../../connectors/crm/salesforce/client';
import { createDocusignClient } from '../../connectors/docusign';
import { docusignConfigFromCredentials } from '../../nodes/Docusign/transport';

const { createStripeFake } = require('../../sandbox/stripe');
const { createHubspotFake } = require('../../sandbox/hubspot');
const { createDocusignFake } = require('../../sandbox/docusign');
const { createSalesforceFake } = require('../../sandbox/salesforce');

const clock = { t: Date.UTC(2026, 10, 22, 9, 0, 0) };
const now = () => clock.t;
/** The connector's backoff moves the fake's clock instead of waiting. */
const waited: number[] = [];
const sleep = async (ms: number) => {
	waited.push(ms);
	clock.t += ms;
	await new Promise((resolve) => setImmediate(resolve));
};
const unthrottled = { perSecond: 10_000, burst: 10_000 };
beforeEach(() => (waited.length = 0));

it('Stripe: 60 reads at once against 25/s complete after short backoffs', async () => {
	const fake = createStripeFake({ now, vendorLimits: true });
	await fake.listen();
	try {
		const client = createStripeBillingClient({ secretKey: 'sk_test_burst', baseUrl: fake.url, rateLimit: unthrottled, sleep });
		const results = await Promise.all(Array.from({ length: 60 }, () => client.read((stripe) => stripe.balance.retrieve())));
		expect(results.every((balance) => balance.object === 'balance')).toBe(true);
		expect(fake.rateLimit.stats().limited).toBeGreaterThan(0);
		expect(Math.max(...waited)).toBeLessThanOrEqual(4_000); // exponential backoff, no Retry-After to wait for
	} finally {
		await fake.close();
	}
});

it('HubSpot: 30 calls at once against 10 per 10 s complete by waiting out the rolling window', async () => {
	const fake = createHubspotFake({ now, vendorLimits: { perTenSeconds: 10 } });
	await fake.listen();
	try {
		const { accessToken, basePath } = fake.credentials().hubspotCrmApi;
		const client = new HubspotClient({ auth: 'privateApp', accessToken, basePath }, { rateLimit: unthrottled, sleep });
		const results = await Promise.all(Array.from({ length: 30 }, () => client.get<{ portalId: number }>('/account-info/v3/details')));
		expect(results.every((details) => details.portalId === Number(fake.portalId))).toBe(true);
		expect(fake.rateLimit.stats()).toMatchObject({ limited: expect.any(Number) });
		expect(fake.rateLimit.stats().limited).toBeGreaterThan(0);
		expect(waited.every((ms) => ms === 10_000)).toBe(true);
	} finally {
		await fake.close();
	}
});

it('DocuSign: 12 calls at once against a burst limit of 5 complete after the 30-second window', async () => {
	const fake = createDocusignFake({ now, vendorLimits: { burstPer30s: 5 } });
	await fake.listen();
	try {
		const client = createDocusignClient(docusignConfigFromCredentials(fake.credentials().docusignApi), { rateLimit: unthrottled, sleep });
		const pages = await Promise.all(Array.from({ length: 12 }, () => client.listTemplates()));
		expect(pages).toHaveLength(12);
		expect(fake.rateLimit.stats().byPolicy.burst).toBeGreaterThan(0);
		expect(waited).toContain(30_000);
	} finally {
		await fake.close();
	}
});

it('Salesforce: calls within the allocation succeed; once another integration used it up, one clear error, not retried', async () => {
	const fake = createSalesforceFake({ now, vendorLimits: { daily: 4 } });
	await fake.listen();
	try {
		const credential = fake.credentials().salesforceCrmApi;
		const client = new SalesforceClient({ ...credential, auth: 'refreshToken', dailyLimitReserve: 0 }, { sleep });
		for (let i = 0; i < 2; i++) await client.query('SELECT Id FROM Opportunity');
		fake.setApiUsage(4); // another integration used the rest: the connector last saw 2/4, so it sends
		const error = await client.query('SELECT Id FROM Opportunity').then(() => undefined, (e: unknown) => e);
		expect(isConnectorError(error) && error.toJSON()).toMatchObject({ kind: 'rate_limited', code: 'REQUEST_LIMIT_EXCEEDED', retryable: false, status: 403 });
		expect(fake.app.requests.filter((r: any) => r.status === 403)).toHaveLength(1);
	} finally {
		await fake.close();
	}
});
