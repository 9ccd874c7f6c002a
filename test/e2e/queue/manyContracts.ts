/**
 * (c) A batch of contracts at once, through both webhook servers, with slow vendors so the runs overlap: the two
 * workers share them, each contract goes live once, and every chain in PostgreSQL verifies.
 */
import { deliver } from '../support/context';
import { LIVE_STEPS } from './concurrentDeliveries';
import { markExecutions, newExecutionsOf, processesThatRan, queueE2e, timed, until } from './context';

const CONTRACTS = 8;

export function manyContracts(): void {
	it(`${CONTRACTS} contracts at once are shared by both workers and every receipt chain verifies`, () =>
		timed(`(c) ${CONTRACTS} contracts across workers`, async () => {
			const { sb, urls, ids, ledger } = queueE2e();
			const known = await markExecutions(ids.main);
			(sb as any).setLatency(100);
			try {
				const orders = await Promise.all(Array.from({ length: CONTRACTS }, () => sb.seedSignedOrder()));
				const answers = await Promise.all(orders.map((order, i) => deliver(sb.automationsDelivery(order.orderId), i % 2 === 0 ? urls.main : urls.webhook)));
				for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { received: true } });

				const runs = await until(
					`${CONTRACTS} runs to finish`,
					async () => {
						const fresh = await newExecutionsOf(ids.main, known);
						return fresh.length >= CONTRACTS && fresh.every((execution) => execution.stoppedAt) ? fresh : undefined;
					},
					180_000,
				);
				expect(runs).toHaveLength(CONTRACTS);
				expect(runs.map((run) => run.status)).toEqual(runs.map(() => 'success'));
				const ranOn = runs.map((run) => processesThatRan(run.id));
				for (const processes of ranOn) expect(processes).toHaveLength(1);
				const workers = new Set(ranOn.flat());
				process.stdout.write(`[queue e2e] (c) runs per worker: ${JSON.stringify(Object.fromEntries([...workers].map((w) => [w, ranOn.flat().filter((x) => x === w).length])))}\n`);
				expect(workers.size).toBe(2);

				const { stripe, superAdmin } = sb.state();
				for (const order of orders) {
					expect(await ledger.verify(order.businessKey)).toMatchObject({ valid: true, problems: [] });
					const receipts = await ledger.list(order.businessKey);
					expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(LIVE_STEPS);
					expect(runs.map((run) => run.id)).toContain(receipts[1].execution_id);
					expect(stripe.objects.subscription.filter((subscription) => subscription.metadata.q2c_business_key === order.businessKey)).toHaveLength(1);
					expect(superAdmin.subscriptions.filter((subscription: any) => subscription.businessKey === order.businessKey && subscription.status === 'active')).toHaveLength(1);
				}
				// One run per contract: each chain names a different execution.
				const executionPerContract = await Promise.all(orders.map(async (order) => (await ledger.list(order.businessKey))[1].execution_id));
				expect(new Set(executionPerContract).size).toBe(CONTRACTS);
			} finally {
				(sb as any).setLatency(0);
			}
		}), 300_000);
}
