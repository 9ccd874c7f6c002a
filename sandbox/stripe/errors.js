// @ts-check
'use strict';

/**
 * Stripe's error shape: `{ error: { type, message, param?, code?, doc_url? } }`.
 * @typedef {{ type?: string, message: string, param?: string, code?: string, decline_code?: string, advice_code?: string, charge?: string, payment_intent?: unknown }} StripeErrorFields
 */

class StripeFakeError extends Error {
	/**
	 * @param {number} status
	 * @param {StripeErrorFields} fields
	 */
	constructor(status, fields) {
		super(fields.message);
		this.status = status;
		this.fields = { type: 'invalid_request_error', ...fields };
		/** @type {Record<string, string> | undefined} extra response headers (`Stripe-Should-Retry`) */
		this.headers = undefined;
	}

	toResponse() {
		/** @type {Record<string, unknown>} */
		const error = { ...this.fields };
		if (error.code) error.doc_url = `https://stripe.com/docs/error-codes/${String(error.code).replace(/_/g, '-')}`;
		return { status: this.status, body: { error }, ...(this.headers ? { headers: this.headers } : {}) };
	}
}

/**
 * @param {number} status
 * @param {StripeErrorFields} fields
 */
function stripeError(status, fields) {
	return new StripeFakeError(status, fields);
}

/** Body for an injected fault, shaped like Stripe's. @param {number} status */
function faultBody(status) {
	if (status === 429) {
		return { error: { type: 'rate_limit_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' } };
	}
	if (status >= 500) return { error: { type: 'api_error', message: 'An unknown error occurred (injected by the sandbox).' } };
	if (status === 401) return { error: { type: 'invalid_request_error', message: 'Invalid API Key provided (injected by the sandbox).' } };
	return { error: { type: 'invalid_request_error', message: `Injected error ${status}.` } };
}

module.exports = { StripeFakeError, stripeError, faultBody };
