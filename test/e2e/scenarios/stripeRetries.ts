/** Stripe rate-limits and errors for a while: the flow retries with the same idempotency keys and completes once. */
import { deliver, e2e, errorOf, mark, waitForNew } from '../support/context';

export function stripeRetries(): void {
	describe('Stripe answers 429 / 5xx for a while', () => {
		it('completes once, honours Retry-After, and creates no duplicate customer or subscription', async () => {
			const { sb, ids } = e2e();
			sb.addFault('stripe', [
				{ route: 'POST /v1/customers', times: 2, fault: { status: 500 } },
				{ route: 'POST /v1/subscriptions', times: 2, fault: { status: 429, retryAfter: 1 } },
			]);
			const marker = await mark();
			const order = await sb.seedSignedOrder();

			expect((await deliver(sb.automationsDelivery(order.orderId))).status).toBe(200);
			const runs = await waitForNew(marker, ids.main, { settleMs: 2000 });
			expect(runs.map((run) => ({ status: run.status, error: errorOf(run) }))).toEqual([{ status: 'success', error: '' }]);
			expect(await waitForNew(marker, ids.errors, { count: 0 })).toEqual([]);

			const { objects } = sb.state().stripe;
			expect(objects.customer).toHaveLength(1);
			expect(objects.subscription).toHaveLength(1);
			expect(objects.subscription[0]).toMatchObject({ status: 'active', metadata: expect.objectContaining({ q2c_business_key: order.businessKey }) });

			const stripeCalls = sb.requests().stripe;
			for (const [path, faultStatus] of [['/v1/customers', 500], ['/v1/subscriptions', 429]] as const) {
				const posts = stripeCalls.filter((call) => call.method === 'POST' && call.path === path);
				expect(posts.map((call) => call.status)).toEqual([faultStatus, faultStatus, 200]);
				const keys = new Set(posts.map((call) => call.headers['idempotency-key']));
				expect(keys.size).toBe(1);
				expect([...keys][0]).toEqual(expect.stringContaining('q2c-'));
			}
			const subscriptionPosts = stripeCalls.filter((call) => call.method === 'POST' && call.path === '/v1/subscriptions');
			const gaps = subscriptionPosts.slice(1).map((call, i) => Date.parse((call as any).at) - Date.parse((subscriptionPosts[i] as any).at));
			for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950); // Retry-After: 1

			expect(sb.mail.messages().filter((m) => m.to.includes(order.contract.customer.email))).toHaveLength(1);
		});
	});
}
