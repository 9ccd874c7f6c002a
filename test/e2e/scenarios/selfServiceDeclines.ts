/**
 * Seed 004's declined cards, in real n8n. Stripe shows the card error on its Checkout page and sends
 * `invoice.payment_failed`; the self-service template lets a soft decline be retried once and ends the checkout
 * after a hard decline or a second soft one (Stripe then sends `checkout.session.expired`, and the customer gets
 * the hard-decline message). Nothing is provisioned unless a payment goes through.
 */
import { e2e, errorOf } from '../support/context';
import { checkout, knownRuns, newRuns, pay, stripeClient, tenantsOf } from '../support/signup';

const HARD_MESSAGE = 'Your payment could not be processed. Please check your card details or try a different card.';

const stepsOf = async (businessKey: string): Promise<string[]> => (await e2e().ledger.list(businessKey)).map((receipt) => receipt.workflow_step);

/** Every run since `known` succeeded; returns how many there were. */
async function allSucceeded(known: Set<string>, count: number): Promise<number> {
	const runs = await newRuns(known, count);
	expect(runs.map((run) => [run.status, errorOf(run)])).toEqual(runs.map(() => ['success', '']));
	return runs.length;
}

export function selfServiceDeclines(): void {
	describe('self-service signup: declined cards', () => {
		it('a soft decline, then the retry goes through: the academy goes live, the customer only gets the welcome', async () => {
			const { sb } = e2e();
			const { businessKey, email, session } = await checkout(stripeClient(), 'grassroots_monthly');
			let known = await knownRuns();
			const declined = await pay(session.id, 'soft_decline');
			expect({ status: declined.status, advice: declined.body.error?.advice_code }).toEqual({ status: 402, advice: 'try_again_later' });
			await allSucceeded(known, 1);
			expect(await stepsOf(businessKey)).toEqual(['billing.checkout.declined']);
			expect((await stripeClient().checkout.sessions.retrieve(session.id)).status).toBe('open');

			known = await knownRuns();
			await pay(session.id);
			await allSucceeded(known, 1);
			expect(tenantsOf(businessKey)).toHaveLength(1);
			expect(await stepsOf(businessKey)).toEqual(expect.arrayContaining(['billing.checkout.declined', 'billing.checkout.payment', 'provisioning.live']));
			const [welcome, ...more] = await sb.mail.waitFor(1, 20_000);
			expect(more).toEqual([]);
			expect(welcome.to).toEqual([email]);
			expect(welcome.subject).toMatch(/Welcome/);
		});

		it('a second soft decline ends the checkout: the customer gets the hard-decline message, nothing provisioned', async () => {
			const { sb } = e2e();
			const stripe = stripeClient();
			const { businessKey, email, session } = await checkout(stripe, 'professional_monthly');
			let known = await knownRuns();
			await pay(session.id, 'soft_decline');
			await allSucceeded(known, 1);
			known = await knownRuns();
			expect((await pay(session.id, 'soft_decline')).status).toBe(402);
			// The decline's run expires the session; Stripe's checkout.session.expired starts the email run.
			await allSucceeded(known, 2);
			expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
			expect(await stepsOf(businessKey)).toEqual(['billing.checkout.declined', 'billing.checkout.declined', 'billing.checkout.expire']);
			const [mail, ...more] = await sb.mail.waitFor(1, 20_000);
			expect(more).toEqual([]);
			expect(mail.to).toEqual([email]);
			expect(mail.text).toContain(HARD_MESSAGE);
			expect(tenantsOf(businessKey)).toEqual([]);
			// The ended checkout takes no more payments.
			const late = await fetch(`${sb.urls.stripe}/__sandbox/checkout/sessions/${session.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'success' }) });
			expect(late.status).toBe(400);
		});

		it('a hard decline ends the checkout at once: the customer is told why, nothing provisioned', async () => {
			const { sb } = e2e();
			const stripe = stripeClient();
			const { businessKey, email, session } = await checkout(stripe, 'grassroots_monthly');
			const known = await knownRuns();
			const declined = await pay(session.id, 'hard_decline');
			expect({ status: declined.status, code: declined.body.error?.decline_code }).toEqual({ status: 402, code: 'stolen_card' });
			await allSucceeded(known, 2);
			expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
			expect(await stepsOf(businessKey)).toEqual(['billing.checkout.declined', 'billing.checkout.expire']);
			const [mail, ...more] = await sb.mail.waitFor(1, 20_000);
			expect(more).toEqual([]);
			expect(mail.to).toEqual([email]);
			expect(mail.text).toContain(HARD_MESSAGE);
			expect(tenantsOf(businessKey)).toEqual([]);
		});
	});
}
