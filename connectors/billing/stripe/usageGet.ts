import type Stripe from 'stripe';
import { ConnectorError, parseInput, validationError, z } from '../../core';
import type { StripeBillingClient } from './client';
import { VENDOR } from './errors';
import { meterEventNameSchema } from './meterEvents';
import { customerIdSchema } from './schemas';

const timeSchema = z.union([z.number().int(), z.string().datetime({ offset: true })], { errorMap: () => ({ message: 'Unix seconds or an ISO date-time' }) });

export const getUsageInput = z.object({
	customerId: customerIdSchema,
	/** The meter is the one recording this event name. */
	eventName: meterEventNameSchema,
	/** From (inclusive), e.g. the start of the billing period. */
	startTime: timeSchema,
	/** Until (exclusive); default now. */
	endTime: timeSchema.optional(),
});
export type GetUsageInput = z.input<typeof getUsageInput>;

export interface UsageResult {
	customerId: string;
	eventName: string;
	meterId: string;
	/** How the meter aggregates (sum, count, last). */
	aggregation: string;
	/** The window asked for, widened to whole minutes as Stripe requires. */
	startTime: string;
	endTime: string;
	total: number;
}

/** How long an event name → meter answer is reused; meters are created and renamed rarely. */
export const METER_CACHE_TTL_MS = 10 * 60_000;

/**
 * The customer's usage so far on the meter recording `eventName`: one summary over the whole window (Stripe
 * processes meter events asynchronously, so the newest few may not be counted yet).
 */
export async function getUsage(client: StripeBillingClient, input: GetUsageInput, now = Date.now()): Promise<UsageResult> {
	const data = parseInput(getUsageInput, input, 'usage', VENDOR);
	// Stripe requires minute-aligned bounds: widen outwards so no reported usage is left out.
	const start = Math.floor(toSeconds(data.startTime) / 60) * 60;
	const end = Math.ceil(toSeconds(data.endTime ?? Math.floor(now / 1000)) / 60) * 60;
	if (start >= end) throw validationError('usage.startTime', 'a start before the end time', data.startTime, VENDOR);

	const meter = await meterFor(client, data.eventName);
	const summaries = await client.read((stripe) =>
		stripe.billing.meters.listEventSummaries(meter.id, { customer: data.customerId, start_time: start, end_time: end, limit: 100 }).autoPagingToArray({ limit: 10_000 }),
	);
	return {
		customerId: data.customerId,
		eventName: data.eventName,
		meterId: meter.id,
		aggregation: meter.default_aggregation?.formula ?? 'sum',
		startTime: new Date(start * 1000).toISOString(),
		endTime: new Date(end * 1000).toISOString(),
		total: summaries.reduce((sum, summary) => sum + summary.aggregated_value, 0),
	};
}

function toSeconds(time: number | string): number {
	return typeof time === 'number' ? time : Math.floor(Date.parse(time) / 1000);
}

/** The active meter with this event name, from the account's meters (cached per credential). */
async function meterFor(client: StripeBillingClient, eventName: string): Promise<Stripe.Billing.Meter> {
	const cacheKey = `${client.accountKey}:meter:${eventName}`;
	const cached = await client.cache.get<Stripe.Billing.Meter>(cacheKey);
	if (cached) return cached;
	const meters = await client.read((stripe) => stripe.billing.meters.list({ status: 'active', limit: 100 }).autoPagingToArray({ limit: 1_000 }));
	const meter = meters.find((candidate) => candidate.event_name === eventName);
	if (!meter) {
		throw new ConnectorError('not_found', `No active Stripe billing meter records the event "${eventName}"`, {
			vendor: VENDOR,
			field: 'usage.eventName',
			expected: 'the event_name of an active Stripe billing meter',
		});
	}
	const { id, event_name, default_aggregation, status } = meter;
	const stored = { id, event_name, default_aggregation, status } as Stripe.Billing.Meter;
	await client.cache.set(cacheKey, stored, METER_CACHE_TTL_MS);
	return stored;
}
