import { ConnectorError } from '../../core';
import type { DnsRecord, DnsRecordType } from './types';
import { normalizeContent, type ValidUpsert } from './validation';

/** Stored content in the same canonical form as requested content; what does not parse is kept as the vendor wrote it. */
export function storedContent(type: DnsRecordType, content: string): string {
	const text = type === 'TXT' ? unquoteTxt(content) : content;
	try {
		return normalizeContent(type, text);
	} catch {
		return text;
	}
}

/**
 * TXT text as one string: `"a" "b"` (character-strings, as Route 53 and sometimes Cloudflare write it) is `ab`.
 * Text that is not entirely quoted is returned as it is.
 */
export function unquoteTxt(content: string): string {
	const trimmed = content.trim();
	if (!/^(?:"(?:[^"\\]|\\.)*"\s*)+$/.test(trimmed)) return content;
	const parts = trimmed.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
	return parts.map((part) => part.slice(1, -1).replace(/\\(.)/g, '$1')).join('');
}

/** TXT text as Route 53 wants it: quoted character-strings of at most 255 characters, `"` and `\` escaped. */
export function quoteTxt(text: string): string {
	const chunks: string[] = [];
	for (let start = 0; start < text.length; start += 255) chunks.push(text.slice(start, start + 255));
	return chunks.map((chunk) => `"${chunk.replace(/["\\]/g, '\\$&')}"`).join(' ');
}

/** TTL and proxy as requested (what was not requested is left as it is). */
export function sameSettings(current: DnsRecord, wanted: ValidUpsert): boolean {
	if (wanted.ttl !== undefined && wanted.ttl !== current.ttl) return false;
	if (wanted.proxied !== undefined && wanted.proxied !== Boolean(current.proxied)) return false;
	return true;
}

/** This connector manages single records: several with one name and type are someone else's design, left alone. */
export function singleRecord(records: DnsRecord[], name: string, type: DnsRecordType, vendor: string): DnsRecord | null {
	if (records.length > 1) {
		throw new ConnectorError('conflict', `${name} has ${records.length} ${type} records; this connector changes only a name with one`, {
			vendor,
			field: 'name',
			details: { contents: records.map((record) => record.content) },
		});
	}
	return records[0] ?? null;
}
