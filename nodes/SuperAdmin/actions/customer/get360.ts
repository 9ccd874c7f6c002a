import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { getCustomer360 } from '../../../../connectors/superadmin/customers/customer360';
import { asJson, stringParam } from '../../fields';
import { customerKeyField } from './upsertProfile';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get360'] } }, [customerKeyField]);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	return asJson(await getCustomer360(client.transport, stringParam(context, 'customerKey', itemIndex)));
}
