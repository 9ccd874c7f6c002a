import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CloudClients } from '../../clients';
import { dnsFor, recordData, recordJson, recordNameOf, recordParametersOf } from './record';

/** The record, or `found: false` when the name has no record of that type (not an error: a check before Upsert). */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const record = recordParametersOf(context, itemIndex);
	const dns = await dnsFor(record, clients);
	const name = await recordNameOf(record, dns);
	const found = await dns.get(record.zone, name, record.type);
	if (!found) return { ...recordJson(record, name), found: false };
	return { ...recordJson(record, name, found), found: true, ...recordData(found) };
}
