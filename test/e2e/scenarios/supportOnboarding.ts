/**
 * workflows/support-onboarding*.json (seed 003) as published in real n8n. The shop posts a purchase (header auth),
 * the customer pays on the Stripe fake's hosted page, Stripe delivers the signed invoice event, the SysOps contract
 * is completed in DocuSign (Connect event to the configuration the trigger registered), SysOps submits the acceptance
 * form over HTTP as a browser does, and for red the manager opens the approve link of the send-and-wait email from the
 * SMTP sink with a browser User-Agent (n8n ignores bot-like agents on those links). The risk is read from the Redis
 * Stream with XREAD. A declined card ends in "payment incomplete" with the admin emailed.
 *
 * Needs from the stack (scripts/stack): the four templates published (ids `supportPurchase`, `supportPayment`,
 * `supportContract`, `supportAcceptance` in e2e().ids), the payment template's Stripe Trigger URL registered as a
 * Stripe webhook endpoint (`/webhook/q2c-support-invoices/webhook`), credentials `q2cSupportHook01` (Header Auth,
 * the sandbox's `httpHeaderAuth`) and `q2cReportRedis01` (Reporting Queue (Redis) at the stack's Redis), and the
 * acceptance template's Config `reporting.stream` left at its default.
 */
import Redis from 'ioredis';
import { readRisks } from '../../../connectors/reporting';
import { e2e, errorOf, executions, sleep, type Execution } from '../support/context';
import { screenshotForm } from '../support/formScreenshots';
import { BROWSER } from '../support/formWaiting';
import { pay, stripeClient } from '../support/signup';

const STREAM = 'q2c:reporting:risks';
const REDIS_URL = process.env.Q2C_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const ids = () => e2e().ids;
const known = async (id: string) => new Set((await executions(id)).map((execution) => execution.id));

