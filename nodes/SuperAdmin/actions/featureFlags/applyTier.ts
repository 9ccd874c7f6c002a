import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf, tierField, tierMatrixFields, tierMatrixFor } from '../../fields';

const properties: INodeProperties[] = [tenantIdField, businessKeyField, tierField, ...tierMatrixFields];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['featureFlags'], operation: ['applyTier'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const matrix = tierMatrixFor(context, itemIndex);
	const input = {
		tenantId: tenantIdOf(context, itemIndex),
		businessKey: stringParam(context, 'businessKey', itemIndex),
		tier: stringParam(context, 'tier', itemIndex),
	};
	return asJson(await client.applyTierFlags(input, matrix));
}
