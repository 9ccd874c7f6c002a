/**
 * Card decline classification, from Stripe's documented decline codes
 * (https://docs.stripe.com/declines/codes) and issuer advice codes
 * (https://docs.stripe.com/declines/card#retrying-issuer-declines).
 * Workflows branch on the class: retry the charge later, ask the customer to act, or stop for good.
 */
export type DeclineClass = 'retry_later' | 'customer_action' | 'never_retry';

/** Temporary issuer or network trouble: the same card may succeed on a later attempt. */
const RETRY_LATER = new Set([
	'approve_with_id',
	'issuer_not_available',
	'processing_error',
	'reenter_transaction',
	'try_again_later',
]);

/** Card reported lost/stolen, fraud, or the issuer forbids retries: card networks penalise repeated attempts. */
const NEVER_RETRY = new Set([
	'do_not_try_again',
	'duplicate_transaction',
	'fraudulent',
	'lost_card',
	'merchant_blacklist',
	'pickup_card',
	'restricted_card',
	'revocation_of_all_authorizations',
	'revocation_of_authorization',
	'stolen_card',
	'stop_payment_order',
	'testmode_decline',
	'live_mode_test_card',
]);

/**
 * Everything the customer can fix: funds, wrong card data, expired card, authentication, or a call to
 * their issuer. Listed so the classifier's coverage is explicit; unknown codes also land here.
 */
const CUSTOMER_ACTION = new Set([
	'authentication_required',
	'call_issuer',
	'card_not_supported',
	'card_velocity_exceeded',
	'currency_not_supported',
	'do_not_honor',
	'expired_card',
	'generic_decline',
	'incorrect_cvc',
	'incorrect_number',
	'incorrect_pin',
	'incorrect_zip',
	'insufficient_funds',
	'invalid_account',
	'invalid_amount',
	'invalid_cvc',
	'invalid_expiry_month',
	'invalid_expiry_year',
	'invalid_number',
	'invalid_pin',
	'mobile_device_authentication_required',
	'new_account_information_available',
	'no_action_taken',
	'not_permitted',
	'offline_pin_required',
	'online_or_offline_pin_required',
	'pin_try_exceeded',
	'security_violation',
	'service_not_allowed',
	'transaction_not_allowed',
	'withdrawal_count_limit_exceeded',
]);

/** Issuer advice (newer API versions) is more specific than the decline code, so it wins when present. */
const ADVICE: Record<string, DeclineClass> = {
	try_again_later: 'retry_later',
	do_not_try_again: 'never_retry',
	confirm_card_data: 'customer_action',
};

/**
 * Classifies a card decline. `declineCode` is Stripe's `decline_code` (or the error `code` when the
 * issuer gave none); `adviceCode` is Stripe's `advice_code`. Unknown codes ask the customer to act,
 * the conservative choice: no blind retries, no silent give-up.
 */
export function classifyDecline(declineCode?: string | null, adviceCode?: string | null): DeclineClass {
	if (adviceCode && ADVICE[adviceCode]) return ADVICE[adviceCode];
	const code = (declineCode ?? '').trim().toLowerCase();
	if (RETRY_LATER.has(code)) return 'retry_later';
	if (NEVER_RETRY.has(code)) return 'never_retry';
	if (CUSTOMER_ACTION.has(code)) return 'customer_action';
	return 'customer_action';
}

/** The documented codes per class (for docs and tests). */
export const DECLINE_CODES: Readonly<Record<DeclineClass, readonly string[]>> = {
	retry_later: [...RETRY_LATER],
	customer_action: [...CUSTOMER_ACTION],
	never_retry: [...NEVER_RETRY],
};

/** Seed 004's wording for a definitive failure (and for a soft decline once its one retry failed too). */
export const HARD_DECLINE_MESSAGE = 'Your payment could not be processed. Please check your card details or try a different card.';
/** Shown for a temporary decline while its one retry is still allowed (seed 004 gives no wording for this case). */
export const SOFT_DECLINE_MESSAGE = 'Your payment could not be completed right now. Please try again.';

/** Declines that will not succeed on the same card as entered: retrying only draws card-network penalties. */
const HARD_DECLINE_CODES = new Set([
	...NEVER_RETRY,
	'card_not_supported',
	'currency_not_supported',
	'expired_card',
	'incorrect_cvc',
	'incorrect_number',
	'incorrect_pin',
	'incorrect_zip',
	'invalid_account',
	'invalid_amount',
	'invalid_cvc',
	'invalid_expiry_month',
	'invalid_expiry_year',
	'invalid_number',
	'invalid_pin',
	'new_account_information_available',
	'not_permitted',
	'pin_try_exceeded',
	'security_violation',
	'service_not_allowed',
	'transaction_not_allowed',
]);

/** Temporary declines: the issuer may approve the same card shortly (Stripe calls these soft declines). */
const SOFT_DECLINE_CODES = new Set([
	...RETRY_LATER,
	'call_issuer',
	'card_velocity_exceeded',
	'do_not_honor',
	'generic_decline',
	'insufficient_funds',
	'withdrawal_count_limit_exceeded',
]);

export interface PaymentDecline {
	/** hard: stop and ask for other card details; soft: the same card may pass on one more try. */
	severity: 'hard' | 'soft';
	/** Seed 004: a soft decline may be retried once before the hard-decline message is shown. */
	retryOnce: boolean;
	/** The issuer asked the customer to correct the card data (advice `confirm_card_data`). */
	customerMustFix: boolean;
	/** Which signal decided: the issuer's advice code, the decline code, or neither (unknown code). */
	decidedBy: 'advice_code' | 'decline_code' | 'unknown';
	declineCode: string | null;
	adviceCode: string | null;
	/** What to show the customer now. */
	customerMessage: string;
	/** What to show when the allowed retry fails as well. */
	messageIfRetryFails: string;
	/** The finer classification (retry_later / customer_action / never_retry) for dunning workflows. */
	declineClass: DeclineClass;
}

/**
 * Hard or soft, from Stripe's `advice_code` when the issuer gave one (do_not_try_again hard, try_again_later soft,
 * confirm_card_data hard and the customer must fix the data), else from `decline_code`. An unknown code counts as
 * hard: one blind retry on a card the issuer refused for good is what card networks penalise.
 */
export function classifyPaymentDecline(declineCode?: string | null, adviceCode?: string | null): PaymentDecline {
	const code = (declineCode ?? '').trim().toLowerCase() || null;
	const advice = (adviceCode ?? '').trim().toLowerCase() || null;
	let severity: 'hard' | 'soft' = 'hard';
	let decidedBy: PaymentDecline['decidedBy'] = 'unknown';
	if (advice && ADVICE[advice]) {
		severity = advice === 'try_again_later' ? 'soft' : 'hard';
		decidedBy = 'advice_code';
	} else if (code && SOFT_DECLINE_CODES.has(code)) {
		severity = 'soft';
		decidedBy = 'decline_code';
	} else if (code && HARD_DECLINE_CODES.has(code)) {
		decidedBy = 'decline_code';
	}
	const soft = severity === 'soft';
	return {
		severity,
		retryOnce: soft,
		customerMustFix: advice === 'confirm_card_data',
		decidedBy,
		declineCode: code,
		adviceCode: advice,
		customerMessage: soft ? SOFT_DECLINE_MESSAGE : HARD_DECLINE_MESSAGE,
		messageIfRetryFails: HARD_DECLINE_MESSAGE,
		declineClass: classifyDecline(code, advice),
	};
}
