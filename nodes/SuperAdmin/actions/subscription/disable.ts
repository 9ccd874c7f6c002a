import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import type { SuperAdminClient } from '../../../../connectors/superadmin';
import { attemptField, attemptOf } from '../../../shared/fields';
import { asJson, businessKeyField, stringParam, tenantIdField, tenantIdOf } from '../../fields';

const properties: INodeProperties[] = [
	tenantIdField,
	businessKeyField,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'Billing failed; provisioning rolled back',
		description: 'Why the subscription is switched off (kept in the platform audit log)',
	},
	attemptField,
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['subscription'], operation: ['disable'] } }, properties);

/** Safe as a compensation: an already disabled subscription is a success with `alreadyDisabled: true`. */
export async function execute(context: IExecuteFunctions, itemIndex: number, client: SuperAdminClient): Promise<IDataObject> {
	const reason = stringParam(context, 'reason', itemIndex).trim();
	const input = {
		tenantId: tenantIdOf(context, itemIndex),
		businessKey: stringParam(context, 'businessKey', itemIndex),
		attempt: attemptOf(context, itemIndex),
		...(reason ? { reason } : {}),
	};
	return asJson(await client.disableSubscription(input));
}
