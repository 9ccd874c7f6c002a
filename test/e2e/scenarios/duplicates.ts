/** Vendasta redelivers: the same webhook 3× in a row and 3× at once still makes one of everything. */
import { deliver, e2e, heldOff, mark, waitForNew } from '../support/context';

export function duplicates(): void {
	describe('duplicate deliveries', () => {
		it('one subscription, one entitlement, one email per order whether redelivered sequentially or concurrently', async () => {
			const { sb, ids } = e2e();
			const marker = await mark();
			const sequential = await sb.seedSignedOrder();
			const concurrent = await sb.seedSignedOrder();

			const first = sb.automationsDelivery(sequential.orderId);
			const sequentialAnswers = [];
			for (let i = 0; i < 3; i++) sequentialAnswers.push(await deliver(first));
			const second = sb.automationsDelivery(concurrent.orderId);
			const concurrentAnswers = await Promise.all([deliver(second), deliver(second), deliver(second)]);

			// Only the first of each starts a run; the copies are acknowledged, or asked to retry while the run has no receipt.
			expect(sequentialAnswers[0]).toEqual({ status: 200, body: { received: true, deliveryId: expect.stringMatching(/^vmf-au-/) } });
			expect(sequentialAnswers.slice(1).filter(heldOff)).toHaveLength(2);
			expect(concurrentAnswers.filter((a) => a.status === 200 && a.body?.duplicate !== true)).toHaveLength(1);
			expect(concurrentAnswers.filter(heldOff)).toHaveLength(2);

			const runs = await waitForNew(marker, ids.main, { count: 2, settleMs: 3000 });
			expect(runs.map((run) => run.status)).toEqual(['success', 'success']);

			const { stripe, superAdmin } = sb.state();
			for (const order of [sequential, concurrent]) {
				const subscriptions = stripe.objects.subscription.filter((s) => s.metadata.q2c_business_key === order.businessKey);
				expect(subscriptions).toHaveLength(1);
				expect(stripe.objects.customer.filter((c) => c.email === order.contract.customer.email)).toHaveLength(1);
				expect(superAdmin.tenants.filter((t: any) => t.businessKey === order.businessKey)).toHaveLength(1);
				expect(superAdmin.subscriptions.filter((s: any) => s.businessKey === order.businessKey && s.status === 'active')).toHaveLength(1);
				expect(sb.mail.messages().filter((m) => m.to.includes(order.contract.customer.email))).toHaveLength(1);
			}
			expect(stripe.objects.subscription).toHaveLength(2);
			expect(sb.mail.messages()).toHaveLength(2);
		});

		it('8 distinct deliveries of one contract at once, and one more after go-live: one run, one email, one live receipt', async () => {
			const { sb, ids, ledger } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder();
			// Distinct deliveries of one order (a channel's extra field changes the body, so the delivery id).
			const variant = (note: string) => sb.automationsDelivery(order.orderId, { body: { event: note } });
			const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => deliver(variant(`delivery-${i}`))));
			expect(answers.filter(heldOff)).toHaveLength(7);
			const [run, ...extra] = await waitForNew(marker, ids.main, { settleMs: 3000 });
			expect(run.status).toBe('success');
			expect(extra).toHaveLength(0);

			const late = await deliver(variant('after go-live'));
			expect(late.body).toMatchObject({ duplicate: true, finished: 'provisioning.committed' });
			const { stripe, superAdmin } = sb.state();
			expect(stripe.objects.subscription).toHaveLength(1);
			expect(superAdmin.subscriptions).toEqual([expect.objectContaining({ status: 'active' })]);
			expect(sb.mail.messages()).toHaveLength(1);
			const steps = (await ledger.list(order.businessKey)).map((receipt) => receipt.workflow_step);
			expect(steps.filter((step) => step === 'provisioning.live')).toHaveLength(1);
		});
	});
}
