/** A signed order, delivered once, goes live: billed at the contract's prices, entitled, tasks done, partner told. */
import tierMatrix from '../../../connectors/superadmin/tier-matrix.json';
import { deliver, e2e, errorOf, mark, waitForNew } from '../support/context';

/** Contract prices that differ from the Stripe catalog (49900 / 1500), so "at the contract's prices" is observable. */
export const CONTRACT_LINE_ITEMS = [
	{ sku: 'MP-PLATFORM', name: 'Platform (Professional)', quantity: 1, amount: 45000, intervalCode: 'monthly' },
	{ sku: 'MP-SEATS', name: 'Coach seats', quantity: 12, amount: 1250, intervalCode: 'monthly' },
];

const LIVE_STEPS = [
	// The template answers the vendor once the delivery is recorded (Answer Vendor), before n8n has a run id.
	'vmf.delivery.accepted',
	'vmf.order.received',
	'policy.allowed',
	'billing.subscription.create',
	'superadmin.subscription.enable',
	'provisioning.committed',
	'vmf.vtm.tasks.complete',
	'provisioning.live',
];

const flagsFor = (tier: string) => Object.fromEntries(tierMatrix.modules.map((module) => [module.key, (module.access as Record<string, string>)[tier]]));

export function happyPath(): void {
	describe('happy path', () => {
		it('turns a signed order into a live, billed, entitled customer with a verifiable receipt chain', async () => {
			const { sb, ids, ledger } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder({ lineItems: CONTRACT_LINE_ITEMS });

			const response = await deliver(sb.automationsDelivery(order.orderId));
			expect(response.status).toBe(200);
			const [execution, ...more] = await waitForNew(marker, ids.main, { settleMs: 1000 });
			expect({ status: execution.status, error: errorOf(execution) }).toEqual({ status: 'success', error: '' });
			expect(more).toHaveLength(0);

			const { stripe, superAdmin, vtm } = sb.state();
			expect(stripe.objects.customer.map((c) => c.email)).toEqual([order.contract.customer.email]);
			expect(stripe.objects.subscription).toHaveLength(1);
			const [subscription] = stripe.objects.subscription;
			expect(subscription).toMatchObject({ status: 'active', customer: stripe.objects.customer[0].id, currency: 'usd' });
			expect(subscription.metadata.q2c_business_key).toBe(order.businessKey);
			const billed = subscription.items.data.map((item: any) => ({ amount: item.price.unit_amount, quantity: item.quantity, interval: item.price.recurring?.interval }));
			expect(billed).toEqual(
				expect.arrayContaining([
					{ amount: 45000, quantity: 1, interval: 'month' },
					{ amount: 1250, quantity: 12, interval: 'month' },
				]),
			);
			expect(billed).toHaveLength(2);

			expect(superAdmin.tenants).toHaveLength(1);
			const [tenant] = superAdmin.tenants;
			expect(tenant).toMatchObject({ businessKey: order.businessKey, tier: 'professional', ownerEmail: order.contract.customer.email });
			expect(superAdmin.subscriptions).toEqual([expect.objectContaining({ tenantId: tenant.id, status: 'active', tier: 'professional' })]);
			expect(superAdmin.featureFlags).toEqual([expect.objectContaining({ tenantId: tenant.id, flags: flagsFor('professional') })]);
			expect(flagsFor('professional').sports_medicine).toBe('full');

			const tasks = vtm.tasks.filter((task: any) => task.orderId === order.orderId);
			expect(tasks.map((task: any) => task.id).sort()).toEqual(order.tasks.map((task) => task.id).sort());
			expect(tasks.every((task: any) => task.status === 'done')).toBe(true);

			const mails = await sb.mail.waitFor(1, 10_000);
			const toPartner = mails.filter((mail) => mail.to.includes(order.contract.customer.email));
			expect(toPartner).toHaveLength(1);
			expect(toPartner[0].subject).toBe('Your subscription is live');
			expect(toPartner[0].text).toContain(subscription.id);

			const verification = await ledger.verify(order.businessKey);
			expect(verification).toMatchObject({ valid: true, problems: [] });
			const receipts = await ledger.list(order.businessKey);
			expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(LIVE_STEPS);
			expect(receipts[0].execution_id).toBeNull();
			expect(new Set(receipts.slice(1).map((receipt) => receipt.execution_id))).toEqual(new Set([execution.id]));
			expect(receipts.find((r) => r.workflow_step === 'billing.subscription.create')?.resource_ref).toBe(subscription.id);
		});
	});
}
