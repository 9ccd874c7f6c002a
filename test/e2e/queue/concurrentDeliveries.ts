/**
 * (a) Vendasta redelivers and a load balancer spreads the copies: the same signed delivery 20× at once, half to the
 * main and half to the webhook processor (two processes, one shared dedupe store) → one run, on a worker, and one of
 * everything at the vendors, with one intact receipt chain in PostgreSQL.
 */
import { deliver, heldOff } from '../support/context';
import { markExecutions, newExecutionsOf, processesThatRan, queueE2e, sleep, timed, until } from './context';

export const LIVE_STEPS = [
	'vmf.delivery.accepted',
	'vmf.order.received',
	'policy.allowed',
	'billing.subscription.create',
	'superadmin.subscription.enable',
	'provisioning.committed',
	'vmf.vtm.tasks.complete',
	'provisioning.live',
];

export function concurrentDeliveries(): void {
	it('the same signed delivery 20× at once across the main and the webhook processor: one run on a worker, one of everything', () =>
		timed('(a) 20 concurrent copies of one delivery', async () => {
			const { sb, urls, ids, ledger } = queueE2e();
			const known = await markExecutions(ids.main);
			const order = await sb.seedSignedOrder();
			const delivery = sb.automationsDelivery(order.orderId);
			const targets = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? urls.main : urls.webhook));
			const answers = await Promise.all(targets.map((url) => deliver(delivery, url)));

			const accepted = answers.filter((answer) => !heldOff(answer));
			expect(accepted).toHaveLength(1);
			expect(answers.filter(heldOff)).toHaveLength(19);
			expect(accepted[0].body).toEqual({ received: true, deliveryId: expect.stringMatching(/^vmf-au-/) });
			const acceptedBy = targets[answers.indexOf(accepted[0])] === urls.main ? 'main' : 'webhook processor';
			process.stdout.write(`[queue e2e] (a) the delivery was accepted by the ${acceptedBy}; 19 copies held off (duplicate, or 503 while starting)\n`);

			const [run, ...extra] = await until(
				'the run to finish',
				async () => {
					const fresh = await newExecutionsOf(ids.main, known);
					return fresh.length > 0 && fresh.every((execution) => execution.stoppedAt) ? fresh : undefined;
				},
				120_000,
			);
			await sleep(3000);
			expect(extra).toEqual([]);
			expect(await newExecutionsOf(ids.main, known)).toHaveLength(1);
			expect(run.status).toBe('success');
			const ranOn = processesThatRan(run.id);
			expect(ranOn).toHaveLength(1);
			expect(ranOn[0]).toMatch(/^worker-\d+$/);

			const { stripe, superAdmin } = sb.state();
			const email = order.contract.customer.email;
			expect(stripe.objects.customer.filter((customer) => customer.email === email)).toHaveLength(1);
			expect(stripe.objects.subscription.filter((subscription) => subscription.metadata.q2c_business_key === order.businessKey)).toHaveLength(1);
			expect(stripe.objects.subscription).toHaveLength(1);
			expect(superAdmin.tenants.filter((tenant: any) => tenant.businessKey === order.businessKey)).toHaveLength(1);
			expect(superAdmin.subscriptions.filter((subscription: any) => subscription.businessKey === order.businessKey && subscription.status === 'active')).toHaveLength(1);
			expect(sb.mail.messages().filter((message) => message.to.includes(email))).toHaveLength(1);

			expect(await ledger.verify(order.businessKey)).toMatchObject({ valid: true, problems: [] });
			const receipts = await ledger.list(order.businessKey);
			expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(LIVE_STEPS);
			// The acceptance is written before n8n has a run id; every other receipt is the one run's.
			expect(receipts[0].execution_id).toBeNull();
			expect(new Set(receipts.slice(1).map((receipt) => receipt.execution_id))).toEqual(new Set([run.id]));
		}), 180_000);
}
