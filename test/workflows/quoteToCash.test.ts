/**
 * workflows/quote-to-cash.json executed in-process by n8n-core's engine with our nodes and n8n's real Set, If and
 * Send Email nodes, against the sandboxed DocuSign, Salesforce, HubSpot, Stripe and super-admin fakes. Each
 * scenario drives the template the way the vendors would (won-deal notification, then Connect events) and asserts
 * the vendors' final state, the mailbox and the evidence chain.
 */
import { HARNESS_BASE_URL, runErrorWorkflow, runWebhook, type WorkflowJson } from '../harness';
import { freshDataDir, openSandbox, template, type Sandbox } from './context';
import { hubspotVariant } from './variants';
import { withShortRetryWaits } from './failingVariants';

const main = template('quote-to-cash.json');
const errorHandler = template('provisioning-error-handler.json');

let sb: Sandbox & Record<string, any>;
let executions = 0;

beforeAll(async () => {
	sb = (await openSandbox()) as Sandbox & Record<string, any>;
});
afterAll(async () => {
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	sb.clearFaults();
});

/** The CRM's won-deal notification, as the CRM Trigger receives it (built by the sandbox's CRM fakes). */
function wonDelivery(deal: Record<string, any>) {
	if (deal.provider === 'salesforce') {
		const message = sb.crm.salesforce.outboundMessage([deal.dealId]);
		return { method: 'POST', headers: message.headers, rawBody: message.rawBody, query: Object.fromEntries(new URLSearchParams(message.query)) };
	}
	// HubSpot signs the exact URL it calls: the trigger's production URL in the harness.
	const url = `${HARNESS_BASE_URL}/webhook/q2c-deal-won/webhook`;
	const message = sb.crm.hubspot.webhookDelivery(url, [deal.dealId]);
	return { method: 'POST', headers: message.headers, rawBody: message.rawBody };
}

async function dealWon(workflow: WorkflowJson, deal: Record<string, any>, staticData: Record<string, any> = {}) {
	return runWebhook(workflow, 'CRM Trigger', wonDelivery(deal), { credentials: sb.credentials, staticData, executionId: `exec-${++executions}` });
}

async function envelopeEvent(workflow: WorkflowJson, event: string, envelopeId: string, options: { transition?: boolean; keys?: string[] } = {}) {
	if (options.transition !== false) await sb.transitionEnvelope(envelopeId, event);
	const delivery = sb.connectDelivery(event, envelopeId, options.keys ? { keys: options.keys } : undefined);
	return runWebhook(workflow, 'DocuSign Trigger', { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: sb.credentials, executionId: `exec-${++executions}` });
}

const stripeObjects = (kind: string): Array<Record<string, any>> => sb.state().stripe.objects[kind] ?? [];

