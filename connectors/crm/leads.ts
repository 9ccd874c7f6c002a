/**
 * What both CRMs' lead operations share: input checks and the `touched` rule (documented on LeadTouchOptions).
 */
import { isoDateTimeSchema, parseInput, validationError, z } from '../core';
import type { CrmLeadFilter, CrmLeadInput, LeadTouchOptions } from './types';

export const DEFAULT_SALESFORCE_INITIAL_STATUSES: readonly string[] = ['Open - Not Contacted'];
export const DEFAULT_HUBSPOT_INITIAL_STATUSES: readonly string[] = ['NEW'];
export const DEFAULT_FOUND_LEADS = 100;
export const MAX_FOUND_LEADS = 200;

/** Optional text; blank means "not given" (forms send empty strings). */
const text = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.optional()
		.transform((value) => (value === '' ? undefined : value));

const leadInputSchema = z.object({
	email: z.string().trim().toLowerCase().max(80).email('an email address such as ada@acme.com'),
	firstName: text(40),
	lastName: text(80),
	company: text(255),
	country: text(80),
	state: text(80),
	ownerId: text(40),
	status: text(255),
	source: text(255),
	properties: z.record(z.unknown(), { invalid_type_error: 'an object of field names to values' }).optional(),
});

export type LeadInput = z.output<typeof leadInputSchema>;

export function parseLeadInput(input: CrmLeadInput, vendor: string): LeadInput {
	return parseInput(leadInputSchema, input, 'lead', vendor);
}

const touchSchema = z
	.object({
		assignedAt: isoDateTimeSchema.optional(),
		initialStatuses: z.array(z.string().trim().max(255)).max(50).optional(),
	})
	.default({});

export function parseTouchOptions(options: LeadTouchOptions | undefined, vendor: string): LeadTouchOptions {
	const parsed = parseInput(touchSchema, options, 'options', vendor);
	return { assignedAt: parsed.assignedAt, initialStatuses: parsed.initialStatuses };
}

const filterSchema = z.object({
	email: z.string().trim().toLowerCase().max(80).email('an email address such as ada@acme.com').optional(),
	updatedSince: isoDateTimeSchema.optional(),
	limit: z.number().int().min(1).max(MAX_FOUND_LEADS).default(DEFAULT_FOUND_LEADS),
	assignedAt: isoDateTimeSchema.optional(),
	initialStatuses: z.array(z.string().trim().max(255)).max(50).optional(),
});

export type LeadFilter = z.output<typeof filterSchema>;

export function parseLeadFilter(filter: CrmLeadFilter, vendor: string): LeadFilter {
	const parsed = parseInput(filterSchema, filter, 'filter', vendor);
	if (parsed.email === undefined && parsed.updatedSince === undefined) {
		throw validationError('filter', 'an email, an updatedSince date-time, or both', filter, vendor);
	}
	return parsed;
}

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The rule on LeadTouchOptions: status past the initial ones, or an activity at/after the assignment. */
export function leadTouched(status: string | undefined, lastActivityAt: string | undefined, assignedAt: string | undefined, initialStatuses: readonly string[]): boolean {
	const normal = (value: string) => value.trim().toLowerCase();
	if (status !== undefined && status.trim() !== '' && !initialStatuses.some((initial) => normal(initial) === normal(status))) return true;
	if (lastActivityAt === undefined) return false;
	if (assignedAt === undefined) return true;
	const assigned = Date.parse(assignedAt);
	if (DAY_ONLY.test(lastActivityAt)) return lastActivityAt >= new Date(assigned).toISOString().slice(0, 10);
	return Date.parse(lastActivityAt) >= assigned;
}

/** The later of two ISO timestamps (either may be missing). */
export function latest(a: string | undefined, b: string | undefined): string | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** The object without its undefined values, so outputs only carry what the CRM holds. */
export function compact<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
