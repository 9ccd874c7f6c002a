import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import * as get360 from './get360';
import * as upsertProfile from './upsertProfile';

export { get360, upsertProfile };

export const description: INodeProperties[] = [
	operationProperty('customer', 'get360', [
		{ name: 'Get Customer 360', value: 'get360', description: 'Address, contacts, payment method and schedule, card expiry, contract and product age, repair and troubleshoot history', action: 'Get a customer 360 view' },
		{ name: 'Upsert Profile', value: 'upsertProfile', description: 'Register or update the customer with SysOps (idempotent per business key)', action: 'Upsert a customer profile' },
	]),
	...get360.description,
	...upsertProfile.description,
];
