import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, tenantIdField, tenantIdOf } from '../../fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['featureFlags'], operation: ['getForTenant'] } }, [tenantIdField]);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	return asJson(await client.getTenantFeatureFlags(tenantIdOf(context, itemIndex)));
}
