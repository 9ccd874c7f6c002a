import { ConnectorError } from '../../core';
import { VENDOR } from './errors';

export interface ApiUsage {
	used: number;
	max: number;
}

/** Above this share of the daily limit, every call waits a little so a busy workflow slows down first. */
export const THROTTLE_FROM = 0.8;
/** The wait just before the reserve is reached; smaller waits nearer THROTTLE_FROM. */
export const MAX_THROTTLE_MS = 2_000;

/** Last usage seen per org, shared by every connector instance in the process (one daily budget per org). */
const usageByOrg = new Map<string, ApiUsage>();

/** Parses `Sforce-Limit-Info: api-usage=N/M` (the org's budget, not `per-app-api-usage`). */
export function parseLimitInfo(header: string | undefined): ApiUsage | undefined {
	const match = /(?:^|[\s;,])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
	if (!match) return undefined;
	const max = Number(match[2]);
	return max > 0 ? { used: Number(match[1]), max } : undefined;
}

export function recordUsage(orgKey: string, header: string | undefined): void {
	const usage = parseLimitInfo(header);
	if (usage) usageByOrg.set(orgKey, usage);
}

/** Refuses before sending when the call would eat into the reserve kept for other integrations. */
export function assertWithinReserve(orgKey: string, reserve: number): void {
	const usage = usageByOrg.get(orgKey);
	if (!usage || usage.used < (1 - reserve) * usage.max) return;
	throw new ConnectorError(
		'rate_limited',
		`Salesforce daily API usage is ${usage.used}/${usage.max}; the last ${Math.round(reserve * 100)} % is kept in reserve, so this call was not sent`,
		{ vendor: VENDOR, code: 'daily_limit_reserve', details: { used: usage.used, max: usage.max, reserve } },
	);
}

/** Milliseconds to wait before the next call: 0 up to 80 % usage, then growing with usage up to MAX_THROTTLE_MS. */
export function throttleDelay(orgKey: string, reserve: number): number {
	const usage = usageByOrg.get(orgKey);
	if (!usage) return 0;
	const ratio = usage.used / usage.max;
	if (ratio <= THROTTLE_FROM) return 0;
	const ceiling = Math.max(1 - reserve, THROTTLE_FROM + 0.01);
	return Math.round(MAX_THROTTLE_MS * Math.min(1, (ratio - THROTTLE_FROM) / (ceiling - THROTTLE_FROM)));
}
