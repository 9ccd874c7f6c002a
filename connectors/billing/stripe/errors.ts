import Stripe from 'stripe';
import { ConnectorError, isConnectorError, kindForStatus, parseRetryAfter, type ErrorKind } from '../../core';
import { classifyDecline } from './declines';

export const VENDOR = 'stripe';

type StripeErrorLike = InstanceType<typeof Stripe.errors.StripeError>;

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Maps anything the Stripe SDK throws into the connector error taxonomy (secrets redacted by ConnectorError). */
export function mapStripeError(error: unknown): ConnectorError {
	if (isConnectorError(error)) return error;
	if (error instanceof Stripe.errors.StripeError) return fromStripeError(error);
	const code = (error as { code?: unknown })?.code;
	const message = error instanceof Error ? error.message : String(error);
	if (typeof code === 'string' && NETWORK_CODES.has(code)) {
		return new ConnectorError('transient', `Stripe could not be reached: ${message}`, { vendor: VENDOR, code, cause: error });
	}
	return new ConnectorError('permanent', `Stripe call failed: ${message}`, { vendor: VENDOR, cause: error });
}

function fromStripeError(error: StripeErrorLike): ConnectorError {
	const status = error.statusCode;
	const headers = error.headers ?? {};
	const base = { vendor: VENDOR, status, code: error.code, cause: error, details: { requestId: error.requestId } };
	const text = error.message || 'no message';

	switch (error.type) {
		case 'StripeCardError': {
			const declineCode = error.decline_code || error.code;
			const declineClass = classifyDecline(declineCode, error.advice_code);
			return new ConnectorError('permanent', `Card declined (${declineCode ?? 'unknown'}, ${declineClass}): ${text}`, {
				...base,
				code: declineCode,
				details: {
					requestId: error.requestId,
					declineClass,
					declineCode,
					adviceCode: error.advice_code,
					chargeId: error.charge,
					paymentIntentId: error.payment_intent?.id,
				},
			});
		}
		case 'StripeRateLimitError':
			return new ConnectorError('rate_limited', `Stripe rate limit reached: ${text}`, {
				...base,
				retryAfterMs: parseRetryAfter(headers['retry-after']),
			});
		case 'StripeIdempotencyError':
			return new ConnectorError(
				'conflict',
				`Stripe refused a reused idempotency key with different parameters: ${text}`,
				{ ...base, code: error.code ?? 'idempotency_error' },
			);
		case 'StripeAuthenticationError':
		case 'StripePermissionError':
			return new ConnectorError('auth', `Stripe rejected the credential: ${text}`, base);
		case 'StripeConnectionError':
			return new ConnectorError('transient', `Stripe could not be reached: ${text}`, base);
		case 'StripeInvalidRequestError':
			return fromInvalidRequest(error, base, text);
	}
	// Stripe asks for a retry of e.g. a lock timeout (409) with this header.
	if (headers['stripe-should-retry'] === 'true') return new ConnectorError('transient', `Stripe asked for a retry: ${text}`, base);
	const kind: ErrorKind = status === undefined ? 'transient' : kindForStatus(status);
	return new ConnectorError(kind, `Stripe error${status ? ` ${status}` : ''}: ${text}`, {
		...base,
		retryAfterMs: parseRetryAfter(headers['retry-after']),
	});
}

function fromInvalidRequest(
	error: StripeErrorLike,
	base: { vendor: string; status?: number; code?: string; cause: unknown; details: unknown },
	text: string,
): ConnectorError {
	if (error.code === 'resource_missing' || error.statusCode === 404) {
		return new ConnectorError('not_found', `Stripe record not found${error.param ? ` ("${error.param}")` : ''}: ${text}`, {
			...base,
			field: error.param,
		});
	}
	if (error.param) {
		return new ConnectorError('validation', `Invalid "${error.param}": ${text}`, {
			...base,
			field: error.param,
			expected: text,
		});
	}
	return new ConnectorError('permanent', `Stripe refused the request: ${text}`, base);
}
