import { classifyDecline, classifyPaymentDecline, HARD_DECLINE_MESSAGE, SOFT_DECLINE_MESSAGE } from '../declines';

/** Seed 004's wording, copied here so a change to the constant is caught. */
const SEED_HARD_MESSAGE = 'Your payment could not be processed. Please check your card details or try a different card.';

describe('classifyPaymentDecline', () => {
	it('uses the seed wording for hard declines', () => {
		expect(HARD_DECLINE_MESSAGE).toBe(SEED_HARD_MESSAGE);
	});

	it.each([
		['do_not_try_again', 'insufficient_funds', 'hard', false],
		['try_again_later', 'stolen_card', 'soft', false],
		['confirm_card_data', 'generic_decline', 'hard', true],
	])('advice_code %s wins over decline_code %s → %s', (advice, code, severity, mustFix) => {
		const decline = classifyPaymentDecline(code, advice);
		expect(decline).toMatchObject({ severity, decidedBy: 'advice_code', customerMustFix: mustFix, retryOnce: severity === 'soft', adviceCode: advice, declineCode: code });
	});

	it.each(['lost_card', 'stolen_card', 'pickup_card', 'fraudulent', 'expired_card', 'invalid_account', 'incorrect_number', 'restricted_card'])(
		'decline_code %s without advice is hard: no retry, the seed message',
		(code) => {
			expect(classifyPaymentDecline(code)).toEqual(
				expect.objectContaining({ severity: 'hard', retryOnce: false, decidedBy: 'decline_code', customerMessage: SEED_HARD_MESSAGE, messageIfRetryFails: SEED_HARD_MESSAGE }),
			);
		},
	);

	it.each(['insufficient_funds', 'try_again_later', 'processing_error', 'do_not_honor', 'generic_decline', 'issuer_not_available'])(
		'decline_code %s without advice is soft: retry once, then the seed message',
		(code) => {
			expect(classifyPaymentDecline(code, null)).toEqual(
				expect.objectContaining({ severity: 'soft', retryOnce: true, decidedBy: 'decline_code', customerMessage: SOFT_DECLINE_MESSAGE, messageIfRetryFails: SEED_HARD_MESSAGE }),
			);
		},
	);

	it('treats an unknown or missing code as hard (no blind retry) and normalizes case', () => {
		expect(classifyPaymentDecline('something_new')).toMatchObject({ severity: 'hard', retryOnce: false, decidedBy: 'unknown' });
		expect(classifyPaymentDecline(undefined, undefined)).toMatchObject({ severity: 'hard', declineCode: null, adviceCode: null, decidedBy: 'unknown' });
		expect(classifyPaymentDecline(' Insufficient_Funds ')).toMatchObject({ severity: 'soft', declineCode: 'insufficient_funds' });
		expect(classifyPaymentDecline('stolen_card', 'unheard_of_advice')).toMatchObject({ severity: 'hard', decidedBy: 'decline_code' });
	});

	it('carries the existing finer class, which keeps its behaviour', () => {
		expect(classifyPaymentDecline('insufficient_funds').declineClass).toBe(classifyDecline('insufficient_funds'));
		expect(classifyDecline('insufficient_funds')).toBe('customer_action');
		expect(classifyPaymentDecline('processing_error').declineClass).toBe('retry_later');
		expect(classifyPaymentDecline('lost_card').declineClass).toBe('never_retry');
	});
});
