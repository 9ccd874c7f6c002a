import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ConnectorError } from '../../core';
import { quoteTxt, storedContent } from './records';
import { ROUTE53_VENDOR } from './route53Errors';
import type { DnsRecord, DnsRecordType } from './types';

/** Route 53 writes names with a trailing dot and characters outside a-z0-9-_ as octal escapes (`*` is `\052`). */
export function decodeRoute53Name(raw: string): string {
	return raw
		.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
		.toLowerCase()
		.replace(/\.$/, '');
}

export function route53Name(name: string): string {
	return `${name}.`;
}

/** Hosted zone ids come as `/hostedzone/Z…` from some calls and `Z…` from others; the bare id is used throughout. */
export function bareZoneId(id: string): string {
	return id.replace(/^\/?hostedzone\//, '');
}

export function bareChangeId(id: string): string {
	return id.replace(/^\/?change\//, '');
}

export function route53Value(type: DnsRecordType, content: string): string {
	return type === 'TXT' ? quoteTxt(content) : content;
}

export interface Route53Match {
	record: DnsRecord;
	/** The record set exactly as Route 53 holds it: a DELETE must repeat it. */
	set: ResourceRecordSet;
}

/**
 * The one single-valued, plain record set with this name and type, or null. Alias, weighted/latency/… (SetIdentifier)
 * and multi-value sets were made by someone else for reasons this connector cannot see: refused, never overwritten.
 */
export function matchRecordSet(
	sets: ResourceRecordSet[],
	zone: { id: string; name: string },
	name: string,
	type: DnsRecordType,
): Route53Match | null {
	const matches = sets.filter((set) => set.Type === type && decodeRoute53Name(set.Name ?? '') === name);
	if (matches.length === 0) return null;
	const set = matches[0];
	const values = set.ResourceRecords ?? [];
	if (matches.length > 1 || set.SetIdentifier || set.AliasTarget || values.length !== 1) {
		const what = set.AliasTarget ? 'an alias record' : set.SetIdentifier || matches.length > 1 ? 'a routing-policy record' : `${values.length} values`;
		throw new ConnectorError('conflict', `${name} ${type} is ${what}; this connector changes only a plain record with one value`, {
			vendor: ROUTE53_VENDOR,
			field: 'name',
		});
	}
	const raw = values[0].Value ?? '';
	const record: DnsRecord = {
		provider: 'route53',
		zoneId: zone.id,
		zoneName: zone.name,
		name,
		type,
		content: storedContent(type, raw),
		ttl: set.TTL ?? 0,
	};
	return { record, set };
}
