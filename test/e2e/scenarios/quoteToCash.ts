/**
 * Quote → signature → cash in real n8n: a CRM reports a won deal (Salesforce Outbound Message / HubSpot v3 webhook),
 * the template sends a DocuSign envelope, DocuSign's Connect (registered by the DocuSign Trigger on activation) reports
 * the outcome, and only a signed envelope is billed and provisioned. Both CRMs run side by side, as two workflows that
 * each receive every Connect event of the account and act only on envelopes they sent.
 */
import { deliver, e2e, errorOf, heldOff, mark, waitForNew, type Marker } from '../support/context';
import type { CrmProvider, WonDeal } from '../support/types';

const { CRM_FIELDS } = require('../../../sandbox/quoteToCash');

const SIGNED_STEPS = [
	'crm.deal.won',
	'docusign.envelope.sent',
	'docusign.envelope.completed',
	'policy.allowed',
	'billing.subscription.create',
	'superadmin.subscription.enable',
	'provisioning.committed',
	'crm.deal.update',
	'crm.task.create',
	'provisioning.live',
];

function setup(provider: CrmProvider) {
	const { ids, quoteToCashUrls } = e2e();
	return provider === 'salesforce'
		? { workflowId: ids.quoteToCash, dealWonUrl: quoteToCashUrls.salesforceDealWon, envelopeUrl: quoteToCashUrls.envelopeEvents }
		: { workflowId: ids.quoteToCashHubspot, dealWonUrl: quoteToCashUrls.hubspotDealWon, envelopeUrl: quoteToCashUrls.envelopeEventsHubspot };
}

/** Won deal → the template's first execution → the envelope it sent. */
async function sendContract(provider: CrmProvider, marker: Marker, overrides: Record<string, unknown> = {}) {
	const { sb } = e2e();
	const { workflowId, dealWonUrl } = setup(provider);
	const deal = sb.seedWonDeal(provider, overrides);
	const answer = await sb.deliverDealWon(deal, dealWonUrl);
	expect(answer.status).toBe(200);
	const [sent] = await waitForNew(marker, workflowId);
	expect({ status: sent.status, error: errorOf(sent) }).toEqual({ status: 'success', error: '' });
	const envelopes = sb.envelopesFor(deal.businessKey);
	expect(envelopes).toHaveLength(1);
	return { deal, envelope: envelopes[0], sent };
}

function subscriptionsOf(deal: WonDeal) {
	return (e2e().sb.state().stripe.objects.subscription ?? []).filter((s: any) => s.metadata.q2c_business_key === deal.businessKey);
}

