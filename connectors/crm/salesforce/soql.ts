import { validationError } from '../../core';
import { VENDOR } from './errors';

const ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	"'": "\\'",
	'"': '\\"',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

/** A quoted SOQL string literal with every reserved character escaped (SOQL escape sequences). */
export function soqlString(value: string): string {
	if (typeof value !== 'string') throw validationError('value', 'text for a SOQL string literal', value, VENDOR);
	return `'${escapeChars(value)}'`;
}

/** A quoted LIKE pattern matching `value` anywhere: `%` and `_` in the value match themselves, not anything. */
export function soqlLikeContains(value: string): string {
	return `'%${escapeChars(value).replace(/[%_]/g, (c) => `\\${c}`)}%'`;
}

function escapeChars(value: string): string {
	return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c]);
}

/** An unquoted SOQL datetime literal in UTC, e.g. 2026-11-22T07:00:00Z (milliseconds dropped: SOQL has none). */
export function soqlDateTime(iso: string): string {
	const ms = typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
	if (Number.isNaN(ms)) throw validationError('since', 'an ISO date-time such as 2026-11-22T07:00:00Z', iso, VENDOR);
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79})?$/;

/** Field API names go into SOQL unquoted, so only real identifiers (optionally one relationship hop) pass. */
export function checkFieldNames(names: readonly string[], field: string): string[] {
	for (const [index, name] of names.entries()) {
		if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
			throw validationError(`${field}.${index}`, 'a Salesforce field API name such as Subscription_Id__c', name, VENDOR);
		}
	}
	return [...names];
}
