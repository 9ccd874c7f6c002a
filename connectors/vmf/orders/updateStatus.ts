import { ConnectorError, idempotencyKey, parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { orderDocumentSchema, type Order, type OrderStatus } from '../schemas/order';
import { getOrder } from './get';
import { JSON_API_HEADERS, ORDER_ID_EXPECTED, pathId } from './path';

/** Statuses a client may move an order to; the others (`error`, `NotReady`) are set by VMF itself. */
export const SETTABLE_ORDER_STATUSES = ['submitted', 'processing', 'declined', 'fulfilled', 'archived'] as const;
export type SettableOrderStatus = (typeof SETTABLE_ORDER_STATUSES)[number];

/**
 * The order lifecycle as documented on `orders.attributes.statusCode`: a draft is submitted for
 * approval, approval moves it to processing (or it is declined), processing ends fulfilled or in
 * error (which may be re-processed), and any settled order can be archived.
 */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly SettableOrderStatus[]> = {
	draft: ['submitted', 'processing', 'archived'],
	submitted: ['processing', 'declined', 'archived'],
	processing: ['fulfilled', 'archived'],
	error: ['processing', 'archived'],
	declined: ['archived'],
	fulfilled: ['archived'],
	archived: [],
	NotReady: [],
};

export const updateOrderStatusInputSchema = z.object({
	orderId: z.string().trim().min(1),
	status: z.enum(SETTABLE_ORDER_STATUSES),
	/** Contract/order id the idempotency key hangs off; defaults to the order id. */
	businessKey: z.string().trim().min(1).optional(),
});
export type UpdateOrderStatusInput = z.input<typeof updateOrderStatusInputSchema>;

export interface UpdateOrderStatusResult {
	order: Order;
	previousStatus: string;
	/** False when the order already had the requested status (a replay is a no-op). */
	changed: boolean;
	idempotencyKey: string;
}

/**
 * Moves an order along its lifecycle. The published spec (Trusted Tester) documents the statuses but
 * no transition endpoint; we use the JSON:API update convention `PATCH /orders/{id}` with the new
 * `statusCode`, after checking the transition against the documented lifecycle.
 */
export async function updateOrderStatus(platform: HttpTransport, input: UpdateOrderStatusInput): Promise<UpdateOrderStatusResult> {
	const params = parseInput(updateOrderStatusInputSchema, input, 'updateOrderStatus', VMF_VENDOR);
	const id = pathId(params.orderId, 'orderId', ORDER_ID_EXPECTED);
	const key = idempotencyKey(params.businessKey ?? params.orderId, `vmf.order.status.${params.status}`);
	const current = await getOrder(platform, params.orderId);
	const previousStatus = current.attributes.statusCode ?? 'processing';
	if (previousStatus === params.status) return { order: current, previousStatus, changed: false, idempotencyKey: key };
	const allowed = ORDER_TRANSITIONS[previousStatus as OrderStatus] ?? [];
	if (!allowed.includes(params.status)) {
		throw new ConnectorError('conflict', `Order ${params.orderId} is "${previousStatus}" and cannot move to "${params.status}" (allowed: ${allowed.join(', ') || 'none'})`, {
			vendor: VMF_VENDOR,
			field: 'status',
			expected: allowed.length ? `one of ${allowed.join(', ')}` : 'no further transition',
			code: 'invalid_transition',
		});
	}
	const doc = await platform.request({
		method: 'PATCH',
		path: `/orders/${id}`,
		headers: JSON_API_HEADERS,
		body: { data: { type: 'orders', id: current.id, attributes: { statusCode: params.status } } },
		idempotencyKey: key,
		responseSchema: orderDocumentSchema,
	});
	return { order: doc.data, previousStatus, changed: true, idempotencyKey: key };
}
