import Stripe from 'stripe';
import { ConnectorError } from '../../../core';
import { classifyDecline, DECLINE_CODES } from '../declines';
import { mapStripeError } from '../errors';

const generate = (raw: Record<string, unknown>) => Stripe.errors.StripeError.generate(raw as never);

describe('mapStripeError', () => {
	it('maps a card decline to permanent with its decline class', () => {
		const error = mapStripeError(
			generate({ statusCode: 402, type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', charge: 'ch_1' }),
		);
		expect(error.kind).toBe('permanent');
		expect(error.status).toBe(402);
		expect(error.code).toBe('insufficient_funds');
		expect(error.details).toMatchObject({ declineClass: 'customer_action', declineCode: 'insufficient_funds', chargeId: 'ch_1' });
		expect(error.message).toMatch(/insufficient_funds, customer_action/);
	});

	it('falls back to the error code when a card error has no decline_code', () => {
		const error = mapStripeError(generate({ statusCode: 402, type: 'card_error', code: 'processing_error', message: 'An error occurred' }));
		expect(error.details).toMatchObject({ declineClass: 'retry_later', declineCode: 'processing_error' });
	});

	it('maps invalid_request_error with param to a validation error naming the field', () => {
		const error = mapStripeError(generate({ statusCode: 400, type: 'invalid_request_error', param: 'items[0][price]', message: 'No such price' }));
		expect(error).toMatchObject({ kind: 'validation', field: 'items[0][price]', status: 400 });
		expect(error.message).toContain('items[0][price]');
	});

	it('maps resource_missing to not_found and other invalid requests to permanent', () => {
		expect(mapStripeError(generate({ statusCode: 404, type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: 'No such subscription' })).kind).toBe('not_found');
		expect(mapStripeError(generate({ statusCode: 400, type: 'invalid_request_error', message: 'This customer has no attached payment source' })).kind).toBe('permanent');
	});

	it('maps idempotency_error to conflict', () => {
		const error = mapStripeError(generate({ statusCode: 400, type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters' }));
		expect(error.kind).toBe('conflict');
		expect(error.code).toBe('idempotency_error');
	});

	it('maps auth, permission, rate limit and connection errors', () => {
		expect(mapStripeError(generate({ statusCode: 401, type: 'invalid_request_error', message: 'bad key' })).kind).toBe('auth');
		expect(mapStripeError(generate({ statusCode: 403, type: 'invalid_request_error', message: 'restricted key' })).kind).toBe('auth');
		const limited = mapStripeError(generate({ statusCode: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '3' } }));
		expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
		expect(mapStripeError(new Stripe.errors.StripeConnectionError({ message: 'socket hang up' } as never)).kind).toBe('transient');
	});

	it('maps 5xx and unparseable responses to transient, 409 lock timeouts asked to retry to transient', () => {
		expect(mapStripeError(generate({ statusCode: 502, type: 'api_error', message: 'bad gateway' })).kind).toBe('transient');
		expect(mapStripeError(new Stripe.errors.StripeAPIError({ message: 'Invalid JSON received from the Stripe API' } as never)).kind).toBe('transient');
		const lock = mapStripeError(generate({ statusCode: 409, type: 'api_error', code: 'lock_timeout', message: 'locked', headers: { 'stripe-should-retry': 'true' } }));
		expect(lock.kind).toBe('transient');
	});

	it('maps non-Stripe errors: network codes transient, others permanent; ConnectorErrors pass through', () => {
		expect(mapStripeError(Object.assign(new Error('reset'), { code: 'ETIMEDOUT' })).kind).toBe('transient');
		expect(mapStripeError(new Error('weird')).kind).toBe('permanent');
		expect(mapStripeError('text').kind).toBe('permanent');
		const original = new ConnectorError('conflict', 'x');
		expect(mapStripeError(original)).toBe(original);
	});
});

describe('classifyDecline', () => {
	it.each([
		['insufficient_funds', 'customer_action'],
		['expired_card', 'customer_action'],
		['incorrect_cvc', 'customer_action'],
		['authentication_required', 'customer_action'],
		['generic_decline', 'customer_action'],
		['processing_error', 'retry_later'],
		['issuer_not_available', 'retry_later'],
		['try_again_later', 'retry_later'],
		['approve_with_id', 'retry_later'],
		['fraudulent', 'never_retry'],
		['stolen_card', 'never_retry'],
		['lost_card', 'never_retry'],
		['pickup_card', 'never_retry'],
		['do_not_try_again', 'never_retry'],
		['revocation_of_authorization', 'never_retry'],
	])('%s → %s', (code, expected) => {
		expect(classifyDecline(code)).toBe(expected);
	});

	it('lets issuer advice override the decline code, and sends unknown codes to the customer', () => {
		expect(classifyDecline('generic_decline', 'do_not_try_again')).toBe('never_retry');
		expect(classifyDecline('do_not_honor', 'try_again_later')).toBe('retry_later');
		expect(classifyDecline('insufficient_funds', 'unknown_advice')).toBe('customer_action');
		expect(classifyDecline('brand_new_code')).toBe('customer_action');
		expect(classifyDecline(undefined)).toBe('customer_action');
		expect(classifyDecline('  STOLEN_CARD ')).toBe('never_retry');
	});

	it('keeps the three classes disjoint', () => {
		const all = [...DECLINE_CODES.retry_later, ...DECLINE_CODES.customer_action, ...DECLINE_CODES.never_retry];
		expect(new Set(all).size).toBe(all.length);
	});
});
