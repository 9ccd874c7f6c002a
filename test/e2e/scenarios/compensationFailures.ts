/**
 * Compensation that always finishes: the contract was billed and switched on, the run failed before its commit
 * point, and Super Admin is down while the error workflow undoes it. The error workflow still cancels the Stripe
 * subscription, records the exception naming the step it could not undo, and tells ops what a person must finish.
 *
 * The failing run comes from the shipped contract-signed template cut right after its entitlement receipt
 * (test/workflows/failingVariants.ts), created and published through n8n's public API for this scenario, with the
 * shipped error workflow as its error workflow, and removed afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILING_NODE, failsAfterEntitlement } from '../../workflows/failingVariants';
import { api, deliver, e2e, errorOf, executions, mark, waitForNew } from '../support/context';

const { waitForWebhook } = require('../../../scripts/n8n/api');

const TEMPLATE = join(__dirname, '..', '..', '..', 'workflows', 'contract-signed-provisioning.json');
const WEBHOOK_SUFFIX = '-fails-after-entitlement';

/** Creates and publishes the failing variant; returns its id and the VMF Trigger's production URL. */
async function publishFailingVariant(): Promise<{ id: string; url: string }> {
	const { ids, baseUrl } = e2e();
	const template = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
	const variant = failsAfterEntitlement(template, { identity: { id: 'unused', name: 'Contract signed → live (fails after the entitlement)', webhookSuffix: WEBHOOK_SUFFIX } }) as any;
	const trigger = variant.nodes.find((node: any) => node.type.endsWith('.vmfTrigger'));
	const created = await api('POST', '/workflows', {
		name: variant.name,
		nodes: variant.nodes,
		connections: variant.connections,
		settings: { executionOrder: 'v1', errorWorkflow: ids.errors },
	});
	await api('POST', `/workflows/${encodeURIComponent(created.id)}/activate`);
	const url = `${baseUrl}/webhook/${trigger.webhookId}/${trigger.parameters.path ?? 'webhook'}`;
	await waitForWebhook(url, { timeoutMs: 60_000 });
	return { id: String(created.id), url };
}

export function compensationFailures(): void {
	describe('super admin down during compensation', () => {
		let variant: { id: string; url: string } | undefined;
		afterAll(async () => {
			if (!variant) return;
			await api('POST', `/workflows/${encodeURIComponent(variant.id)}/deactivate`).catch(() => undefined);
			await api('DELETE', `/workflows/${encodeURIComponent(variant.id)}`).catch(() => undefined);
		});

		it('the error workflow still cancels the Stripe subscription, records the exception naming the failed step and emails ops that the entitlement is still on', async () => {
			const { sb, ids, ledger } = e2e();
			variant = await publishFailingVariant();
			// Super Admin works for the provisioning run and is down for the undo (only the undo calls disable).
			sb.addFault('superAdmin', { route: 'POST /v1/tenants/{tenantId}/subscription/disable', fault: { status: 503 } });
			const marker = await mark();
			const order = await sb.seedSignedOrder();

			expect((await deliver(sb.automationsDelivery(order.orderId), variant.url)).status).toBe(200);
			// Three tries of the disable step (each with the connector's own backoff) before the run goes on.
			const [handler, ...extraHandlers] = await waitForNew(marker, ids.errors, { timeoutMs: 150_000, settleMs: 1000 });
			expect({ status: handler.status, error: errorOf(handler) }).toEqual({ status: 'success', error: '' });
			expect(extraHandlers).toEqual([]);
			const [failed] = await executions(variant.id, true);
			expect(failed.status).toBe('error');
			expect(failed.data?.resultData?.lastNodeExecuted).toBe(FAILING_NODE);

			// The entitlement was switched on and could not be switched off: it is still on, after 3 tries.
			const { superAdmin, stripe } = sb.state();
			const tenant = superAdmin.tenants.find((t: any) => t.businessKey === order.businessKey);
			expect(superAdmin.subscriptions.find((s: any) => s.tenantId === tenant.id)?.status).toBe('active');
			const disableCalls = sb.requests().superAdmin.filter((call) => call.path === `/v1/tenants/${tenant.id}/subscription/disable`);
			expect(disableCalls.length).toBeGreaterThanOrEqual(3);
			expect(disableCalls.every((call) => call.status === 503)).toBe(true);

			// The next undo step still ran: nothing is left charged.
			const subscriptions = stripe.objects.subscription.filter((s: any) => s.metadata.q2c_business_key === order.businessKey);
			expect(subscriptions.map((s: any) => s.status)).toEqual(['canceled']);

			const receipts = await ledger.list(order.businessKey);
			const written = receipts.filter((r) => r.execution_id === handler.id);
			expect(written.map((r) => [r.workflow_step, (r.policy_decision as any)?.outcome ?? null])).toEqual([
				['compensation.superadmin.subscription.disable', 'failed'],
				['compensation.billing.subscription.cancel', 'succeeded'],
				['exception', null],
			]);
			const exception = written[2];
			expect(exception.resource_ref).toBe(FAILING_NODE);
			expect(exception.policy_decision).toMatchObject({
				rolledBack: true,
				undone: ['compensation.billing.subscription.cancel'],
				failed: [{ step: 'compensation.superadmin.subscription.disable', error: expect.stringMatching(/503/) }],
				needsPerson: true,
			});
			expect((await ledger.verify(order.businessKey)).valid).toBe(true);

			const mails = await sb.mail.waitFor(1, 10_000);
			expect(mails.map((m) => m.to)).toEqual([['revops@example.com']]);
			expect(mails[0].subject).toBe(`Provisioning failed for contract ${order.businessKey} (a person must finish it)`);
			expect(mails[0].text).toMatch(/Entitlement disabled: NO, failed after retries: .*503/);
			expect(mails[0].text).toContain('Subscription cancelled: yes');
			expect(mails[0].text).toContain(`A PERSON MUST: switch off the subscription of tenant ${tenant.id} in Super Admin.`);
			expect(mails[0].text).toContain(exception.id);
		}, 240_000);
	});
}
