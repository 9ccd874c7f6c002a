import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getSubscription, type StripeBillingClient } from '../../../../connectors/billing';
import type { OperationHandler } from '../../../shared/router';
import { subscriptionLocator } from '../../descriptions';
import { locatorParameter } from '../../params';

export const description: INodeProperties[] = [subscriptionLocator('subscription', 'get')];

export const execute: OperationHandler<StripeBillingClient> = async (context, itemIndex, client) => {
	const result = await getSubscription(client, { subscriptionId: locatorParameter(context, 'subscriptionId', itemIndex) });
	return result as unknown as IDataObject;
};
