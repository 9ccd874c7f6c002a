/**
 * Support-contract onboarding (seed 003) run in-process against the sandbox, part by part as the vendors drive it:
 * the shop's purchase → Stripe Checkout paid on the fake's hosted page → the signed invoice event → the DocuSign
 * contract completed (a signed Connect event) → the acceptance form submitted → for yellow/red the manager's answer
 * through the send-and-wait email's signed link. The risk queue is read back with XREAD on the machine's Redis.
 */
import { Container } from '@n8n/di';
import Redis from 'ioredis';
import { InstanceSettings, validateUrlSignature } from 'n8n-core';
import { deliverWebhook, runWebhook, runWorkflow, type WorkflowRunResult } from '../harness';
import { closeBackends } from '../../connectors/core';
import { readRisks } from '../../connectors/reporting';
import { redisPlan } from '../stores/support/backends';
import { freshDataDir, template } from './context';
import { withConfig } from './selfServiceKit';
import { openSupportStack, resumeWaiting, type Purchase, type SupportStack } from './supportOnboardingKit';

const purchaseWf = template('support-onboarding.json');
const paymentWf = template('support-onboarding-payment.json');
const contractWf = template('support-onboarding-contract.json');
const stream = `q2c:test:support-risks:${process.pid}:${Date.now()}`;
const acceptanceWf = withConfig(template('support-onboarding-acceptance.json'), { reporting: { stream } });
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

if (redisPlan.kind === 'skip') console.warn(`support onboarding: the yellow/red paths are skipped: ${redisPlan.reason}`);
const withRedis = redisPlan.kind === 'skip' ? it.skip : it;

let stack: SupportStack;
let redis: Redis | undefined;