describe.each([
	['salesforce', main],
	['hubspot', hubspotVariant(main)],
] as const)('quote → signature → cash (%s)', (provider, workflow) => {
	it('won deal → envelope from the template with the deal terms; signed → billed, live, CRM updated, CSM task, customer mailed, receipts chained', async () => {
		const { ledger } = freshDataDir();
		const deal = sb.seedWonDeal(provider, { amount: 1249.5, termMonths: 24, country: 'CA', currency: 'cad' });

		const won = await dealWon(workflow, deal);
		expect(won.response.status).toBe(200);
		expect(won.run?.error?.message).toBeUndefined();
		expect(won.run?.executedNodes).toEqual(expect.arrayContaining(['Send Contract for Signature', 'CRM: Record Envelope']));

		const [envelope] = sb.envelopesFor(deal.businessKey);
		expect(envelope.status).toBe('sent');
		const tabs = Object.fromEntries(envelope.signers[0].tabs.map((t: any) => [t.tabLabel, t.value]));
		expect(tabs).toMatchObject({ q2c_customer_email: deal.customer.email, q2c_amount_minor: '124950', q2c_currency: 'cad', q2c_term_months: '24', q2c_country: 'CA' });
		expect(envelope.signers[0]).toMatchObject({ email: deal.customer.email, roleName: 'Customer' });

		const signed = await envelopeEvent(workflow, 'envelope-completed', envelope.envelopeId);
		expect(signed.response.status).toBe(200);
		expect(signed.run?.error?.message).toBeUndefined();
		expect(signed.run?.executedNodes).toContain('Receipt: Live');

		const [subscription] = stripeObjects('subscription');
		expect(stripeObjects('subscription')).toHaveLength(1);
		expect(subscription.metadata.q2c_business_key).toBe(deal.businessKey);
		expect(subscription.currency).toBe('cad');
		expect(subscription.items.data.map((item: any) => [item.price.unit_amount, item.quantity])).toEqual([[124950, 1]]);

		const { superAdmin } = sb.state();
		expect(superAdmin.subscriptions.filter((s: any) => s.businessKey === deal.businessKey && s.status === 'active')).toHaveLength(1);

		const fields = require('../../sandbox/quoteToCash').CRM_FIELDS[provider];
		const record = sb.crm.dealRecord(provider, deal.dealId);
		expect(record[fields.subscriptionId]).toBe(subscription.id);
		expect(record[fields.tenantId]).toBe(superAdmin.tenants.find((t: any) => t.businessKey === deal.businessKey).id);
		expect(record[fields.envelopeId]).toBe(envelope.envelopeId);
		const tasks = sb.crm.tasksOf(provider, deal.dealId);
		expect(tasks).toHaveLength(1);
		expect(JSON.stringify(tasks[0])).toContain(subscription.id);

		const [mail] = await sb.mail.waitFor(1);
		expect(mail.to).toContain(deal.customer.email);
		expect(mail.text).toContain(subscription.id);

		const steps = (await ledger.list(deal.businessKey)).map((r) => r.workflow_step);
		expect(steps).toEqual([
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
		]);
		expect((await ledger.verify(deal.businessKey)).valid).toBe(true);
	});

	it('a redelivered envelope-completed event bills once', async () => {
		freshDataDir();
		const deal = sb.seedWonDeal(provider);
		await dealWon(workflow, deal);
		const [envelope] = sb.envelopesFor(deal.businessKey);
		await sb.transitionEnvelope(envelope.envelopeId, 'envelope-completed');
		const delivery = sb.connectDelivery('envelope-completed', envelope.envelopeId);
		const request = { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody };
		const first = await runWebhook(workflow, 'DocuSign Trigger', request, { credentials: sb.credentials });
		const second = await runWebhook(workflow, 'DocuSign Trigger', request, { credentials: sb.credentials });
		expect(first.run?.status).toBe('success');
		expect(second.response.status).toBe(200);
		expect(second.run).toBeUndefined();
		expect(stripeObjects('subscription')).toHaveLength(1);
	});

	it('a declined envelope bills nothing, updates the deal and gives its owner a follow-up task', async () => {
		const { ledger } = freshDataDir();
		const deal = sb.seedWonDeal(provider);
		await dealWon(workflow, deal);
		const [envelope] = sb.envelopesFor(deal.businessKey);

		const declined = await envelopeEvent(workflow, 'envelope-declined', envelope.envelopeId);
		expect(declined.run?.error?.message).toBeUndefined();
		expect(declined.run?.executedNodes).toEqual(expect.arrayContaining(['CRM: Record Not Signed', 'CRM: Owner Follow-up Task', 'Notify Sales: Not Signed']));
		expect(declined.run?.executedNodes).not.toContain('Create Subscription');
		expect(stripeObjects('subscription')).toHaveLength(0);
		expect(stripeObjects('customer')).toHaveLength(0);

		const fields = require('../../sandbox/quoteToCash').CRM_FIELDS[provider];
		expect(sb.crm.dealRecord(provider, deal.dealId)[fields.signatureStatus]).toBe('declined');
		const [task] = sb.crm.tasksOf(provider, deal.dealId);
		expect(task.OwnerId ?? task.hubspot_owner_id).toBe(deal.ownerId);
		const [mail] = await sb.mail.waitFor(1);
		expect(mail.to).toContain('sales-ops@example.com');
		expect((await ledger.list(deal.businessKey)).map((r) => r.workflow_step).at(-1)).toBe('docusign.envelope.declined');
	});
});

