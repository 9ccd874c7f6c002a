/**
 * The Stripe fake against Stripe's published OpenAPI spec (the optional vendor-spec layer, Q2C_VENDOR_SPECS):
 * our own API description (sandbox/stripe/api.js) must agree with it, and with the layer on the live fake checks
 * its traffic against it too. Skipped, with the reason, when the layer is off.
 */
import Stripe from 'stripe';
import { describeWithVendorSpecs, loadVendorSpec, vendorSpecFile } from '../support/vendorSpecs';

const { createStripeFake } = require('../../sandbox/stripe');
const { ownApi } = require('../../sandbox/stripe/api');
const { applyExtensions } = require('../../sandbox/stripe/extensions');
const { loadSpec, createValidator } = require('../../sandbox/core/openapi');
const { compareApis } = require('../../sandbox/core/conformance');
const { specLayerReport } = require('../../sandbox/core/vendorSpecs');
const { encodeForm } = require('../../sandbox/core/form');

const KEY = 'sk_test_sandbox123';
const FORM = 'application/x-www-form-urlencoded';
/** The same parse as the fake's, so both share loadVendorSpec's one copy. */
const vendorSpec = () => loadVendorSpec('stripe', (file: string) => applyExtensions(loadSpec(file)));
const ownOperations = Object.values(ownApi.paths).reduce((n: number, item) => n + Object.keys(item as object).length, 0);

