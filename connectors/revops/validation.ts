import { ConnectorError, zodToValidationError, type z } from '../core';

/**
 * Validates with a zod schema and throws a ConnectorError whose message reads `path: expected …`
 * (e.g. `discounts.smb.finance_required_pct: expected a number between 0 and 1`), so a RevOps admin
 * editing YAML sees exactly which line is wrong.
 */
export function parseOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, data: unknown, what: string): T {
	const result = schema.safeParse(data);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	let field: string;
	let expected: string;
	let received = '';
	if (issue.code === 'unrecognized_keys') {
		field = [...issue.path.map(String), issue.keys[0]].join('.');
		expected = 'no such field (check the spelling)';
	} else {
		// Reuse the core wording of expectations; an empty label leaves the bare path.
		const core = zodToValidationError([issue], '', data);
		field = core.field ?? '';
		expected = core.expected ?? issue.message;
		received = receivedText(issue, data);
	}
	const more = result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : '';
	return throwValidation(what, field || '(root)', expected, `${received}${more}`);
}

/** What was there instead, when it is short enough to quote. */
function receivedText(issue: z.ZodIssue, data: unknown): string {
	if (issue.code === 'invalid_type') return ` (received ${issue.received})`;
	let value: unknown = data;
	for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
	return (typeof value === 'string' && value.length <= 40) || typeof value === 'number' ? ` (received ${JSON.stringify(value)})` : '';
}

export function throwValidation(what: string, field: string, expected: string, suffix = ''): never {
	throw new ConnectorError('validation', `Invalid ${what}: ${field}: expected ${expected}${suffix}`, { field, expected });
}
