import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { attemptField, attemptOf } from '../../../shared/fields';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf, tierField, tierMatrixFields, tierMatrixFor } from '../../fields';

export const editionField: INodeProperties = {
	displayName: 'Edition',
	name: 'edition',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.lineItems[0].editionId }}',
	description: 'Product edition ID the contract bought',
};

const properties: INodeProperties[] = [tenantIdField, businessKeyField, editionField, tierField, attemptField, ...tierMatrixFields];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['subscription'], operation: ['enable'] } }, properties);

/** Tenant, contract, edition and tier: the parameters enable and change edition share. */
export function editionInput(context: IExecuteFunctions, itemIndex: number) {
	return {
		tenantId: tenantIdOf(context, itemIndex),
		businessKey: stringParam(context, 'businessKey', itemIndex),
		edition: stringParam(context, 'edition', itemIndex),
		tier: stringParam(context, 'tier', itemIndex),
		attempt: attemptOf(context, itemIndex),
	};
}

/** Switches the subscription on and applies the tier's feature flags in the same request. */
export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	return asJson(await client.enableSubscription(editionInput(context, itemIndex), tierMatrixFor(context, itemIndex)));
}
