import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, tenantIdField, tenantIdOf } from '../../fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['tenantDatabase'], operation: ['get'] } }, [tenantIdField]);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	return asJson(await client.getTenantDatabase(tenantIdOf(context, itemIndex)));
}
