/**
 * The commit point in real n8n: once billing and entitlement are done the contract is committed, and a later
 * failure (here: the SMTP relay is down) is retried, then recorded for a person, and never rolls the customer back.
 */
import { deliver, e2e, errorOf, mark, newExecutions, sleep, waitForNew } from '../support/context';

export function afterCommit(): void {
	describe('after the commit point', () => {
		it('SMTP down after the commit: the customer stays billed and entitled, the exception is recorded, nothing is rolled back', async () => {
			const { sb, ids, ledger } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder();
			sb.mail.setDown(true);

			expect((await deliver(sb.automationsDelivery(order.orderId))).status).toBe(200);
			const [execution] = await waitForNew(marker, ids.main, { settleMs: 1000 });
			expect({ status: execution.status, error: errorOf(execution) }).toEqual({ status: 'success', error: '' });
			// A succeeded execution starts no error workflow: nothing compensates a committed contract.
			await sleep(1500);
			expect(await newExecutions(marker, ids.errors)).toEqual([]);

			const { stripe, superAdmin } = sb.state();
			expect(stripe.objects.subscription).toEqual([expect.objectContaining({ status: 'active' })]);
			expect(superAdmin.subscriptions).toEqual([expect.objectContaining({ status: 'active' })]);
			const receipts = await ledger.list(order.businessKey);
			const steps = receipts.map((receipt) => receipt.workflow_step);
			expect(steps).toEqual(expect.arrayContaining(['provisioning.committed', 'exception.after_commit']));
			expect(steps).not.toContain('provisioning.live');
			expect(receipts.find((receipt) => receipt.workflow_step === 'exception.after_commit')?.subject).toMatch(/^Notify Partner failed after the commit/);
			expect(await ledger.verify(order.businessKey)).toMatchObject({ valid: true });
			expect(sb.mail.messages()).toEqual([]);
		});
	});
}