describeWithVendorSpecs('Stripe fake vs Stripe’s published spec (API 2023-08-16)', () => {
	describe('conformance of sandbox/stripe/api.js', () => {
		it('agrees with the spec as the fake loads it (with the newer-API additions of extensions.js)', () => {
			const report = compareApis(ownApi, vendorSpec());
			expect(report.mismatches).toEqual([]);
			expect(report.notes).toEqual([]);
			expect(report.compared).toHaveLength(ownOperations);
		});

		it('agrees with the spec file as published; only what is marked newer than it is listed', () => {
			const report = compareApis(ownApi, loadSpec(vendorSpecFile('stripe')));
			console.log(`Stripe conformance: ${report.compared.length} operations compared, ${report.mismatches.length} mismatches\n${report.notes.join('\n')}`);
			expect(report.mismatches).toEqual([]);
			// Invoice payments (2), billing meters (4) and invoice previews (1) are newer than the file.
			expect(report.compared).toHaveLength(ownOperations - 7);
			// Once for subscription create and once for update.
			const newerField = 'add_invoice_items[].metadata: newer than the spec file (API 2024+, docs.stripe.com/api/subscriptions/create)';
			expect(report.notes).toEqual([
				newerField,
				newerField,
				expect.stringMatching(/^POST \/v1\/invoices\/create_preview: newer than the spec file/),
				expect.stringMatching(/^GET \/v1\/invoice_payments: newer than the spec file \(Invoice Payments, API 2025/),
				expect.stringMatching(/^GET \/v1\/invoice_payments\/\{invoice_payment\}: newer than the spec file/),
				expect.stringMatching(/^GET \/v1\/billing\/meters: newer than the spec file \(Billing Meters, API 2024-04-10/),
				expect.stringMatching(/^GET \/v1\/billing\/meters\/\{id\}: newer than the spec file/),
				expect.stringMatching(/^POST \/v1\/billing\/meter_events: newer than the spec file/),
				expect.stringMatching(/^GET \/v1\/billing\/meters\/\{id\}\/event_summaries: newer than the spec file/),
			]);
		});
	});

	describe('the published spec as a validator', () => {
		// Built in beforeAll: a skipped suite's body still runs, without the spec.
		let validator: any;
		beforeAll(() => {
			validator = createValidator(vendorSpec(), { queryAsBody: ['DELETE'] });
		});

		it('takes the subscription create our connector sends (newer fields through extensions.js)', () => {
			const body = 'customer=cus_1&currency=usd&collection_method=send_invoice&days_until_due=30&items[0][price]=price_1&items[0][quantity]=2&items[0][metadata][q2c_sku]=PRO&add_invoice_items[0][price_data][currency]=usd&add_invoice_items[0][price_data][product]=prod_1&add_invoice_items[0][price_data][unit_amount]=500&add_invoice_items[0][metadata][q2c_sku]=SETUP&metadata[q2c_business_key]=ORD-1';
			expect(validator.validateRequest({ method: 'POST', path: '/v1/subscriptions', rawBody: body, contentType: FORM }).problems).toEqual([]);
			expect(validator.validateRequest({ method: 'GET', path: '/v1/invoice_payments', query: 'invoice=in_1&status=paid&limit=10' }).problems).toEqual([]);
		});

		it('takes the decline handling our connector sends: the decline with its invoice, a subscription’s session, the expire', () => {
			const checks = [
				{ method: 'GET', path: '/v1/invoice_payments', query: 'invoice=in_1&limit=10&expand[0]=data.payment.payment_intent&expand[1]=data.invoice' },
				{ method: 'GET', path: '/v1/checkout/sessions', query: 'subscription=sub_1&limit=10' },
				{ method: 'POST', path: '/v1/checkout/sessions/cs_test_1/expire', rawBody: '', contentType: FORM },
			];
			for (const check of checks) expect({ ...check, problems: validator.validateRequest(check).problems }).toEqual({ ...check, problems: [] });
			// Stripe's `status` filter is newer than this spec file, so the connector filters by status itself.
			expect(validator.validateRequest({ method: 'GET', path: '/v1/checkout/sessions', query: 'subscription=sub_1&status=open' }).problems).not.toEqual([]);
		});

		it('checks what our description leaves to it, such as length limits', () => {
			const result = validator.validateRequest({ method: 'POST', path: '/v1/customers', rawBody: `name=${'x'.repeat(257)}`, contentType: FORM });
			expect(result.problems).toEqual([{ param: 'name', code: 'parameter_invalid', message: 'Invalid name: must be at most 256 characters' }]);
		});
	});

	describe('the live fake with the layer on', () => {
		let fake: any;
		let stripe: Stripe;
		let base: string;
		const counts = () => specLayerReport().stats.stripe ?? { checked: 0, rejected: 0, problems: [] };

		beforeAll(async () => {
			fake = createStripeFake();
			const { port, url } = await fake.listen();
			base = url;
			stripe = new Stripe(KEY, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
		});
		afterAll(() => fake.close());

		it('checks each request against the published spec too, and these representative ones all conform', async () => {
			const before = counts();
			const customer = await stripe.customers.create({ name: 'Acme', email: 'ops@acme.test', address: { country: 'US' }, metadata: { q2c_business_key: 'ORD-1' } });
			await stripe.customers.search({ query: "metadata['q2c_business_key']:'ORD-1'", limit: 10 });
			const price = await stripe.prices.create({ currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' }, product_data: { name: 'Pro' }, lookup_key: 'pro' });
			const setup = await stripe.products.create({ name: 'Setup', metadata: { sku: 'SETUP' } });
			const subscription = await stripe.subscriptions.create({
				customer: customer.id,
				items: [{ price: price.id, quantity: 2, metadata: { q2c_sku: 'PRO' } }],
				add_invoice_items: [{ price_data: { currency: 'usd', product: setup.id, unit_amount: 500 }, metadata: { q2c_sku: 'SETUP' } } as any],
				metadata: { q2c_business_key: 'ORD-1' },
				expand: ['latest_invoice'],
			});
			const invoice = subscription.latest_invoice as Stripe.Invoice;
			const payments = await stripe.invoicePayments.list({ invoice: invoice.id!, status: 'paid', limit: 10 });
			await stripe.refunds.create({ payment_intent: payments.data[0].payment.payment_intent as string, amount: 500, reason: 'requested_by_customer', metadata: { q2c_business_key: 'ORD-1' } });
			await stripe.subscriptions.cancel(subscription.id, { invoice_now: false, prorate: false, cancellation_details: { comment: 'provisioning failed' } });
			await stripe.customers.del(customer.id);

			const after = counts();
			expect(specLayerReport().on).toBe(true);
			expect({ checked: after.checked - before.checked, rejected: after.rejected - before.rejected }).toEqual({ checked: 9, rejected: 0 });
		});

		it('answers what only the published spec rejects with Stripe’s 400, saying so', async () => {
			const before = counts();
			const response = await fetch(`${base}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': FORM }, body: encodeForm({ name: 'x'.repeat(300) }) });
			expect(response.status).toBe(400);
			expect(((await response.json()) as any).error).toEqual({
				type: 'invalid_request_error',
				code: 'parameter_invalid',
				param: 'name',
				message: "Invalid name: must be at most 256 characters (per Stripe's published spec)",
				doc_url: 'https://stripe.com/docs/error-codes/parameter-invalid',
			});
			const after = counts();
			expect(after.rejected - before.rejected).toBe(1);
			expect(after.problems).toContain('POST /v1/customers: Invalid name: must be at most 256 characters');
			expect(fake.store.all('customer')).toHaveLength(0);
		});

		it('tells endpoints the spec documents but the fake does not serve from unknown URLs', async () => {
			const get = async (p: string) => ((await (await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as any).error.message;
			expect(await get('/v1/coupons')).toContain('(the Stripe sandbox does not implement this endpoint)');
			expect(await get('/v1/nothing')).not.toContain('does not implement');
		});
	});
});
