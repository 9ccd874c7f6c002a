import type { HttpTransport } from '../../core';
import { customFieldsDocumentSchema, orderDocumentSchema, type Order, type PartnerField } from '../schemas/order';
import { JSON_API, ORDER_ID_EXPECTED, pathId } from './path';

export interface OrderWithCustomFields {
	order: Order;
	customFields: PartnerField[];
}

/** GET /orders/{id}: the order with its line items. */
export async function getOrder(platform: HttpTransport, orderId: string): Promise<Order> {
	const id = pathId(orderId, 'orderId', ORDER_ID_EXPECTED);
	const doc = await platform.request({ method: 'GET', path: `/orders/${id}`, headers: { Accept: JSON_API }, responseSchema: orderDocumentSchema });
	return doc.data;
}

/** GET /orders/{id}/customFields: the partner-defined fields where contract terms are kept. */
export async function getOrderCustomFields(platform: HttpTransport, orderId: string): Promise<PartnerField[]> {
	const id = pathId(orderId, 'orderId', ORDER_ID_EXPECTED);
	const doc = await platform.request({ method: 'GET', path: `/orders/${id}/customFields`, headers: { Accept: JSON_API }, responseSchema: customFieldsDocumentSchema });
	return doc.data.attributes.partnerFields;
}
