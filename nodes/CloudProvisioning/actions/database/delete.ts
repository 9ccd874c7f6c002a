import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CloudClients } from '../../clients';
import { businessKeyOf, databaseSettingsOf } from './fields';
import { databaseJson } from './output';
import { manageMasterUserPasswordOf } from './rdsFields';

export const description: INodeProperties[] = [];

/**
 * Rollback: drops the tenant database (and role and stored password), or starts deleting the RDS instance. Deleting
 * what is already gone succeeds. An RDS instance still being created cannot be deleted yet: that fails as a
 * retryable error, so "Retry On Fail" or a Wait loop repeats it.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, clients: CloudClients): Promise<IDataObject> {
	const key = businessKeyOf(context, itemIndex);
	const settings = databaseSettingsOf(context, itemIndex);
	if (settings.backend === 'rds') settings.rds = { ...settings.rds, manageMasterUserPassword: manageMasterUserPasswordOf(context, itemIndex) };
	const provisioner = await clients.database(settings);
	return databaseJson(settings.backend, await provisioner.delete(key));
}