beforeAll(async () => {
	stack = await openSupportStack();
	if (redisPlan.kind === 'server') redis = new Redis(redisPlan.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
	if (redis) {
		const keys = await redis.keys(`${stream}*`);
		if (keys.length) await redis.del(...keys);
		await redis.quit();
	}
	await stack?.close();
	// The Reporting node's process-wide Redis client.
	await closeBackends();
});
beforeEach(() => {
	stack.sb.clearFaults();
});

const mailTo = (address: string) => stack.sb.mail.messages().filter((message) => String(message.to).includes(address));
const steps = async (ledger: ReturnType<typeof freshDataDir>['ledger'], key: string) => (await ledger.list(key)).map((receipt) => receipt.workflow_step);

/** Part 1: the purchase answered with a Checkout Session. */
async function purchase(overrides: Partial<Purchase> = {}) {
	const order = stack.newPurchase(overrides);
	const { response, run } = await stack.post(purchaseWf, order);
	return { order, response: response as { status: number; body: any }, run: run! };
}

/** Part 2: the Checkout paid (or declined) on the fake's hosted page, the invoice event delivered to the template. */
async function payAndDeliver(sessionId: string, outcome: 'success' | 'soft_decline') {
	await stack.pay(sessionId, outcome);
	const session = await stack.stripe.checkout.sessions.retrieve(sessionId);
	// A declined checkout has no invoice on the session yet: the subscription's first invoice is the one attempted.
	const invoiceId = session.invoice ?? (await stack.stripe.subscriptions.retrieve(String(session.subscription))).latest_invoice;
	const type = outcome === 'success' ? 'invoice.paid' : 'invoice.payment_failed';
	const event = await stack.event(type, String(invoiceId));
	return runWebhook(paymentWf, 'Stripe Trigger', { method: 'POST', headers: event.headers, rawBody: event.rawBody }, { credentials: stack.credentials, nodeTypes: stack.nodeTypes });
}

/** Part 3: the envelope completed in DocuSign, its signed Connect event delivered. */
async function completeContract(envelopeId: string) {
	await stack.sb.transitionEnvelope(envelopeId, 'envelope-completed');
	const delivery = stack.sb.connectDelivery('envelope-completed', envelopeId);
	return runWebhook(contractWf, 'DocuSign Trigger', { method: 'POST', headers: delivery.headers, rawBody: delivery.rawBody }, { credentials: stack.credentials, nodeTypes: stack.nodeTypes });
}

/** Part 4: what the Form Trigger hands the workflow when SysOps submits the form (the contract key from the link). */
function submitAcceptance(contractKey: string, rating: 'Green' | 'Yellow' | 'Red', notes: string) {
	return runWorkflow(acceptanceWf, {
		startNode: 'Acceptance Form',
		startData: [{ contractKey, Rating: rating, Notes: notes, 'Engineer Email': 'eng@diquis.com', submittedAt: new Date().toISOString(), formMode: 'production' }],
		credentials: stack.credentials,
		nodeTypes: stack.nodeTypes,
	});
}

/** Parts 1-3 for a fresh purchase: returns the business key, once SysOps has the Customer 360. */
async function onboardedCustomer(ledger: ReturnType<typeof freshDataDir>['ledger']) {
	const { order, response } = await purchase();
	expect(response.status).toBe(201);
	const paid = await payAndDeliver(response.body.checkoutSessionId, 'success');
	expect(paid.run?.error?.message).toBeUndefined();
	const [envelope] = stack.sb.envelopesFor(order.purchaseId);
	await stack.logSupportRequest(order.purchaseId, 'troubleshoot', 'Backups failed twice last week');
	const contract = await completeContract(envelope.envelopeId);
	expect(contract.run?.error?.message).toBeUndefined();
	expect(contract.run?.status).toBe('success');
	return { order, envelope, contract: contract.run!, ledger };
}

describe('support onboarding: green path', () => {
	it('purchase → account → checkout → invoice paid → notification → contract → Customer 360 → green acceptance logged', async () => {
		const { ledger } = freshDataDir();
		const { order, response, run } = await purchase();
		expect(run.error?.message).toBeUndefined();
		expect(response.status).toBe(201);
		expect(response.body.checkoutUrl).toEqual(expect.any(String));
		const session = await stack.stripe.checkout.sessions.retrieve(response.body.checkoutSessionId);
		expect(session).toMatchObject({ mode: 'subscription', client_reference_id: order.purchaseId });
		const customer = run.nodeOutput('Find or Create Customer')[0];
		expect(session.customer).toBe(customer.id);

		const paid = await payAndDeliver(response.body.checkoutSessionId, 'success');
		expect(paid.run?.error?.message).toBeUndefined();
		expect(paid.run?.status).toBe('success');
		const invoiceMail = mailTo(order.email).find((m) => /invoice/i.test(m.subject));
		expect(invoiceMail?.text).toContain(String(paid.run!.nodeOutput('Customer')[0].invoiceNumber));
		const notification = mailTo(order.preferredEmail);
		expect(notification.map((m) => m.subject)).toEqual(['Payment received: SysOps Support', 'Your SysOps support contract is on its way']);
		const envelopes = stack.sb.envelopesFor(order.purchaseId);
		expect(envelopes).toHaveLength(1);
		expect(envelopes[0].signers?.[0]?.email ?? envelopes[0].recipients?.signers?.[0]?.email).toBe(order.email);

		await stack.logSupportRequest(order.purchaseId, 'repair', 'Replace failed disk on node 2');
		const contract = await completeContract(envelopes[0].envelopeId);
		expect(contract.run?.error?.message).toBeUndefined();
		const view = contract.run!.nodeOutput('Get Customer 360')[0] as Record<string, any>;
		expect(view).toMatchObject({
			name: order.company,
			preferredEmail: order.preferredEmail,
			address: order.address,
			payment: { method: 'card', schedule: 'monthly', subscriptionId: (await stack.stripe.checkout.sessions.retrieve(session.id)).subscription },
			contract: { id: envelopes[0].envelopeId, ageDays: 0 },
			product: { name: 'SysOps Support', ageDays: 0 },
			supportRequests: [expect.objectContaining({ kind: 'repair', summary: 'Replace failed disk on node 2' })],
		});
		expect(view.contacts.map((c: any) => c.email)).toEqual([order.email, order.contacts[0].email]);
		expect(view.contract.daysToExpiry).toBeGreaterThan(360);
		const sysops = mailTo('sysops@diquis.com').at(-1)!;
		expect(sysops.text).toContain(`contractKey=${order.purchaseId}`);
		expect(sysops.text).toContain('Replace failed disk on node 2');

		const accepted = await submitAcceptance(order.purchaseId, 'Green', 'Runbooks and on-call in place');
		expect(accepted.error?.message).toBeUndefined();
		expect(accepted.status).toBe('success');
		expect(accepted.executedNodes).not.toContain('Publish Risk');
		expect(mailTo('eng@diquis.com').at(-1)?.text).toContain('GREEN');

		expect(await steps(ledger, order.purchaseId)).toEqual([
			'support.purchase.started',
			'support.account.upserted',
			'billing.checkout.create',
			'support.invoice.generated',
			'support.payment.accepted',
			'docusign.envelope.sent',
			'support.contract.sent',
			'support.contract.signed',
			'support.customer360.available',
			'support.acceptance.green',
		]);
		expect((await ledger.verify(order.purchaseId)).valid).toBe(true);
	});

	it('a bad order is refused with every problem named, the admin told, nothing created', async () => {
		const { ledger } = freshDataDir();
		const before = (stack.sb.requests().stripe ?? []).filter((r) => r.method !== 'GET').length;
		const { order, response } = await purchase({ email: 'not-an-email', billingCycle: 'weekly' });
		expect(response.status).toBe(422);
		expect(response.body.problems).toEqual(['email must be an email address', 'billingCycle must be one of monthly, yearly, got "weekly"']);
		expect((stack.sb.requests().stripe ?? []).filter((r) => r.method !== 'GET')).toHaveLength(before);
		expect(mailTo('ops@diquis.com').at(-1)?.text).toContain('billingCycle must be one of');
		expect(await steps(ledger, order.purchaseId)).toEqual(['support.purchase.refused']);
	});

	it('a purchase without the token never starts', async () => {
		const { response, run } = await stack.post(purchaseWf, stack.newPurchase(), { 'x-q2c-support-token': 'wrong' });
		expect(run).toBeUndefined();
		expect(response.status).toBe(403);
	});
});

describe('support onboarding: red path', () => {
	withRedis('red: the risk is on the stream, the manager answers through the signed link, the acknowledgement is logged', async () => {
		const { ledger } = freshDataDir();
		const { order } = await onboardedCustomer(ledger);
		const waiting = await submitAcceptance(order.purchaseId, 'Red', 'No on-call rota for the customer timezone');
		expect(waiting.error?.message).toBeUndefined();
		expect(waiting.status).toBe('waiting');

		const [entry] = (await readRisks(redis!, stream, '0')).filter((risk) => risk.businessKey === order.purchaseId);
		expect(entry).toMatchObject({ step: 'support.acceptance.red', severity: 'red', reason: 'No on-call rota for the customer timezone', customer: order.company });

		const approval = await approvalLink('sysops-manager@diquis.com', order.company);
		const answered = await answer(waiting, approval);
		expect(answered.error).toBeUndefined();
		expect(answered.status).toBe('success');
		expect(answered.executedNodes).toContain('Receipt: Manager Acknowledged');
		expect(answered.executedNodes).not.toContain('Publish Risk: Unacknowledged');
		expect((await steps(ledger, order.purchaseId)).slice(-4)).toEqual(['support.customer360.available', 'reporting.risk.published', 'support.acceptance.red', 'support.manager.acknowledged']);
	});

	withRedis('yellow, disapproved: acceptance unacknowledged, a second risk on the stream, the admin told', async () => {
		const { ledger } = freshDataDir();
		const { order } = await onboardedCustomer(ledger);
		const waiting = await submitAcceptance(order.purchaseId, 'Yellow', 'Backups only weekly');
		expect(waiting.status).toBe('waiting');
		const disapprove = await approvalLink('sysops-manager@diquis.com', order.company, 'false');
		const answered = await answer(waiting, disapprove);
		expect(answered.status).toBe('success');
		const risks = (await readRisks(redis!, stream, '0')).filter((risk) => risk.businessKey === order.purchaseId);
		expect(risks.map((risk) => [risk.step, risk.severity])).toEqual([
			['support.acceptance.yellow', 'yellow'],
			['support.acceptance.unacknowledged', 'yellow'],
		]);
		expect(risks[1].reason).toMatch(/disapproved/);
		expect(mailTo('ops@diquis.com').at(-1)?.subject).toMatch(/acceptance unacknowledged/);
		expect((await steps(ledger, order.purchaseId)).slice(-3)).toEqual(['support.acceptance.yellow', 'reporting.risk.published', 'support.acceptance.unacknowledged']);
	});

	withRedis('a form naming a customer SysOps does not know: requirements unknown, risk published, admin told', async () => {
		const { ledger } = freshDataDir();
		const run = await submitAcceptance('support-nobody', 'Green', 'ok');
		expect(run.status).toBe('success');
		expect(run.executedNodes).toContain('Publish Risk: Requirements Unknown');
		const [risk] = (await readRisks(redis!, stream, '0')).filter((entry) => entry.businessKey === 'support-nobody');
		expect(risk).toMatchObject({ step: 'support.requirements.unknown', severity: 'unknown' });
		expect(risk.reason).toMatch(/unknown to SysOps/);
		expect(mailTo('ops@diquis.com').at(-1)?.subject).toMatch(/requirements unknown/);
		expect(await steps(ledger, 'support-nobody')).toEqual(['support.failed']);
	});
});

describe('support onboarding: payment failure', () => {
	it('a declined card: payment incomplete, admin notified, receipt written, no contract sent', async () => {
		const { ledger } = freshDataDir();
		const { order, response } = await purchase();
		const failed = await payAndDeliver(response.body.checkoutSessionId, 'soft_decline');
		expect(failed.run?.error?.message).toBeUndefined();
		expect(failed.run?.executedNodes).toContain('Notify Admin: Payment Incomplete');
		const admin = mailTo('ops@diquis.com').at(-1)!;
		expect(admin.subject).toContain(`payment incomplete for ${order.purchaseId}`);
		expect(stack.sb.envelopesFor(order.purchaseId)).toEqual([]);
		expect(mailTo(order.preferredEmail)).toEqual([]);
		expect((await steps(ledger, order.purchaseId)).slice(-1)).toEqual(['support.payment.failed']);
	});

	it('DocuSign failing to send the contract: contract incomplete, admin notified with a receipt', async () => {
		const { ledger } = freshDataDir();
		const { order, response } = await purchase();
		stack.sb.addFault('docusign', { route: 'POST /restapi/v2.1/accounts/{accountId}/envelopes', fault: { status: 400 } });
		const paid = await payAndDeliver(response.body.checkoutSessionId, 'success');
		stack.sb.clearFaults();
		expect(paid.run?.executedNodes).toContain('Notify Admin: Failed');
		expect(mailTo('ops@diquis.com').at(-1)?.subject).toContain(`${order.purchaseId} (contract)`);
		expect((await steps(ledger, order.purchaseId)).slice(-1)).toEqual(['support.failed']);
	});
});

/** The approve (or disapprove) link from the manager's send-and-wait email (HTML only: the sink's text is its body), its signature checked as n8n does. */
async function approvalLink(manager: string, company: string, approved: 'true' | 'false' = 'true'): Promise<URL> {
	const mail = mailTo(manager).filter((m) => String(m.subject).includes(company)).at(-1);
	expect(mail).toBeDefined();
	const links = [...String(mail!.text).matchAll(/href="([^"]+)"/g)].map((match) => new URL(match[1].replace(/&amp;/g, '&')));
	const link = links.find((url) => url.searchParams.get('approved') === approved);
	expect(link).toBeDefined();
	const signature = link!.searchParams.get('signature')!;
	expect(validateUrlSignature(signature, new URL(link!), Container.get(InstanceSettings).hmacSignatureSecret)).toBe(true);
	return link!;
}

/** The manager's browser opens the link: the node's webhook answers, then the waiting execution continues. */
async function answer(waiting: WorkflowRunResult, link: URL) {
	const options = { credentials: stack.credentials, nodeTypes: stack.nodeTypes };
	const query = Object.fromEntries(link.searchParams.entries());
	const delivery = await deliverWebhook(acceptanceWf, 'Ask Manager', { method: 'GET', query, headers: { 'user-agent': BROWSER } }, options);
	expect(delivery.workflowData?.[0]?.[0]?.json).toMatchObject({ data: { approved: query.approved === 'true' } });
	return resumeWaiting(acceptanceWf, waiting, delivery.workflowData!, options);
}
