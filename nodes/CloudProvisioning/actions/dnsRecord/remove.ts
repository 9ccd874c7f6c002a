import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { normalizeContent } from '../../../../connectors/provisioning/dns';
import { stringParameter } from '../../../shared/params';
import type { CloudClients } from '../../clients';
import { dnsFor, recordData, recordJson, recordNameOf, recordParametersOf } from './record';

/**
 * Deletes the record; a record that is not there is not an error (`removed: false`), so a rollback can run twice.
 * With "Only If Content Is", a record someone has since pointed elsewhere is left in place and the item fails (conflict).
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const record = recordParametersOf(context, itemIndex);
	const onlyIfContent = stringParameter(context, 'onlyIfContent', itemIndex);
	if (onlyIfContent) normalizeContent(record.type, onlyIfContent, 'onlyIfContent');
	const dns = await dnsFor(record, clients);
	const name = await recordNameOf(record, dns);
	const result = await dns.remove(record.zone, name, record.type, onlyIfContent ? { ifContent: onlyIfContent } : {});
	return {
		...recordJson(record, name, result.previous),
		removed: result.removed,
		previous: result.previous ? recordData(result.previous) : null,
		...(result.changeId ? { changeId: result.changeId, changeStatus: result.changeStatus } : {}),
	};
}