describe('quote → signature → cash: trust and failure', () => {
	it('a forged Connect signature is refused with 401 and starts nothing', async () => {
		freshDataDir();
		const deal = sb.seedWonDeal('salesforce');
		await dealWon(main, deal);
		const [envelope] = sb.envelopesFor(deal.businessKey);
		await sb.transitionEnvelope(envelope.envelopeId, 'envelope-completed');
		const forged = sb.connectDelivery('envelope-completed', envelope.envelopeId, { forge: true });
		const answer = await runWebhook(main, 'DocuSign Trigger', { method: 'POST', headers: forged.headers, rawBody: forged.rawBody }, { credentials: sb.credentials });
		expect(answer.response.status).toBe(401);
		expect(answer.run).toBeUndefined();
		expect(stripeObjects('subscription')).toHaveLength(0);
	});

	it('a forged won-deal notification is refused with 401 and sends no envelope', async () => {
		freshDataDir();
		const deal = sb.seedWonDeal('salesforce');
		const message = sb.crm.salesforce.outboundMessage([deal.dealId], { token: 'not-the-token' });
		const answer = await runWebhook(main, 'CRM Trigger', { method: 'POST', headers: message.headers, rawBody: message.rawBody, query: { token: 'not-the-token' } }, { credentials: sb.credentials });
		expect(answer.response.status).toBe(401);
		expect(answer.run).toBeUndefined();
		expect(sb.envelopesFor(deal.businessKey)).toHaveLength(0);
	});

	it('envelopes this workflow did not send (other DocuSign traffic on the account) are ignored', async () => {
		freshDataDir();
		const deal = sb.seedWonDeal('salesforce');
		await dealWon(main, deal);
		const [envelope] = sb.envelopesFor(deal.businessKey);
		const other = { ...main, id: 'someOtherWorkflow' };
		const answer = await envelopeEvent(other as WorkflowJson, 'envelope-completed', envelope.envelopeId);
		expect(answer.run?.executedNodes).not.toContain('Get Signed Terms');
		expect(stripeObjects('subscription')).toHaveLength(0);
	});

	it('super admin down after a signed envelope was billed: the error workflow cancels the subscription and leaves the signed envelope alone', async () => {
		const { ledger } = freshDataDir();
		const deal = sb.seedWonDeal('salesforce');
		await dealWon(main, deal);
		const [envelope] = sb.envelopesFor(deal.businessKey);
		sb.addFault('superAdmin', { route: '*', fault: { status: 500 } });
		const signed = await envelopeEvent(main, 'envelope-completed', envelope.envelopeId);
		expect(signed.run?.status).toBe('error');
		expect(signed.run?.executedNodes).toContain('Create Subscription');
		sb.clearFaults();

		const handled = await runErrorWorkflow(errorHandler, signed.run!, { credentials: sb.credentials, executionId: 'exec-error-handler-signed' });
		expect(handled.error?.message).toBeUndefined();
		expect(handled.executedNodes).toContain('Cancel Subscription');
		expect(handled.executedNodes).not.toContain('Void Envelope');
		expect(stripeObjects('subscription').map((s) => s.status)).toEqual(['canceled']);
		expect(sb.envelopesFor(deal.businessKey)[0].status).toBe('completed');
		const steps = (await ledger.list(deal.businessKey)).map((r) => r.workflow_step);
		expect(steps.slice(-2)).toEqual(['compensation.billing.subscription.cancel', 'exception']);
		const [mail] = await sb.mail.waitFor(1);
		expect(mail.to).toContain('revops@example.com');
	});

	it('a failure after the envelope was sent makes the error workflow void it and record the exception', async () => {
		const { ledger } = freshDataDir();
		const deal = sb.seedWonDeal('salesforce');
		sb.addFault('salesforce', { route: 'PATCH /services/data/v62.0/sobjects/Opportunity/*', fault: { status: 400 } });
		const won = await dealWon(main, deal);
		expect(won.run?.status).toBe('error');
		expect(won.run?.executedNodes).toContain('Send Contract for Signature');
		const [envelope] = sb.envelopesFor(deal.businessKey);
		expect(envelope.status).toBe('sent');
		sb.clearFaults();

		const handled = await runErrorWorkflow(errorHandler, won.run!, { credentials: sb.credentials, executionId: 'exec-error-handler' });
		expect(handled.error?.message).toBeUndefined();
		expect(handled.executedNodes).toContain('Void Envelope');
		expect(sb.envelopesFor(deal.businessKey)[0].status).toBe('voided');
		const steps = (await ledger.list(deal.businessKey)).map((r) => r.workflow_step);
		expect(steps.slice(-2)).toEqual(['compensation.docusign.envelope.void', 'exception']);
		expect((await ledger.verify(deal.businessKey)).valid).toBe(true);
	});
});

