/**
 * A mid-period plan change against the Stripe fake, through the connector: invoices.createPreview shows the
 * prorations of moving from Grassroots to Professional at a proration date, and the update with that same date and
 * `always_invoice` charges exactly the amount previewed (credit for the unused Grassroots time, charge for the
 * remaining Professional time).
 */
import Stripe from 'stripe';
import { MemoryTtlCache } from '../../connectors/core';
import { previewSubscriptionChange, StripeBillingClient, updateSubscription } from '../../connectors/billing';

const { createStripeFake } = require('../../sandbox/stripe');

const DAY = 86_400;
const START = Date.UTC(2026, 0, 1) / 1000;

describe('Stripe fake: prorated plan change (create_preview + update with proration_date)', () => {
	let fake: any;
	let stripe: Stripe;
	let client: StripeBillingClient;
	let nowSeconds = START;

	beforeAll(async () => {
		fake = createStripeFake({ now: () => nowSeconds * 1000 });
		const { url } = await fake.listen(0);
		const parsed = new URL(url);
		stripe = new Stripe('sk_test_proration', { host: parsed.hostname, port: Number(parsed.port), protocol: 'http', maxNetworkRetries: 0 });
		client = new StripeBillingClient({ secretKey: 'sk_test_proration', baseUrl: url, rateLimit: { perSecond: 1000, burst: 1000 }, cache: new MemoryTtlCache() });
	});
	afterAll(() => fake.close());

	async function grassrootsSubscription() {
		nowSeconds = START;
		const product = await stripe.products.create({ name: 'Academy' });
		const grassroots = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2900, recurring: { interval: 'month' }, lookup_key: `grass_${product.id}` });
		const professional = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 9900, recurring: { interval: 'month' }, lookup_key: `pro_${product.id}` });
		const customer = await stripe.customers.create({ email: 'owner@example.org' });
		const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: grassroots.id, metadata: { q2c_sku: 'ACADEMY' } }] });
		return { subscription, professional };
	}

	it('charges on update exactly what the preview showed for the same proration date', async () => {
		const { subscription, professional } = await grassrootsSubscription();
		const period = subscription.items.data[0];
		const length = (period as any).current_period_end - (period as any).current_period_start;
		nowSeconds = START + 10 * DAY;
		const change = { subscriptionId: subscription.id, lineItems: [{ sku: 'ACADEMY', quantity: 1, priceId: professional.id }], priceSource: 'catalog' as const };
		const preview = await previewSubscriptionChange(client, change);
		expect(preview.prorationDate).toBe(START + 10 * DAY);
		const left = (length - 10 * DAY) / length;
		expect(preview.amountDue).toBe(Math.round(9900 * left) - Math.round(2900 * left));
		expect(preview.lines.map((line) => [line.amount < 0, line.proration])).toEqual([
			[true, true],
			[false, true],
		]);

		// The owner confirms a day later: the same proration date still bills the previewed amount.
		nowSeconds = START + 11 * DAY;
		const updated = await updateSubscription(client, { ...change, businessKey: 'UPG-1', prorationBehavior: 'always_invoice', prorationDate: preview.prorationDate });
		expect(updated.changed).toBe(true);
		const invoice = await stripe.invoices.retrieve(String(updated.latestInvoiceId ?? (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
		expect(invoice).toMatchObject({ billing_reason: 'subscription_update', amount_paid: preview.amountDue, status: 'paid' });
		expect((await stripe.subscriptions.retrieve(subscription.id)).items.data.map((item) => item.price.id)).toEqual([professional.id]);
	});

	it('refuses a proration date outside the current period, naming it', async () => {
		const { subscription, professional } = await grassrootsSubscription();
		const error = await stripe.invoices
			.createPreview({ subscription: subscription.id, subscription_details: { items: [{ price: professional.id }], proration_date: START - DAY } })
			.then(() => undefined, (caught: any) => caught);
		expect(error).toMatchObject({ statusCode: 400, param: 'subscription_details[proration_date]' });
		const update = await stripe.subscriptions.update(subscription.id, { proration_date: START + 40 * DAY, items: [{ price: professional.id }] }).then(() => undefined, (caught: any) => caught);
		expect(update).toMatchObject({ statusCode: 400, param: 'proration_date' });
	});
});
