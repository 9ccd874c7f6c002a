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
