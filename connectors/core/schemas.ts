import { defaultErrorMap, z, type ZodIssue, type ZodTooBigIssue, type ZodTooSmallIssue, type ZodType, type ZodTypeDef } from 'zod';
import { ConnectorError } from './errors';

export { z };

/** Validates `data` before any side effect; the error names the first field at fault and what was expected. */
export function parseInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, data: unknown, label = 'input', vendor?: string): T {
	const result = schema.safeParse(data);
	if (result.success) return result.data;
	throw zodToValidationError(result.error.issues, label, data, vendor);
}

export function zodToValidationError(issues: ZodIssue[], label: string, data: unknown, vendor?: string): ConnectorError {
	const issue = issues[0];
	const field = [label, ...issue.path.map(String)].filter(Boolean).join('.');
	const expected = expectedOf(issue);
	const received = valueAt(data, issue.path);
	const receivedText =
		issue.code === 'invalid_type'
			? ` (received ${issue.received})`
			: (typeof received === 'string' && received.length <= 40) || typeof received === 'number'
				? ` (received ${JSON.stringify(received)})`
				: '';
	const more = issues.length > 1 ? ` (+${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
	return new ConnectorError('validation', `Invalid "${field}": expected ${expected}${receivedText}${more}`, {
		field,
		expected,
		vendor,
		details: issues.slice(0, 10).map((i) => ({ path: [label, ...i.path.map(String)].join('.'), message: i.message })),
	});
}

function expectedOf(issue: ZodIssue): string {
	// A schema's own message is written as the expectation ("a three-letter ISO currency code").
	if (hasCustomMessage(issue)) return lowerFirst(issue.message);
	switch (issue.code) {
		case 'invalid_type':
			return issue.expected === 'undefined' ? 'no value' : `${article(issue.expected)} ${issue.expected}`;
		case 'invalid_enum_value':
			return `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
		case 'invalid_literal':
			return JSON.stringify(issue.expected);
		case 'invalid_string':
			return typeof issue.validation === 'string' && issue.validation !== 'regex' ? `a valid ${issue.validation}` : `text that ${issue.message.replace(/^Invalid( input)?:?\s*/, '') || 'matches the required format'}`;
		case 'too_small':
		case 'too_big':
			return sizeExpectation(issue);
		case 'invalid_union':
			return 'a value matching one of the allowed shapes';
		default:
			return lowerFirst(issue.message);
	}
}

/** Zod's stock messages ("Invalid email") describe the failure, not the expectation; custom ones are kept. */
function hasCustomMessage(issue: ZodIssue): boolean {
	return issue.message !== defaultErrorMap(issue, { defaultError: issue.message, data: undefined }).message;
}

function sizeExpectation(issue: (ZodTooSmallIssue | ZodTooBigIssue) & { message: string }): string {
	const small = issue.code === 'too_small';
	const limit = String(small ? issue.minimum : issue.maximum);
	const bound = issue.exact ? 'exactly' : issue.inclusive ? (small ? 'at least' : 'at most') : small ? 'more than' : 'less than';
	if (issue.type === 'string') return `text of ${bound} ${limit} character(s)`;
	if (issue.type === 'array' || issue.type === 'set') return `a list of ${bound} ${limit} item(s)`;
	if (issue.type === 'number' || issue.type === 'bigint') {
		const relation = issue.exact ? 'equal to' : `${small ? 'greater' : 'less'} than${issue.inclusive ? ' or equal to' : ''}`;
		return `a number ${relation} ${limit}`;
	}
	return lowerFirst(issue.message);
}

/** "Must be…" → "must be…", but "URL…" stays. */
function lowerFirst(text: string): string {
	return text.replace(/^[A-Z](?=[a-z\s])/, (c) => c.toLowerCase());
}

function article(word: string): string {
	return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
	let cursor: unknown = data;
	for (const key of path) {
		if (cursor === null || typeof cursor !== 'object') return undefined;
		cursor = (cursor as Record<string | number, unknown>)[key];
	}
	return cursor;
}

/** Common field shapes shared by several connectors. */
export const businessKeySchema = z.string().trim().min(1, 'a non-empty contract or order id').max(200);
export const isoDateTimeSchema = z.string().datetime({ offset: true });
export const currencySchema = z
	.string()
	.regex(/^[A-Za-z]{3}$/, 'a three-letter ISO currency code such as "usd"')
	.transform((c) => c.toLowerCase());
/** Money in the currency's minor unit (cents). */
export const minorAmountSchema = z.number().int('a whole number of minor units (cents)').nonnegative();
