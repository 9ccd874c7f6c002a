import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validateUpsert, type DnsUpsertInput } from '../../../../connectors/provisioning/dns';
import { stringParameter } from '../../../shared/params';
import type { CloudClients } from '../../clients';
import { dnsFor, recordData, recordJson, recordNameOf, recordParametersOf } from './record';

/**
 * Points the record at `content`: created, updated (with `previous`, what a rollback puts back) or unchanged (a
 * repeat changes nothing). Route 53 also returns its change id and status (PENDING until every server has it).
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const record = recordParametersOf(context, itemIndex);
	const ttl = Number(context.getNodeParameter('ttl', itemIndex, 0));
	const proxiable = record.provider === 'cloudflare' && record.type !== 'TXT';
	const input: Omit<DnsUpsertInput, 'name'> = {
		zone: record.zone,
		type: record.type,
		content: stringParameter(context, 'content', itemIndex),
		...(ttl === 0 ? {} : { ttl }),
		...(proxiable ? { proxied: context.getNodeParameter('proxied', itemIndex, false) === true } : {}),
	};
	// Content, TTL and proxy are checked before the zone lookup a label in a zone given by id needs.
	validateUpsert({ ...input, name: record.name ?? `${record.label}.zone.invalid` } as DnsUpsertInput, record.provider);
	const dns = await dnsFor(record, clients);
	const name = await recordNameOf(record, dns);
	const result = await dns.upsert({ ...input, name });
	return {
		...recordJson(record, result.record.name, result.record),
		outcome: result.outcome,
		...recordData(result.record),
		previous: result.previous ? recordData(result.previous) : null,
		...(result.changeId ? { changeId: result.changeId, changeStatus: result.changeStatus } : {}),
	};
}
