/** A contract the policy refuses is never billed or switched on; the refusal is recorded and ops are told. */
import { deliver, e2e, errorOf, mark, outputOf, waitForNew } from '../support/context';

export function policyBlocked(): void {
	describe('policy blocks the contract', () => {
		it('makes no billing or entitlement call, records the exception receipt and emails ops', async () => {
			const { sb, ids, ledger } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder({ jurisdiction: 'KP' });

			expect((await deliver(sb.automationsDelivery(order.orderId))).status).toBe(200);
			const [execution] = await waitForNew(marker, ids.main, { settleMs: 1000 });
			expect({ status: execution.status, error: errorOf(execution) }).toEqual({ status: 'success', error: '' });
			expect(outputOf(execution, 'Contract Policy')).toBeUndefined(); // nothing left on the "allowed" output
			expect(outputOf(execution, 'Receipt: Policy Blocked')?.policy).toBeDefined();

			const requests = sb.requests();
			expect(requests.stripe).toEqual([]);
			expect(requests.superAdmin).toEqual([]);
			expect(requests.vtm).toEqual([]);
			const { stripe, superAdmin } = sb.state();
			expect(stripe.objects.subscription ?? []).toEqual([]);
			expect(superAdmin.tenants).toEqual([]);

			const receipts = await ledger.list(order.businessKey);
			expect(receipts.map((r) => r.workflow_step)).toEqual(['vmf.delivery.accepted', 'vmf.order.received', 'policy.blocked']);
			expect(JSON.stringify(receipts[2].policy_decision)).toMatch(/jurisdiction/i);
			expect((await ledger.verify(order.businessKey)).valid).toBe(true);

			const mails = await sb.mail.waitFor(1, 10_000);
			expect(mails).toHaveLength(1);
			expect(mails[0].to).toEqual(['revops@example.com']);
			expect(mails[0].subject).toBe(`Contract ${order.businessKey} needs a person: activation blocked`);
			expect(mails[0].text).toContain('Nothing was billed or switched on');
			expect(mails[0].text).toContain(receipts[2].id);
		});
	});
}