export function quoteToCash(): void {
	describe('quote → signature → cash', () => {
		it.each(['salesforce', 'hubspot'] as const)('%s: won deal → envelope → signed → billed, live, CRM updated, CSM task, receipts chained', async (provider) => {
			const { sb, ids, ledger } = e2e();
			const { workflowId } = setup(provider);
			const marker = await mark();
			const { deal, envelope } = await sendContract(provider, marker, { amount: 899, country: 'GB', currency: 'gbp', termMonths: 24 });
			expect(envelope.status).toBe('sent');

			// DocuSign publishes to every Connect configuration: both quote-to-cash workflows and the support-contract
			// template hear it, only the sender acts.
			const published = await sb.transitionEnvelope(envelope.envelopeId, 'envelope-completed');
			expect(published.map((p) => p.status)).toEqual([200, 200, 200]);
			const runs = await waitForNew(marker, workflowId, { count: 2, settleMs: 1500 });
			expect(runs.map((run) => [run.status, errorOf(run)])).toEqual([
				['success', ''],
				['success', ''],
			]);

			const [subscription, ...more] = subscriptionsOf(deal);
			expect(more).toHaveLength(0);
			expect(subscription).toMatchObject({ status: 'active', currency: 'gbp' });
			expect(subscription.items.data.map((item: any) => item.price.unit_amount)).toEqual([89900]);
			const { superAdmin } = sb.state();
			const tenant = superAdmin.tenants.find((t: any) => t.businessKey === deal.businessKey);
			expect(superAdmin.subscriptions.filter((s: any) => s.tenantId === tenant.id && s.status === 'active')).toHaveLength(1);

			const fields = CRM_FIELDS[provider];
			const record = sb.crm.dealRecord(provider, deal.dealId);
			expect({ subscription: record[fields.subscriptionId], tenant: record[fields.tenantId], envelope: record[fields.envelopeId] }).toEqual({
				subscription: subscription.id,
				tenant: tenant.id,
				envelope: envelope.envelopeId,
			});
			expect(sb.crm.tasksOf(provider, deal.dealId)).toHaveLength(1);

			const mails = await sb.mail.waitFor(1, 10_000);
			expect(mails.filter((m) => m.to.includes(deal.customer.email))).toHaveLength(1);
			expect((await ledger.list(deal.businessKey)).map((r) => r.workflow_step)).toEqual(SIGNED_STEPS);
			expect((await ledger.verify(deal.businessKey)).valid).toBe(true);

			// The other CRM's workflow received the same event and did nothing with it.
			const otherId = provider === 'salesforce' ? ids.quoteToCashHubspot : ids.quoteToCash;
			const other = await waitForNew(marker, otherId, { count: 1 });
			expect(other).toHaveLength(1);
			expect(Object.keys(other[0].data?.resultData?.runData ?? {})).not.toContain('Get Signed Terms');
			const [support, ...moreSupport] = await waitForNew(marker, ids.supportContract, { count: 1 });
			expect(moreSupport).toHaveLength(0);
			expect(Object.keys(support.data?.resultData?.runData ?? {})).toEqual(expect.arrayContaining(['Not a Support Contract']));
			expect(Object.keys(support.data?.resultData?.runData ?? {})).not.toContain('Get Subscription');
		});

		it('forged DocuSign Connect and HubSpot signatures are refused with 401 and start nothing', async () => {
			const { sb, ids, quoteToCashUrls } = e2e();
			const marker = await mark();
			const { envelope } = await sendContract('salesforce', marker);
			const deal = sb.seedWonDeal('hubspot');

			const forgedConnect = sb.connectDelivery('envelope-completed', envelope.envelopeId, { forge: true });
			const unsignedConnect = sb.connectDelivery('envelope-completed', envelope.envelopeId, { keys: [] });
			const connectAnswers = [await deliver(forgedConnect, quoteToCashUrls.envelopeEvents), await deliver(unsignedConnect, quoteToCashUrls.envelopeEvents)];
			const hubspotAnswer = await sb.deliverDealWon(deal, quoteToCashUrls.hubspotDealWon, { forge: true });

			expect(connectAnswers.map((a) => a.status)).toEqual([401, 401]);
			expect(hubspotAnswer.status).toBe(401);
			await new Promise((resolve) => setTimeout(resolve, 2000));
			// Only the won-deal run of sendContract: no envelope event, no HubSpot run.
			expect(await waitForNew(marker, ids.quoteToCash, { count: 1 })).toHaveLength(1);
			expect(await waitForNew(marker, ids.quoteToCashHubspot, { count: 0 })).toHaveLength(0);
			expect(sb.envelopesFor(deal.businessKey)).toHaveLength(0);
			expect(sb.state().stripe.objects.subscription ?? []).toHaveLength(0);
		});

		it('envelope-completed republished (3× at once, new generatedDateTime) after DocuSign’s own: one run, one subscription', async () => {
			const { sb, ids, quoteToCashUrls } = e2e();
			const marker = await mark();
			const { deal, envelope } = await sendContract('salesforce', marker);
			await sb.transitionEnvelope(envelope.envelopeId, 'envelope-completed');
			const again = sb.connectDelivery('envelope-completed', envelope.envelopeId, { generatedDateTime: new Date().toISOString() });
			const answers = await Promise.all([1, 2, 3].map(() => deliver(again, quoteToCashUrls.envelopeEvents)));
			// A republish is another delivery of the same contract: once per contract, none of them starts a run
			// (DocuSign's own delivery is starting, in flight, or has committed the contract).
			expect(answers.filter(heldOff)).toHaveLength(3);

			// The won-deal run and DocuSign's own delivery only.
			const runs = await waitForNew(marker, ids.quoteToCash, { count: 2, settleMs: 3000 });
			expect(runs).toHaveLength(2);
			expect(runs.every((run) => run.status === 'success')).toBe(true);
			expect(subscriptionsOf(deal)).toHaveLength(1);
			expect(sb.state().stripe.objects.customer.filter((c: any) => c.email === deal.customer.email)).toHaveLength(1);
			expect(sb.state().superAdmin.tenants.filter((t: any) => t.businessKey === deal.businessKey)).toHaveLength(1);
		});

		it('a declined envelope bills nothing, updates the deal and tasks its owner', async () => {
			const { sb, ids } = e2e();
			const marker = await mark();
			const { deal, envelope } = await sendContract('salesforce', marker);
			await sb.transitionEnvelope(envelope.envelopeId, 'envelope-declined', { reason: 'Wrong billing entity' });
			const runs = await waitForNew(marker, ids.quoteToCash, { count: 2, settleMs: 1000 });
			expect(runs.map((run) => [run.status, errorOf(run)])).toEqual([
				['success', ''],
				['success', ''],
			]);
			expect(subscriptionsOf(deal)).toHaveLength(0);
			expect(sb.state().stripe.objects.customer ?? []).toHaveLength(0);
			expect(sb.state().superAdmin.tenants.filter((t: any) => t.businessKey === deal.businessKey)).toHaveLength(0);
			expect(sb.crm.dealRecord('salesforce', deal.dealId)).toMatchObject({ StageName: 'Negotiation/Review', [CRM_FIELDS.salesforce.signatureStatus]: 'declined' });
			const [task] = sb.crm.tasksOf('salesforce', deal.dealId);
			expect(task.OwnerId).toBe(deal.ownerId);
			const mails = await sb.mail.waitFor(1, 10_000);
			expect(mails.map((m) => m.to).flat()).toContain('sales-ops@example.com');
		});
	});
}
