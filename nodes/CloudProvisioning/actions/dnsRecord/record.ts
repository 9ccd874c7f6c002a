import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { ConnectorError, isConnectorError, validationError } from '../../../../connectors/core';
import {
	bareZoneId,
	DNS_RECORD_TYPES,
	normalizeDomainName,
	parseZoneRef,
	tenantRecordName,
	type DnsProvider,
	type DnsProviderName,
	type DnsRecord,
	type DnsRecordType,
} from '../../../../connectors/provisioning/dns';
import { requiredLocator, stringParameter } from '../../../shared/params';
import type { CloudClients } from '../../clients';

const PROVIDERS: readonly DnsProviderName[] = ['cloudflare', 'route53'];
/** Stands in for a zone known only by id, so the subdomain label is checked before the zone is looked up. */
const PLACEHOLDER_ZONE = 'zone.invalid';

/** A record as its parameters give it: checked, but with the zone perhaps known only by id (`zoneName` unknown). */
export interface RecordParameters {
	provider: DnsProviderName;
	zone: string;
	type: DnsRecordType;
	/** The full name, when it is already known (full name given, or a label in a zone given by domain). */
	name?: string;
	label?: string;
}

export function providerOf(context: IExecuteFunctions, itemIndex: number): DnsProviderName {
	const provider = stringParameter(context, 'dnsProvider', itemIndex) || 'cloudflare';
	if (!(PROVIDERS as readonly string[]).includes(provider)) throw validationError('dnsProvider', '"cloudflare" or "route53"', provider);
	return provider as DnsProviderName;
}

/** Every check that needs no vendor: zone, type, and the label or full name. */
export function recordParametersOf(context: IExecuteFunctions, itemIndex: number): RecordParameters {
	const provider = providerOf(context, itemIndex);
	const zone = requiredLocator(context, 'zone', itemIndex, 'a zone ID or domain name such as example.com');
	const zoneRef = parseZoneRef(zone);
	const type = stringParameter(context, 'recordType', itemIndex);
	if (!(DNS_RECORD_TYPES as readonly string[]).includes(type)) throw validationError('recordType', `one of ${DNS_RECORD_TYPES.join(', ')}`, type);
	if (stringParameter(context, 'recordNameMode', itemIndex) === 'fullName') {
		const name = normalizeDomainName(requiredFullName(context, itemIndex), 'recordName');
		return { provider, zone, type: type as DnsRecordType, name };
	}
	const label = stringParameter(context, 'subdomain', itemIndex);
	const name = subdomainName(label, zoneRef.by === 'name' ? zoneRef.name : PLACEHOLDER_ZONE);
	return { provider, zone, type: type as DnsRecordType, label, ...(zoneRef.by === 'name' ? { name } : {}) };
}

function requiredFullName(context: IExecuteFunctions, itemIndex: number): string {
	const name = stringParameter(context, 'recordName', itemIndex);
	if (!name) throw validationError('recordName', 'a fully qualified name such as myclub.example.com', name);
	return name;
}

/** The connector's tenant-label rules, reported against this node's Subdomain parameter. */
function subdomainName(label: string, zoneName: string): string {
	try {
		return tenantRecordName(label, zoneName);
	} catch (error) {
		// Only validation errors come from here: the label's, or the zone name's (a zone name too long for any label).
		const field = isConnectorError(error) && error.field === 'zone' ? 'zone' : 'subdomain';
		throw validationError(field, (isConnectorError(error) && error.expected) || 'a DNS label such as "myclub"', field === 'zone' ? zoneName : label);
	}
}

/** The full record name; a label in a zone given by id needs the zone's name, read from the provider's zone list. */
export async function recordNameOf(record: RecordParameters, dns: DnsProvider): Promise<string> {
	if (record.name !== undefined) return record.name;
	const id = bareZoneId(record.zone);
	const zone = (await dns.listZones()).find((candidate) => candidate.id === id);
	if (!zone) throw new ConnectorError('not_found', `No ${record.provider === 'route53' ? 'Route 53 hosted zone' : 'Cloudflare zone'} ${record.zone} is visible to this credential`, { field: 'zone' });
	return subdomainName(record.label ?? '', zone.name);
}

export async function dnsFor(record: RecordParameters, clients: CloudClients): Promise<DnsProvider> {
	return clients.dns(record.provider);
}

/** The receipt's resource ref and the record's place, as every DNS output names them. */
export function recordJson(record: RecordParameters, name: string, found?: DnsRecord): IDataObject {
	const zoneId = found?.zoneId ?? record.zone;
	return { provider: record.provider, recordRef: `${zoneId}/${name}/${record.type}`, zoneId, name, type: record.type };
}

/** A record as output: plain data, no vendor object. */
export function recordData(record: DnsRecord): IDataObject {
	return {
		zoneId: record.zoneId,
		zoneName: record.zoneName,
		...(record.id !== undefined ? { recordId: record.id } : {}),
		name: record.name,
		type: record.type,
		content: record.content,
		ttl: record.ttl,
		...(record.proxied !== undefined ? { proxied: record.proxied } : {}),
	};
}