describe('provisioning error handler: one failed execution, several contracts', () => {
	it('a HubSpot batch of two won deals fails after both envelopes were sent: each envelope is voided and recorded on its own contract\'s chain', async () => {
		const { ledger } = freshDataDir();
		const hubspot = hubspotVariant(main);
		const deals = [sb.seedWonDeal('hubspot'), sb.seedWonDeal('hubspot')];
		// One webhook delivery carrying both deals: one execution, two contracts. Writing the envelope id back to
		// the deal fails, after both envelopes went out.
		sb.addFault('hubspot', { route: 'PATCH /crm/v3/objects/{type}/{id}', fault: { status: 400 } });
		const message = sb.crm.hubspot.webhookDelivery(`${HARNESS_BASE_URL}/webhook/q2c-deal-won/webhook`, deals.map((d) => d.dealId));
		const { run } = await runWebhook(hubspot, 'CRM Trigger', { method: 'POST', headers: message.headers, rawBody: message.rawBody }, { credentials: sb.credentials, executionId: 'exec-batch-won' });
		expect(run?.status).toBe('error');
		// Each envelope's receipt is written by the node that sent it, in the same step.
		expect(run?.nodeOutput('Send Contract for Signature').map((json: any) => json.receipt?.step)).toEqual(['docusign.envelope.sent', 'docusign.envelope.sent']);
		const envelopes = deals.map((d) => sb.envelopesFor(d.businessKey));
		expect(envelopes.map((list) => list.map((e: any) => e.status))).toEqual([['sent'], ['sent']]);
		sb.clearFaults();

		const handled = await runErrorWorkflow(withShortRetryWaits(errorHandler), run!, { credentials: sb.credentials, executionId: 'exec-handler-batch' });
		expect(handled.error?.message).toBeUndefined();
		expect(handled.status).toBe('success');

		for (const [index, deal] of deals.entries()) {
			const envelopeId = envelopes[index][0].envelopeId;
			expect(sb.envelopesFor(deal.businessKey).map((e: any) => e.status)).toEqual(['voided']);
			const written = (await ledger.list(deal.businessKey)).filter((r) => r.execution_id === 'exec-handler-batch');
			expect(written.map((r) => [r.workflow_step, r.business_key])).toEqual([
				['compensation.docusign.envelope.void', deal.businessKey],
				['exception', deal.businessKey],
			]);
			expect(written[0]).toMatchObject({ resource_ref: envelopeId, policy_decision: { outcome: 'succeeded', error: null } });
			expect(written[1].policy_decision).toMatchObject({ rolledBack: true, undone: ['compensation.docusign.envelope.void'], failed: [], needsPerson: false });
			expect((await ledger.verify(deal.businessKey)).valid).toBe(true);
		}
		// Nothing landed on a chain of its own for the execution.
		expect(await ledger.list('execution-exec-batch-won')).toEqual([]);

		const mails = await sb.mail.waitFor(1);
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toBe(`Provisioning failed for 2 contracts: ${deals.map((d) => d.businessKey).join(', ')}`);
		for (const deal of deals) expect(mails[0].text).toContain(`Contract ${deal.businessKey}: rolled back\nEntitlement disabled: not needed`);
		expect(mails[0].text.match(/DocuSign envelope voided: yes/g)).toHaveLength(2);
	});
});
