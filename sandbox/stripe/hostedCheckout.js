// @ts-check
'use strict';

const { StripeFakeError } = require('./errors');
const { createCheckoutPayments } = require('./checkoutPayments');

/**
 * The sandbox routes that stand in for Stripe's hosted pages and Dashboard (no auth, not logged, never faulted):
 *   GET  /__sandbox/checkout/pay/{session}             the session's `url`: a page with one button per outcome
 *   POST /__sandbox/checkout/sessions/{session}/pay    `{ outcome?: 'success' | 'async' | 'soft_decline' | 'hard_decline'
 *                                                     | 'expire', card?, email?, name? }` → the session, or Stripe's
 *                                                     402 card error (a form post from the page redirects instead)
 *   POST /__sandbox/checkout/sessions/{session}/settle `{ result: 'succeeded' | 'failed' }` (an `async` payment)
 *   POST /__sandbox/stripe/webhook-endpoints          `{ url, secret?, enabledEvents? }` → 201 the endpoint with its secret
 *   GET  /__sandbox/stripe/webhook-endpoints          endpoints (no secrets) and every delivery with its attempts
 *   DELETE /__sandbox/stripe/webhook-endpoints/{id}
 */

/** @param {string} text */
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * @param {ReturnType<typeof import('../core/server').createSandboxServer>} app
 * @param {import('./store').StripeStore} store
 * @param {{ emit: import('./checkout').Emit, webhooks: ReturnType<typeof import('./webhookEndpoints').createWebhookDispatcher> }} context
 */
function registerHostedCheckout(app, store, context) {
	const payments = createCheckoutPayments(store, context.emit);
	/** @param {() => any} work */
	const answer = (work) => {
		try {
			return { body: JSON.parse(JSON.stringify(work())) };
		} catch (error) {
			if (error instanceof StripeFakeError) return error.toResponse();
			return { status: /** @type {any} */ (error).status || 500, body: { error: { type: 'api_error', message: error instanceof Error ? error.message : String(error) } } };
		}
	};

	app.route('GET', '/__sandbox/checkout/pay/{session}', (req) => {
		const session = store.find('checkout.session', req.params.session);
		if (!session) return { status: 404, headers: { 'Content-Type': 'text/html' }, body: '<h1>No such Checkout Session</h1>' };
		const action = `/__sandbox/checkout/sessions/${encodeURIComponent(session.id)}/pay`;
		const buttons = ['success', 'async', 'soft_decline', 'hard_decline', 'expire']
			.map((outcome) => `<form method="post" action="${action}"><input type="hidden" name="outcome" value="${outcome}"><button>${outcome}</button></form>`)
			.join('\n');
		const amount = `${(session.amount_total / 100).toFixed(2)} ${String(session.currency).toUpperCase()}`;
		return { headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: `<!doctype html><title>Sandbox Checkout</title><h1>Sandbox Checkout</h1><p>${escapeHtml(session.id)}: ${session.status}, ${amount} due today</p>\n${buttons}` };
	});
	app.route('POST', '/__sandbox/checkout/sessions/{session}/pay', (req) => {
		const input = /** @type {any} */ (req.body) || {};
		const response = answer(() => payments.pay(req.params.session, input));
		const fromPage = String(req.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded');
		const session = store.find('checkout.session', req.params.session);
		if (fromPage && session) {
			const target = session.status === 'complete' ? session.success_url : session.status === 'expired' ? session.cancel_url : null;
			if (target) return { status: 303, headers: { Location: String(target).replace('{CHECKOUT_SESSION_ID}', session.id) }, body: '' };
		}
		return response;
	});
	app.route('POST', '/__sandbox/checkout/sessions/{session}/settle', (req) => answer(() => payments.settle(req.params.session, /** @type {any} */ (req.body)?.result)));
	app.route('POST', '/__sandbox/stripe/webhook-endpoints', (req) => {
		const response = answer(() => context.webhooks.add(/** @type {any} */ (req.body)));
		return { ...response, status: /** @type {any} */ (response).status ?? 201 };
	});
	app.route('GET', '/__sandbox/stripe/webhook-endpoints', () => ({ body: { endpoints: context.webhooks.list(), deliveries: context.webhooks.deliveries() } }));
	app.route('DELETE', '/__sandbox/stripe/webhook-endpoints/{id}', (req) => (context.webhooks.remove(req.params.id) ? { status: 200, body: { id: req.params.id, deleted: true } } : { status: 404, body: { error: { type: 'invalid_request_error', message: `No such webhook endpoint: '${req.params.id}'` } } }));
	return payments;
}

module.exports = { registerHostedCheckout };
