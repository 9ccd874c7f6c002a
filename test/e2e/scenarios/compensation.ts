/** Super admin is down after Stripe billed: the error workflow undoes the charge, records why, and tells ops. */
import { deliver, e2e, errorOf, heldOff, mark, waitForNew } from '../support/context';

const AMENDED_LINE_ITEMS = [
	{ sku: 'MP-PLATFORM', name: 'Platform (Professional)', quantity: 1, amount: 49900, intervalCode: 'monthly' },
	{ sku: 'MP-SEATS', name: 'Coach seats', quantity: 20, amount: 1500, intervalCode: 'monthly' },
];

export function compensation(): void {
	describe('super admin down after Stripe succeeded', () => {
		it('the error workflow cancels the subscription, records the exception and emails ops', async () => {
			const { sb, ids, ledger } = e2e();
			sb.addFault('superAdmin', { route: '*', fault: { status: 503 } });
			const marker = await mark();
			const order = await sb.seedSignedOrder();

			expect((await deliver(sb.automationsDelivery(order.orderId))).status).toBe(200);
			const [failed] = await waitForNew(marker, ids.main);
			expect(failed.status).toBe('error');
			expect(failed.data?.resultData?.lastNodeExecuted).toBe('Create Tenant');
			expect(errorOf(failed)).toMatch(/503/);
			const [handler, ...extraHandlers] = await waitForNew(marker, ids.errors, { settleMs: 1000 });
			expect({ status: handler.status, error: errorOf(handler) }).toEqual({ status: 'success', error: '' });
			expect(extraHandlers).toEqual([]);

			// Super admin was retried (transient 503) and never produced a tenant.
			const superAdminCalls = sb.requests().superAdmin;
			expect(superAdminCalls.length).toBeGreaterThan(1);
			expect(superAdminCalls.every((call) => call.status === 503)).toBe(true);
			expect(sb.state().superAdmin.tenants).toEqual([]);

			// Nothing left charged without access.
			const subscriptions = sb.state().stripe.objects.subscription.filter((s) => s.metadata.q2c_business_key === order.businessKey);
			expect(subscriptions).toHaveLength(1);
			expect(subscriptions[0]).toMatchObject({ status: 'canceled', cancellation_details: expect.objectContaining({ comment: 'Compensation: provisioning failed' }) });
			expect(sb.state().stripe.objects.subscription.filter((s) => s.status !== 'canceled')).toEqual([]);

			const receipts = await ledger.list(order.businessKey);
			const steps = receipts.map((r) => r.workflow_step);
			expect(steps).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create', 'compensation.billing.subscription.cancel', 'exception']);
			const exception = receipts[receipts.length - 1];
			expect(exception.subject).toMatch(/503/);
			expect(exception.resource_ref).toBe('Create Tenant');
			expect(exception.execution_id).toBe(handler.id);
			expect((await ledger.verify(order.businessKey)).valid).toBe(true);

			const mails = await sb.mail.waitFor(1, 10_000);
			expect(mails.map((m) => m.to)).toEqual([['revops@example.com']]);
			expect(mails[0].subject).toBe(`Provisioning failed for contract ${order.businessKey}`);
			expect(mails[0].text).toContain('failed at "Create Tenant"');
			expect(mails[0].text).toContain('Subscription cancelled: yes');
			expect(mails[0].text).toContain(exception.id);

			// Super Admin is back, the order was amended meanwhile (20 seats instead of 10), and Vendasta redelivers:
			// it runs again, once (the failed attempt is over: its exception receipt), and the re-run gets a fresh
			// subscription at the amended terms, neither the cancelled one replayed nor an idempotency error.
			sb.clearFaults();
			await sb.seedSignedOrder({ orderId: order.orderId, customerEmail: order.contract.customer.email, lineItems: AMENDED_LINE_ITEMS });
			const again = await mark();
			const redelivery = sb.automationsDelivery(order.orderId);
			const answers = await Promise.all([deliver(redelivery), deliver(redelivery)]);
			// One starts the re-run; the other is held off (503 "starting" until the re-run's first receipt, or 200 duplicate).
			expect(answers.filter((answer) => answer.status === 200 && answer.body?.duplicate !== true)).toHaveLength(1);
			expect(answers.filter(heldOff)).toHaveLength(1);
			const [rerun, ...extra] = await waitForNew(again, ids.main, { settleMs: 2000 });
			expect({ status: rerun.status, error: errorOf(rerun) }).toEqual({ status: 'success', error: '' });
			expect(extra).toEqual([]);
			const after = sb.state().stripe.objects.subscription.filter((s) => s.metadata.q2c_business_key === order.businessKey);
			expect(after.map((s) => s.status).sort()).toEqual(['active', 'canceled']);
			const seats = after.find((s) => s.status === 'active')!.items.data.find((item: any) => item.metadata.q2c_sku === 'MP-SEATS');
			expect(seats.quantity).toBe(20);
			expect(sb.state().superAdmin.subscriptions).toEqual([expect.objectContaining({ businessKey: order.businessKey, status: 'active' })]);
			expect((await ledger.list(order.businessKey)).at(-1)?.workflow_step).toBe('provisioning.live');
		});
	});
}
