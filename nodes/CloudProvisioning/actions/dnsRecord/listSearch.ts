import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import type { DnsProviderName } from '../../../../connectors/provisioning/dns';
import { cloudClientsForLoadOptions } from '../../clients';

/** Zones the chosen provider's credential can see, searched by name; the value is the zone id. */
export async function searchDnsZones(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const provider: DnsProviderName = this.getCurrentNodeParameter('dnsProvider') === 'route53' ? 'route53' : 'cloudflare';
	const dns = await cloudClientsForLoadOptions(this).dns(provider);
	const zones = await dns.listZones(filter || undefined);
	return {
		results: zones.map((zone) => ({
			name: `${zone.name}${zone.private ? ' (private)' : ''}${zone.status && zone.status !== 'active' ? ` (${zone.status})` : ''}`,
			value: zone.id,
		})),
	};
}
