/**
 * One DNS interface over Cloudflare and Route 53, for pointing a tenant's sub-domain at its infrastructure and
 * for undoing that on rollback. Record sets are single-valued here: one name + type holds one content.
 */
export const DNS_RECORD_TYPES = ['CNAME', 'A', 'AAAA', 'TXT'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export type DnsProviderName = 'cloudflare' | 'route53';

export interface DnsUpsertInput {
	/** Zone id, or the zone's domain name (resolved to its id with one lookup). */
	zone: string;
	/** Fully qualified record name inside the zone (a trailing dot is accepted), e.g. `myclub.example.com`. */
	name: string;
	type: DnsRecordType;
	/** IPv4 for A, IPv6 for AAAA, a host name for CNAME, printable text for TXT. */
	content: string;
	/** Seconds, 60–86400; 1 means "automatic" (Cloudflare only). Default: Cloudflare automatic, Route 53 300. */
	ttl?: number;
	/** Cloudflare's proxy (A, AAAA, CNAME only). Route 53 has none. */
	proxied?: boolean;
}

export interface DnsRecord {
	provider: DnsProviderName;
	zoneId: string;
	zoneName: string;
	/** The vendor's record id (Cloudflare); Route 53 record sets have none. */
	id?: string;
	/** Lower case, without the trailing dot. */
	name: string;
	type: DnsRecordType;
	content: string;
	ttl: number;
	proxied?: boolean;
}

export type DnsUpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface DnsUpsertResult {
	outcome: DnsUpsertOutcome;
	record: DnsRecord;
	/** What the record held before an update, so a rollback can put it back with another upsert. */
	previous?: DnsRecord;
	/** Route 53 change id and its status when it was submitted (PENDING until the change reaches every server). */
	changeId?: string;
	changeStatus?: DnsChangeStatus;
}

export interface DnsRemoveOptions {
	/** Remove only while the record still holds this content (a rollback must not delete what someone changed since). */
	ifContent?: string;
}

export interface DnsRemoveResult {
	/** false: there was nothing to remove (removing twice is fine). */
	removed: boolean;
	previous?: DnsRecord;
	changeId?: string;
	changeStatus?: DnsChangeStatus;
}

export type DnsChangeStatus = 'PENDING' | 'INSYNC';

export interface DnsZone {
	id: string;
	/** Lower case, without the trailing dot. */
	name: string;
	/** Cloudflare zone status (active, pending, …). */
	status?: string;
	/** Route 53 private hosted zone. */
	private?: boolean;
}

export interface DnsProvider {
	readonly provider: DnsProviderName;
	/** Creates or updates the record; a repeat with the same content changes nothing and reports `unchanged`. */
	upsert(input: DnsUpsertInput): Promise<DnsUpsertResult>;
	/** The record, or null when the name has no record of that type. */
	get(zone: string, name: string, type: DnsRecordType): Promise<DnsRecord | null>;
	/** Deletes the record; a missing record is not an error (`removed: false`). */
	remove(zone: string, name: string, type: DnsRecordType, options?: DnsRemoveOptions): Promise<DnsRemoveResult>;
	/** Zones the credential can see, for a node's picker; `search` keeps the names containing it. */
	listZones(search?: string): Promise<DnsZone[]>;
}
