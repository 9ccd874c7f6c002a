import { idempotencyKey, parseInput, sha256Hex, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { customerIdSchema } from './schemas';

export const METER_EVENT_STEP = 'billing.meter_event.create';

/** Stripe accepts meter events from up to 35 days back and up to 5 minutes ahead. */
const MAX_AGE_SEC = 35 * 24 * 3600;
const MAX_AHEAD_SEC = 5 * 60;

export const meterEventNameSchema = z
	.string()
	.trim()
	.min(1, 'the event_name of a Stripe billing meter')
	.max(100, 'a meter event_name of at most 100 characters')
	.regex(/^[A-Za-z0-9_.:-]+$/, 'a meter event_name of letters, digits, "_", ".", ":" or "-"');

const payloadKeySchema = z.string().trim().min(1).max(100);

export const reportUsageInput = z.object({
	/** Our usage record's id: the same record always maps to the same Stripe identifier, so a repeat is not billed twice. */
	usageRecordId: z.string().trim().min(1, 'the usage record id').max(200),
	eventName: meterEventNameSchema,
	customerId: customerIdSchema,
	/** A whole, non-negative quantity (Stripe takes it as a string of digits). */
	value: z
		.union([z.number(), z.string()], { errorMap: () => ({ message: 'a non-negative whole number such as 25' }) })
		.transform((value) => String(value).trim())
		.pipe(z.string().regex(/^\d{1,15}$/, 'a non-negative whole number such as 25')),
	/** When the usage happened: Unix seconds or an ISO date-time; within the past 35 days or 5 minutes ahead. */
	timestamp: z.union([z.number().int(), z.string().datetime({ offset: true })], { errorMap: () => ({ message: 'Unix seconds or an ISO date-time' }) }).optional(),
	/** The meter's customer_mapping / value_settings payload keys, when not Stripe's defaults. */
	customerPayloadKey: payloadKeySchema.default('stripe_customer_id'),
	valuePayloadKey: payloadKeySchema.default('value'),
});
export type ReportUsageInput = z.input<typeof reportUsageInput>;

export interface ReportUsageResult {
	identifier: string;
	eventName: string;
	customerId: string;
	value: string;
	timestamp: string;
	/** False when Stripe answered with the event it had already stored for this usage record. */
	created: boolean;
}

/** Stripe's dedupe identifier for a usage record (at most 100 characters, readable prefix, stable hash). */
export function meterEventIdentifier(eventName: string, usageRecordId: string): string {
	const readable = usageRecordId.trim().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
	return `q2c-${readable}-${sha256Hex(`${eventName}\u0000${usageRecordId.trim()}`).slice(0, 32)}`;
}

/**
 * Reports usage to a billing meter. Every repeat for the same usage record sends the same `identifier` (Stripe
 * dedupes on it) and the same idempotency key (a retried request replays its answer).
 */
export async function reportUsage(client: StripeBillingClient, input: ReportUsageInput, now = Date.now()): Promise<ReportUsageResult> {
	const data = parseInput(reportUsageInput, input, 'usage', VENDOR);
	const timestamp = toUnixSeconds(data.timestamp, now);
	const value = String(Number(data.value));
	const identifier = meterEventIdentifier(data.eventName, data.usageRecordId);
	const key = idempotencyKey(data.usageRecordId, `${METER_EVENT_STEP}.${data.eventName}`);
	const event = await client.write(key, (stripe, options) =>
		stripe.billing.meterEvents.create(
			{
				event_name: data.eventName,
				identifier,
				...(timestamp === undefined ? {} : { timestamp }),
				payload: { [data.customerPayloadKey]: data.customerId, [data.valuePayloadKey]: value },
			},
			options,
		),
	);
	return {
		identifier: event.identifier,
		eventName: event.event_name,
		customerId: data.customerId,
		value,
		timestamp: new Date(event.timestamp * 1000).toISOString(),
		created: event.lastResponse?.headers?.['idempotent-replayed'] !== 'true',
	};
}

/** Unix seconds within Stripe's accepted window; undefined lets Stripe stamp its receive time (and keeps repeats identical). */
function toUnixSeconds(timestamp: number | string | undefined, now: number): number | undefined {
	if (timestamp === undefined) return undefined;
	const nowSec = Math.floor(now / 1000);
	const seconds = typeof timestamp === 'number' ? timestamp : Math.floor(Date.parse(timestamp) / 1000);
	if (seconds < nowSec - MAX_AGE_SEC || seconds > nowSec + MAX_AHEAD_SEC) {
		throw validationError('usage.timestamp', 'a time within the past 35 days and at most 5 minutes ahead', timestamp, VENDOR);
	}
	return seconds;
}
