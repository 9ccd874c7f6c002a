import { toEnvelopeSummary, customFieldsToRecord } from './mappers';
import type { DocusignSession } from './session';
import { BUSINESS_KEY_FIELD, type EnvelopeSummary } from './types';

/** How far back DocuSign is asked for an envelope already sent for a business key. */
export const BUSINESS_KEY_LOOKBACK_DAYS = 90;
const FINISHED_UNSUCCESSFULLY = new Set(['voided', 'declined', 'deleted']);

/** ISO date `days` before now, the form DocuSign's from_date accepts. */
export function daysAgo(now: number, days: number): string {
	return new Date(now - days * 86_400_000).toISOString();
}

/**
 * The live envelope (not voided/declined) already carrying `businessKey`, if any. DocuSign has no
 * idempotency key, so this search is what makes envelope creation safe to repeat.
 */
export async function findEnvelopeByBusinessKey(session: DocusignSession, businessKey: string): Promise<EnvelopeSummary | undefined> {
	const result = await session.call(
		`GET envelopes for ${BUSINESS_KEY_FIELD}`,
		({ envelopes, accountId }) =>
			envelopes.listStatusChanges(accountId, {
				fromDate: daysAgo(session.now(), BUSINESS_KEY_LOOKBACK_DAYS),
				customField: `${BUSINESS_KEY_FIELD}=${businessKey}`,
				include: 'custom_fields',
				order: 'desc',
			}),
		{ idempotent: true },
	);
	const candidates = ((result?.envelopes ?? []) as unknown[]).filter((envelope) => {
		const e = envelope as { status?: string; customFields?: unknown };
		if (FINISHED_UNSUCCESSFULLY.has(String(e.status ?? '').toLowerCase())) return false;
		// Trust the server's filter, but where it returned the fields, double-check the key.
		if (e.customFields === undefined) return true;
		return customFieldsToRecord(e.customFields)[BUSINESS_KEY_FIELD] === businessKey;
	});
	return candidates.length > 0 ? toEnvelopeSummary(candidates[0]) : undefined;
}
