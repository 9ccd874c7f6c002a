import type Redis from 'ioredis';
import { backendError, idempotencyKey, parseInput, sha256Hex } from '../core';
import { type RiskEvent, riskEventSchema, type StreamOptions, streamOptionsSchema } from './schemas';

export interface PublishResult {
	stream: string;
	/** The stream entry id (`<ms>-<seq>`). */
	entryId: string;
	/** False when this idempotency key had already been published: the first entry's id is returned. */
	published: boolean;
	idempotencyKey: string;
	businessKey: string;
	step: string;
}

/**
 * XADD and its idempotency mark in one Lua script (atomic on the server): two workers publishing the same
 * business key + step add one entry. KEYS: stream, mark. ARGV: maxLength, ttl seconds, then field/value pairs.
 */
const PUBLISH_ONCE = `
local existing = redis.call('GET', KEYS[2])
if existing then return {existing, 0} end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
redis.call('SET', KEYS[2], id, 'EX', ARGV[2])
return {id, 1}
`;

/** Flat field/value pairs for the entry; `details` as JSON so the consumer gets types back. */
export function riskFields(event: RiskEvent, key: string, publishedAt: Date): string[] {
	return [
		'businessKey', event.businessKey,
		'step', event.step,
		'severity', event.severity,
		'reason', event.reason,
		'customer', event.customer ?? '',
		'details', JSON.stringify(event.details ?? {}),
		'idempotencyKey', key,
		'publishedAt', publishedAt.toISOString(),
	];
}

/** Publishes a risk to a Redis Stream (the real-time reporting queue), once per business key + step. */
export async function publishRisk(client: Redis, input: RiskEvent, options: StreamOptions): Promise<PublishResult> {
	const event = parseInput(riskEventSchema, input, 'risk');
	const { stream, maxLength, dedupeSeconds } = parseInput(streamOptionsSchema, options, 'stream');
	const key = idempotencyKey(event.businessKey, `reporting.risk.${event.step}`);
	const mark = `${stream}:published:${sha256Hex(key).slice(0, 32)}`;
	try {
		const [entryId, added] = (await client.eval(PUBLISH_ONCE, 2, stream, mark, String(maxLength), String(dedupeSeconds), ...riskFields(event, key, new Date()))) as [string, number];
		return { stream, entryId, published: added === 1, idempotencyKey: key, businessKey: event.businessKey, step: event.step };
	} catch (error) {
		throw backendError('The reporting queue (Redis)', error);
	}
}

export interface RiskEntry extends Omit<RiskEvent, 'details'> {
	entryId: string;
	details: Record<string, unknown>;
	idempotencyKey: string;
	publishedAt: string;
}

/** An XREAD/XRANGE entry's field list back as an object. */
export function parseRiskEntry(entryId: string, fields: string[]): RiskEntry {
	const record: Record<string, string> = {};
	for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]] = fields[i + 1];
	let details: Record<string, unknown> = {};
	try {
		details = JSON.parse(record.details ?? '{}');
	} catch {
		// a producer other than ours wrote plain text: keep it readable
		details = { raw: record.details };
	}
	return {
		entryId,
		businessKey: record.businessKey,
		step: record.step,
		severity: record.severity as RiskEvent['severity'],
		reason: record.reason,
		...(record.customer ? { customer: record.customer } : {}),
		details,
		idempotencyKey: record.idempotencyKey,
		publishedAt: record.publishedAt,
	};
}

/** A consumer's read: entries after `afterId` (`0` = from the start), waiting up to `blockMs` for the first. */
export async function readRisks(client: Redis, stream: string, afterId = '0', options: { count?: number; blockMs?: number } = {}): Promise<RiskEntry[]> {
	try {
		const args: Array<string | number> = ['COUNT', options.count ?? 100];
		if (options.blockMs !== undefined) args.push('BLOCK', options.blockMs);
		const answer = (await (client.xread as (...a: Array<string | number>) => Promise<unknown>)(...args, 'STREAMS', stream, afterId)) as Array<[string, Array<[string, string[]]>]> | null;
		if (!answer) return [];
		return answer.flatMap(([, entries]) => entries.map(([id, fields]) => parseRiskEntry(id, fields)));
	} catch (error) {
		throw backendError('The reporting queue (Redis)', error);
	}
}
