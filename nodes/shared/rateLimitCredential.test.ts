import nock from 'nock';
import type { IExecuteFunctions } from 'n8n-workflow';
import * as limiters from '../../connectors/core/rateLimiter';
import { superAdminClient } from '../SuperAdmin/client';
import { vmfClientFor } from '../Vmf/transport';
import { rateLimitOf } from './params';

describe("a credential's Requests per Second", () => {
	it('becomes the rate limit, with two seconds of burst; blank or non-positive keeps the default', () => {
		expect(rateLimitOf(50)).toEqual({ perSecond: 50, burst: 100 });
		expect(rateLimitOf('0.5')).toEqual({ perSecond: 0.5, burst: 1 });
		for (const unset of [undefined, '', 0, -3, 'many']) expect(rateLimitOf(unset)).toBeUndefined();
	});

	it('reaches the limiter the VMF and Super Admin clients share per account', async () => {
		nock('http://127.0.0.1:9').persist().get(/.*/).reply(200, { ok: true });
		const spy = jest.spyOn(limiters, 'rateLimiterFor');
		try {
			const context = (credentials: Record<string, unknown>) => ({ getCredentials: async () => credentials }) as unknown as IExecuteFunctions;
			const vmf = await vmfClientFor(context({ accessToken: 'vmf-test-token', platformBaseUrl: 'http://127.0.0.1:9/platform', requestsPerSecond: 40 }));
			await vmf.platform.request({ method: 'GET', path: '/orders/x' }).catch(() => undefined);
			const admin = await superAdminClient(context({ baseUrl: 'http://127.0.0.1:9', apiKey: 'sa-test-key', requestsPerSecond: 7 }));
			await admin.health().catch(() => undefined);
			const limits = spy.mock.calls.map(([, limit]) => limit);
			expect(limits).toContainEqual({ perSecond: 40, burst: 80 });
			expect(limits).toContainEqual({ perSecond: 7, burst: 14 });
		} finally {
			spy.mockRestore();
			nock.cleanAll();
		}
	});
});
