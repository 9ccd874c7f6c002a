/**
 * Deterministic, safe names from a business key. A key that is already a plain name is used as it is; any other key
 * (capitals, spaces, too long…) is cleaned and gets a hash of the original key as suffix, so "Acme Corp" and
 * "acme-corp" never share a database. Everything is checked before any SQL or AWS call.
 */
import { createHash } from 'node:crypto';
import { validationError } from '../../core';

/** PostgreSQL truncates identifiers at NAMEDATALEN - 1 = 63 bytes; RDS identifiers also stop at 63. */
export const MAX_NAME_LENGTH = 63;
const MAX_KEY_LENGTH = 200;
const HASH_LENGTH = 8;

/** The business key, trimmed; a validation error naming `field` when it is not a usable key. */
export function checkBusinessKey(key: unknown, field = 'key'): string {
	if (typeof key !== 'string' || key.trim() === '') throw validationError(field, 'a non-empty business key such as a tenant id', key);
	const trimmed = key.trim();
	if (trimmed.length > MAX_KEY_LENGTH) throw validationError(field, `a business key of at most ${MAX_KEY_LENGTH} characters`, key);
	if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw validationError(field, 'a business key without control characters', key);
	return trimmed;
}

export function checkPostgresPrefix(prefix: unknown, field = 'namePrefix'): string {
	if (typeof prefix !== 'string' || !/^[a-z][a-z0-9_]{0,29}$/.test(prefix) || prefix.startsWith('pg_')) {
		throw validationError(field, 'a lowercase prefix of 1-30 letters, digits or underscores that starts with a letter and not with "pg_"', prefix);
	}
	return prefix;
}

export function checkRdsPrefix(prefix: unknown, field = 'identifierPrefix'): string {
	if (typeof prefix !== 'string' || !/^[a-z][a-z0-9-]{0,29}$/.test(prefix) || prefix.includes('--')) {
		throw validationError(field, 'a lowercase prefix of 1-30 letters, digits or single hyphens that starts with a letter', prefix);
	}
	return prefix;
}

function keyHash(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, HASH_LENGTH);
}

function derive(key: string, prefix: string, separator: '_' | '-'): string {
	const plain = separator === '_' ? /^[a-z0-9_]+$/ : /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
	const joined = prefix + key;
	if (plain.test(key) && joined.length <= MAX_NAME_LENGTH && !joined.includes('--')) return joined;
	const body = key
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, separator)
		.replace(/^[-_]+|[-_]+$/g, '');
	const suffix = keyHash(key);
	const room = MAX_NAME_LENGTH - prefix.length - HASH_LENGTH - 1;
	const trimmed = body.slice(0, Math.max(0, room)).replace(/[-_]+$/, '');
	const head = trimmed ? `${prefix}${trimmed}${separator}` : prefix.endsWith(separator) ? prefix : prefix + separator;
	return head + suffix;
}

/** A PostgreSQL database / role name: [a-z0-9_], starts with the prefix's letter, at most 63 characters. */
export function postgresName(key: string, prefix = 'tenant_'): string {
	return derive(checkBusinessKey(key), checkPostgresPrefix(prefix), '_');
}

/** An RDS DB instance identifier: lowercase letters, digits and single hyphens, a letter first, no hyphen last. */
export function rdsIdentifier(key: string, prefix = 'tenant-'): string {
	return derive(checkBusinessKey(key), checkRdsPrefix(prefix), '-');
}

/** `"name"` for SQL, after checking it is a plain identifier (the derived names always are). */
export function quoteIdentifier(name: string, field = 'name'): string {
	if (typeof name !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(name) || name.length > MAX_NAME_LENGTH) {
		throw validationError(field, 'a plain lowercase SQL identifier of at most 63 characters', name);
	}
	return `"${name}"`;
}

/** A SQL string literal; standard_conforming_strings (on since PostgreSQL 9.1) means only quotes need doubling. */
export function quoteLiteral(text: string): string {
	if (text.includes('\u0000')) throw validationError('text', 'text without NUL characters');
	return `'${text.split("'").join("''")}'`;
}
