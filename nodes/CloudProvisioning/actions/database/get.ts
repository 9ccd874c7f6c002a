import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CloudClients } from '../../clients';
import { businessKeyOf, databaseSettingsOf } from './fields';
import { databaseJson } from './output';

export const description: INodeProperties[] = [];

/** Status for a Wait-node polling loop: creating → available (or failed); a missing database is `deleted`. */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const key = businessKeyOf(context, itemIndex);
	const settings = databaseSettingsOf(context, itemIndex);
	const provisioner = await clients.database(settings);
	return databaseJson(settings.backend, await provisioner.get(key));
}
