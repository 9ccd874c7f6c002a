import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { asJson, businessKeyField, tenantIdField, tierField, tierMatrixFields, tierMatrixFor } from '../../fields';
import { editionField, editionInput } from './enable';

const properties: INodeProperties[] = [tenantIdField, businessKeyField, editionField, tierField, ...tierMatrixFields];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['subscription'], operation: ['changeEdition'] } }, properties);

export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	return asJson(await client.changeEdition(editionInput(context, itemIndex), tierMatrixFor(context, itemIndex)));
}
