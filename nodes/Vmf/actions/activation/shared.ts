import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient } from '../../../../connectors/vmf';
import { businessKeyField, stringParam, toJson } from '../common';

export function activationFields(operation: string): INodeProperties[] {
	const show = { resource: ['activation'], operation: [operation] };
	return [
		{
			displayName: 'Activation ID',
			name: 'activationId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '={{ $json.activationId }}',
			description: 'The pending activation (from the Marketplace purchase webhook)',
			displayOptions: { show },
		},
		{
			displayName: 'Business ID',
			name: 'businessId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'AG-1234567',
			description: 'The business location (account group) the product was activated for',
			displayOptions: { show },
		},
		{
			displayName: 'Add-On ID',
			name: 'addonId',
			type: 'string',
			default: '',
			description: 'Set only when the activation is for an add-on',
			displayOptions: { show },
		},
		businessKeyField(show),
	];
}

export async function resolve(context: IExecuteFunctions, itemIndex: number, client: VmfClient, approved: boolean): Promise<IDataObject> {
	const businessKey = stringParam(context, 'businessKey', itemIndex);
	const result = await client.resolveActivation({
		activationId: stringParam(context, 'activationId', itemIndex) ?? '',
		businessId: stringParam(context, 'businessId', itemIndex) ?? '',
		addonId: stringParam(context, 'addonId', itemIndex),
		approved,
		rejectionReason: approved ? undefined : stringParam(context, 'rejectionReason', itemIndex),
		businessKey,
	});
	return toJson({ ...result, businessKey: businessKey ?? result.activationId });
}
