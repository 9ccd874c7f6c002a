import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CANCELLATION_REASONS, type VmfClient } from '../../../../connectors/vmf';
import { businessKeyField, stringParam, toJson } from '../common';

const show = { resource: ['subscriptionAssignment'], operation: ['cancel'] };

export const assignmentIdField = (operation: string): INodeProperties => ({
	displayName: 'Assignment ID',
	name: 'assignmentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'AG-CQD6ZR6:MP-R7G3NP55T725DM5VGD:beff34a4-cccc-4be8',
	description: 'Subscription assignment ID: business location, product and activation IDs joined by colons',
	displayOptions: { show: { resource: ['subscriptionAssignment'], operation: [operation] } },
});

const reasonName = (value: string) => value.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

export const properties: INodeProperties[] = [
	assignmentIdField('cancel'),
	businessKeyField(show),
	{
		displayName: 'Deactivation',
		name: 'deactivationType',
		type: 'options',
		default: 'cancel',
		displayOptions: { show },
		options: [
			{ name: 'At Anniversary or Commitment Date', value: 'cancel' },
			{ name: 'Immediately', value: 'immediate', description: 'What a compensation after a failed provisioning wants' },
		],
	},
	{
		displayName: 'Reasons',
		name: 'reasons',
		type: 'multiOptions',
		default: ['other'],
		displayOptions: { show },
		options: CANCELLATION_REASONS.map((value) => ({ name: reasonName(value), value })),
	},
	{
		displayName: 'Comments',
		name: 'comments',
		type: 'string',
		default: '',
		displayOptions: { show },
	},
];

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	const businessKey = stringParam(context, 'businessKey', itemIndex) ?? '';
	const result = await client.cancelSubscriptionAssignment({
		assignmentId: stringParam(context, 'assignmentId', itemIndex) ?? '',
		businessKey,
		deactivationType: context.getNodeParameter('deactivationType', itemIndex, 'cancel') as 'cancel' | 'immediate',
		reasons: context.getNodeParameter('reasons', itemIndex, ['other']) as (typeof CANCELLATION_REASONS)[number][],
		comments: stringParam(context, 'comments', itemIndex),
	});
	return toJson({ ...result, businessKey });
}
