import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf, tierField, tierMatrixFields, tierMatrixFor } from '../../fields';
import { editionField } from './enable';

const properties: INodeProperties[] = [tenantIdField, businessKeyField, editionField, tierField, ...tierMatrixFields];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['subscription'], operation: ['changeEdition'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const matrix = tierMatrixFor(context, itemIndex);
	const input = {
		tenantId: tenantIdOf(context, itemIndex),
		businessKey: stringParam(context, 'businessKey', itemIndex),
		edition: stringParam(context, 'edition', itemIndex),
		tier: stringParam(context, 'tier', itemIndex),
	};
	return asJson(await client.changeEdition(input, matrix));
}
