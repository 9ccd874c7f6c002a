import { isIPv4, isIPv6 } from 'node:net';
import { validationError } from '../../core';
import { DNS_RECORD_TYPES, type DnsProviderName, type DnsRecordType, type DnsUpsertInput } from './types';

/** Everything is checked here, before any vendor call; each error names the field at fault. */

const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const MAX_TXT_LENGTH = 2048;
/** Record names may carry underscores (`_acme-challenge`, `_dmarc`); hyphens never lead or trail. */
const RECORD_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
/** A sub-domain chosen from tenant data: a plain host-name label (letters, digits, inner hyphens). */
const TENANT_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const ZONE_ID = /^[A-Za-z0-9/_-]{1,128}$/;

export type ZoneRef = { by: 'id'; id: string } | { by: 'name'; name: string };

export interface ValidRecordKey {
	zone: ZoneRef;
	name: string;
	type: DnsRecordType;
}

export interface ValidUpsert extends ValidRecordKey {
	content: string;
	ttl?: number;
	proxied?: boolean;
}

/** A zone given by id (no dot: `023e…`, `Z1D633PJN98FT9`, `/hostedzone/Z1…`) or by domain name (has a dot). */
export function parseZoneRef(zone: unknown, vendor?: string): ZoneRef {
	if (typeof zone !== 'string' || zone.trim() === '') throw validationError('zone', 'a zone id or the zone\'s domain name', zone, vendor);
	const value = zone.trim();
	if (value.replace(/\.$/, '').includes('.')) return { by: 'name', name: normalizeDomainName(value, 'zone', vendor) };
	if (!ZONE_ID.test(value)) throw validationError('zone', 'a zone id (letters, digits, "/", "_", "-") or a domain name such as example.com', zone, vendor);
	return { by: 'id', id: value };
}

/** Lower case, no trailing dot, label and length rules of RFC 1035 (underscores allowed, `*` only leftmost). */
export function normalizeDomainName(value: unknown, field: string, vendor?: string): string {
	if (typeof value !== 'string' || value.trim() === '') throw validationError(field, 'a domain name such as myclub.example.com', value, vendor);
	const name = value.trim().toLowerCase().replace(/\.$/, '');
	if (/[^\x20-\x7e]/.test(name)) {
		throw validationError(field, 'an ASCII domain name (write international names in punycode, xn--…)', value, vendor);
	}
	if (name.length > MAX_NAME_LENGTH) throw validationError(field, `a domain name of at most ${MAX_NAME_LENGTH} characters`, value, vendor);
	const labels = name.split('.');
	labels.forEach((label, index) => {
		if (label === '*' && index === 0 && labels.length > 1) return;
		if (label.length === 0 || label.length > MAX_LABEL_LENGTH || !RECORD_LABEL.test(label)) {
			throw validationError(
				field,
				`a domain name whose labels are 1–${MAX_LABEL_LENGTH} letters, digits, "-" or "_" (no leading or trailing "-"; "*" only as the first label)`,
				value,
				vendor,
			);
		}
	});
	return name;
}

/** `name` must be the zone's apex or end in `.zone`. */
export function assertNameInZone(name: string, zoneName: string, vendor?: string): void {
	if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
		throw validationError('name', `a name inside the zone ${zoneName} (ending in ".${zoneName}")`, name, vendor);
	}
}

/** The record name for a tenant's sub-domain: `label` comes from tenant data, so only a plain DNS label is accepted. */
export function tenantRecordName(label: unknown, zone: unknown): string {
	if (typeof label !== 'string' || label.trim() === '') throw validationError('label', 'a DNS label such as "myclub"', label);
	const value = label.trim().toLowerCase();
	if (value.length > MAX_LABEL_LENGTH || !TENANT_LABEL.test(value)) {
		throw validationError('label', `a DNS label: 1–${MAX_LABEL_LENGTH} letters, digits or inner hyphens (no dots, no leading or trailing "-")`, label);
	}
	// "ab--" is reserved for encoded labels (xn--…); a tenant slug has no business there.
	if (value.length >= 4 && value.slice(2, 4) === '--') throw validationError('label', 'a DNS label without "--" in the third and fourth characters', label);
	const zoneName = normalizeDomainName(zone, 'zone');
	const name = `${value}.${zoneName}`;
	if (name.length > MAX_NAME_LENGTH) throw validationError('label', `a label short enough for ${zoneName} (at most ${MAX_NAME_LENGTH} characters in all)`, label);
	return name;
}