async function settled(id: string, before: Set<string>, { waiting = false, timeoutMs = 60_000 } = {}): Promise<Execution> {
	for (const deadline = Date.now() + timeoutMs; ; await sleep(300)) {
		const fresh = (await executions(id, true)).filter((execution) => !before.has(execution.id));
		const done = fresh.find((execution) => execution.stoppedAt || (waiting && execution.status === 'waiting'));
		if (done) return done;
		if (Date.now() > deadline) throw new Error(`no settled run of ${id} within ${timeoutMs} ms: ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
	}
}

async function mailMatching(predicate: (message: Record<string, any>) => boolean, timeoutMs = 30_000): Promise<Record<string, any>> {
	for (const deadline = Date.now() + timeoutMs; ; await sleep(300)) {
		const found = e2e().sb.mail.messages().filter(predicate).at(-1);
		if (found) return found;
		if (Date.now() > deadline) throw new Error('the expected email never arrived');
	}
}

async function supportPrices(): Promise<void> {
	const stripe = stripeClient();
	const product = await stripe.products.create({ name: 'SysOps Support (e2e)' });
	await stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: 4900, recurring: { interval: 'month' }, lookup_key: 'support_monthly', transfer_lookup_key: true });
}

/** Part 1 over HTTP, then the hosted page's pay button; returns once part 2 has run. */
async function purchaseAndPay(outcome: 'success' | 'soft_decline'): Promise<{ purchaseId: string; email: string; payment: Execution }> {
	const { baseUrl } = e2e();
	const suffix = Date.now().toString(36);
	const order = { purchaseId: `support-e2e-${suffix}`, name: 'Dana Buyer', email: `buyer-${suffix}@acme.test`, preferredEmail: `inbox-${suffix}@acme.test`, company: `Acme ${suffix}`, billingCycle: 'monthly', address: { line1: '1 High Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' }, contacts: [{ name: 'Olu Ops', email: `ops-${suffix}@acme.test` }] };
	const answer = await fetch(`${baseUrl}/webhook/q2c-support-purchase`, { method: 'POST', headers: { 'content-type': 'application/json', [String(e2e().sb.credentials.httpHeaderAuth.name)]: String(e2e().sb.credentials.httpHeaderAuth.value) }, body: JSON.stringify(order) });
	const body = (await answer.json()) as { checkoutSessionId: string };
	expect({ status: answer.status, body }).toMatchObject({ status: 201, body: { accepted: true, checkoutSessionId: expect.any(String) } });
	const before = await known(ids().supportPayment);
	await pay(body.checkoutSessionId, outcome);
	const payment = await settled(ids().supportPayment, before);
	expect({ status: payment.status, error: errorOf(payment) }).toEqual({ status: 'success', error: '' });
	return { purchaseId: order.purchaseId, email: order.email, payment };
}

/** The envelope part 2 sent, completed in DocuSign; returns once part 3 has emailed SysOps. */
async function signContract(purchaseId: string): Promise<void> {
	const { sb } = e2e();
	const [envelope] = sb.envelopesFor(purchaseId);
	expect(envelope).toBeDefined();
	const before = await known(ids().supportContract);
	await sb.transitionEnvelope(envelope.envelopeId, 'envelope-completed');
	const contract = await settled(ids().supportContract, before);
	expect({ status: contract.status, error: errorOf(contract) }).toEqual({ status: 'success', error: '' });
	await mailMatching((message) => String(message.text).includes(`contractKey=${purchaseId}`));
}

/** What a browser does with the acceptance form: GET it with the contract key in the link, POST the answers. */
async function submitAcceptance(purchaseId: string, rating: 'Green' | 'Red', notes: string): Promise<void> {
	const link = new URL(`${e2e().baseUrl}/form/q2c-support-acceptance`);
	link.searchParams.set('contractKey', purchaseId);
	const form = await fetch(link, { headers: BROWSER });
	expect(form.status).toBe(200);
	if (rating === 'Green') await screenshotForm(link.href, 'support-acceptance-form', { Rating: rating, Notes: notes, 'Engineer Email': 'eng@diquis.com' });
	const body = new FormData();
	// field-<n> in the order of the form's fields: the hidden contract key, rating, notes, engineer email.
	[purchaseId, rating, notes, 'eng@diquis.com'].forEach((value, index) => body.append(`field-${index}`, value));
	const answer = await fetch(link, { method: 'POST', headers: BROWSER, body });
	expect(answer.status).toBe(200);
}

export function supportOnboarding(): void {
	describe('support onboarding templates (seed 003)', () => {
		let redis: Redis | undefined;
		// The sandbox is reset before each test (the suite's beforeEach), its Stripe catalogue with it.
		beforeEach(() => supportPrices());
		beforeAll(async () => {
			redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
			await redis.connect().catch(() => (redis = undefined));
		});
		afterAll(async () => {
			await redis?.quit();
		});

		it('green: purchase → paid → notified → contract signed → Customer 360 → acceptance logged', async () => {
			const { purchaseId, email } = await purchaseAndPay('success');
			await mailMatching((message) => message.to.includes(email) && /invoice/i.test(message.subject));
			await signContract(purchaseId);
			const before = await known(ids().supportAcceptance);
			await submitAcceptance(purchaseId, 'Green', 'Runbooks and on-call in place');
			const run = await settled(ids().supportAcceptance, before);
			expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
			const steps = (await e2e().ledger.list(purchaseId)).map((receipt) => receipt.workflow_step);
			expect(steps).toEqual(expect.arrayContaining(['support.payment.accepted', 'docusign.envelope.sent', 'support.customer360.available', 'support.acceptance.green']));
		});

		it('red: risk on the stream, the manager approves through the signed resume link from the email', async () => {
			if (!redis) {
				process.stdout.write(`[e2e] support red path skipped: no Redis at ${REDIS_URL}\n`);
				return;
			}
			const { purchaseId } = await purchaseAndPay('success');
			await signContract(purchaseId);
			const before = await known(ids().supportAcceptance);
			await submitAcceptance(purchaseId, 'Red', 'No on-call rota for the customer timezone');
			const waiting = await settled(ids().supportAcceptance, before, { waiting: true });
			expect(waiting.status).toBe('waiting');
			const risks = (await readRisks(redis, STREAM, '0', { count: 10_000 })).filter((risk) => risk.businessKey === purchaseId);
			expect(risks.map((risk) => [risk.step, risk.severity])).toEqual([['support.acceptance.red', 'red']]);

			const mail = await mailMatching((message) => message.to.includes('sysops-manager@diquis.com') && String(message.text).includes(purchaseId));
			const approve = [...String(mail.text).matchAll(/href="([^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&')).find((href) => href.includes('approved=true'));
			expect(approve).toBeDefined();
			const opened = await fetch(approve!, { headers: BROWSER });
			expect(opened.status).toBe(200);
			for (const deadline = Date.now() + 30_000; ; await sleep(300)) {
				const [run] = (await executions(ids().supportAcceptance, true)).filter((execution) => execution.id === waiting.id);
				if (run?.stoppedAt && run.status !== 'waiting') {
					expect({ status: run.status, error: errorOf(run) }).toEqual({ status: 'success', error: '' });
					break;
				}
				if (Date.now() > deadline) throw new Error(`run ${waiting.id} did not resume after the approval`);
			}
			const steps = (await e2e().ledger.list(purchaseId)).map((receipt) => receipt.workflow_step);
			expect(steps.slice(-3)).toEqual(['reporting.risk.published', 'support.acceptance.red', 'support.manager.acknowledged']);
		});

		it('a declined card: payment incomplete, the admin notified, no contract sent', async () => {
			const { purchaseId, payment } = await purchaseAndPay('soft_decline');
			expect(Object.keys(payment.data?.resultData?.runData ?? {})).toContain('Notify Admin: Payment Incomplete');
			await mailMatching((message) => message.to.includes('ops@diquis.com') && String(message.subject).includes(`payment incomplete for ${purchaseId}`));
			expect(e2e().sb.envelopesFor(purchaseId)).toEqual([]);
		});
	});
}
