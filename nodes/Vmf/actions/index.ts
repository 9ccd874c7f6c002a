import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../shared/fields';
import type { VmfClient } from '../../../connectors/vmf';
import { allowRiskyToolField, type ToolRisks } from '../../shared/aiTool';
import { effectIds, pick, receiptFields, type EffectOf, type SideEffects } from '../../shared/receipt';
import type { OperationMap } from '../../shared/router';
import * as activationApprove from './activation/approve';
import * as activationReject from './activation/reject';
import * as orderGet from './order/get';
import * as orderList from './order/list';
import * as orderUpdateStatus from './order/updateStatus';
import * as assignmentCancel from './subscriptionAssignment/cancel';
import * as assignmentUndoCancel from './subscriptionAssignment/undoCancel';
import * as vtmComplete from './vtmTask/complete';
import * as vtmComment from './vtmTask/comment';
import * as vtmList from './vtmTask/list';

/** Refused to an AI agent unless the tool opts in. */
export const toolRisks: ToolRisks = {
	subscriptionAssignment: { cancel: 'undoes a customer effect' },
	activation: { reject: 'undoes a customer effect' },
};

const vmf =
	(type: string, idKey: string, ...keys: string[]): EffectOf =>
	(json) =>
		effectIds(`vmf.${type}`, json[idKey], pick(json, [idKey, ...keys]));

/** Writes that can record their receipt in the same step ("Record Receipt"), with the ids each receipt names. */
export const sideEffects: SideEffects = {
	system: 'vmf',
	operations: {
		order: { updateStatus: vmf('order', 'orderId', 'status', 'previousStatus', 'changed') },
		activation: { approve: vmf('activation', 'activationId', 'businessId', 'approved'), reject: vmf('activation', 'activationId', 'businessId', 'approved') },
		vtmTask: { complete: vmf('vtmTask', 'taskId', 'projectId', 'orderId'), comment: vmf('vtmComment', 'commentId', 'taskId') },
		subscriptionAssignment: {
			cancel: vmf('subscriptionAssignment', 'assignmentId', 'action'),
			undoCancel: vmf('subscriptionAssignment', 'assignmentId', 'action'),
		},
	},
};

export const operations: OperationMap<VmfClient> = {
	order: { get: orderGet.execute, list: orderList.execute, updateStatus: orderUpdateStatus.execute },
	activation: { approve: activationApprove.execute, reject: activationReject.execute },
	vtmTask: { list: vtmList.execute, complete: vtmComplete.execute, comment: vtmComment.execute },
	subscriptionAssignment: { cancel: assignmentCancel.execute, undoCancel: assignmentUndoCancel.execute },
};

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'order',
	options: [
		{ name: 'Activation', value: 'activation' },
		{ name: 'Order', value: 'order' },
		{ name: 'Subscription Assignment', value: 'subscriptionAssignment' },
		{ name: 'VTM Task', value: 'vtmTask' },
	],
};


export const properties: INodeProperties[] = [
	resource,
	operationProperty('order', 'get', [
		{ name: 'Get', value: 'get', action: 'Get an order as a contract', description: 'Get an order with its line items, mapped into the normalized contract' },
		{ name: 'Get Many', value: 'list', action: 'Get many orders', description: "List the partner's orders" },
		{ name: 'Update Status', value: 'updateStatus', action: 'Update the status of an order', description: 'Move an order along its lifecycle (submit, approve, decline, fulfil, archive)' },
	]),
	operationProperty('activation', 'approve', [
		{ name: 'Approve', value: 'approve', action: 'Approve a pending activation' },
		{ name: 'Reject', value: 'reject', action: 'Reject a pending activation' },
	]),
	operationProperty('vtmTask', 'list', [
		{ name: 'Comment', value: 'comment', action: 'Comment on a VTM task' },
		{ name: 'Complete', value: 'complete', action: 'Complete a VTM task' },
		{ name: 'Get Many', value: 'list', action: 'Get many VTM tasks', description: 'List the tasks of an order or project' },
	]),
	operationProperty('subscriptionAssignment', 'cancel', [
		{ name: 'Cancel', value: 'cancel', action: 'Cancel a subscription assignment' },
		{ name: 'Undo Cancel', value: 'undoCancel', action: 'Undo the cancellation of a subscription assignment' },
	]),
	...orderGet.properties,
	...orderList.properties,
	...orderUpdateStatus.properties,
	...activationApprove.properties,
	...activationReject.properties,
	...vtmList.properties,
	...vtmComplete.properties,
	...vtmComment.properties,
	...assignmentCancel.properties,
	...assignmentUndoCancel.properties,
	...receiptFields(sideEffects),
	allowRiskyToolField,
];