export function validateRecordKey(zone: unknown, name: unknown, type: unknown, vendor?: string): ValidRecordKey {
	const zoneRef = parseZoneRef(zone, vendor);
	if (typeof type !== 'string' || !(DNS_RECORD_TYPES as readonly string[]).includes(type)) {
		throw validationError('type', `one of ${DNS_RECORD_TYPES.join(', ')}`, type, vendor);
	}
	const recordName = normalizeDomainName(name, 'name', vendor);
	if (zoneRef.by === 'name') assertNameInZone(recordName, zoneRef.name, vendor);
	return { zone: zoneRef, name: recordName, type: type as DnsRecordType };
}

export function validateUpsert(input: DnsUpsertInput, provider: DnsProviderName, vendor?: string): ValidUpsert {
	if (input === null || typeof input !== 'object') throw validationError('input', 'an object with zone, name, type and content', input, vendor);
	const key = validateRecordKey(input.zone, input.name, input.type, vendor);
	const content = normalizeContent(key.type, input.content, 'content', vendor);
	if (key.type === 'CNAME' && content === key.name) throw validationError('content', 'a CNAME target other than the record itself', input.content, vendor);
	return { ...key, content, ttl: validateTtl(input.ttl, provider, vendor), proxied: validateProxied(input.proxied, key.type, provider, vendor) };
}

/** Content in one canonical form per type, so a stored record and a requested one compare equal when they mean the same. */
export function normalizeContent(type: DnsRecordType, content: unknown, field = 'content', vendor?: string): string {
	if (typeof content !== 'string' || content.trim() === '') throw validationError(field, contentExpectation(type), content, vendor);
	const value = content.trim();
	switch (type) {
		case 'A':
			if (!isIPv4(value)) throw validationError(field, contentExpectation(type), content, vendor);
			return value;
		case 'AAAA':
			if (!isIPv6(value)) throw validationError(field, contentExpectation(type), content, vendor);
			return canonicalIPv6(value);
		case 'CNAME':
			if (isIPv4(value) || isIPv6(value)) throw validationError(field, contentExpectation(type), content, vendor);
			return normalizeDomainName(value, field, vendor);
		case 'TXT':
			if (content.length > MAX_TXT_LENGTH || /[^\x20-\x7e]/.test(content)) throw validationError(field, contentExpectation(type), content, vendor);
			// TXT text is kept as given: spaces can be meaningful.
			return content;
	}
}

function contentExpectation(type: DnsRecordType): string {
	switch (type) {
		case 'A':
			return 'an IPv4 address such as 203.0.113.10';
		case 'AAAA':
			return 'an IPv6 address such as 2001:db8::10';
		case 'CNAME':
			return 'a host name such as lb.example.net (not an IP address)';
		case 'TXT':
			return `printable ASCII text of 1–${MAX_TXT_LENGTH} characters`;
	}
}

/** `2001:DB8:0::1` and `2001:db8::1` are the same address; the URL parser writes the canonical form. */
function canonicalIPv6(address: string): string {
	return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function validateTtl(ttl: unknown, provider: DnsProviderName, vendor?: string): number | undefined {
	if (ttl === undefined) return undefined;
	const automatic = provider === 'cloudflare';
	const ok = typeof ttl === 'number' && Number.isInteger(ttl) && ((ttl >= 60 && ttl <= 86_400) || (automatic && ttl === 1));
	if (!ok) {
		const expected = automatic ? 'a whole number of seconds from 60 to 86400, or 1 for automatic' : 'a whole number of seconds from 60 to 86400';
		throw validationError('ttl', expected, ttl, vendor);
	}
	return ttl;
}

function validateProxied(proxied: unknown, type: DnsRecordType, provider: DnsProviderName, vendor?: string): boolean | undefined {
	if (proxied === undefined) return undefined;
	if (typeof proxied !== 'boolean') throw validationError('proxied', 'true or false', proxied, vendor);
	if (proxied && provider !== 'cloudflare') throw validationError('proxied', 'false or nothing: Route 53 has no proxy', proxied, vendor);
	if (proxied && type === 'TXT') throw validationError('proxied', 'false or nothing: only A, AAAA and CNAME records can be proxied', proxied, vendor);
	return proxied;
}
