import { parseInput, z, type HttpTransport } from '../../core';
import { VMF_VENDOR } from '../errors';
import { orderListDocumentSchema, type Order } from '../schemas/order';
import { JSON_API } from './path';

export const listOrdersInputSchema = z.object({
	partnerId: z.string().trim().min(1, 'a partner id (set it on the VMF credential or pass partnerId)'),
	businessLocationId: z.string().trim().min(1).optional(),
	limit: z.number().int().min(1).max(100).optional(),
	cursor: z.string().min(1).optional(),
});
export type ListOrdersInput = z.input<typeof listOrdersInputSchema>;

export interface OrderPage {
	orders: Order[];
	/** Pass back as `cursor` for the next page; undefined on the last page. */
	nextCursor?: string;
}

/** GET /orders?filter[partner.id]=…: one page of a partner's orders. */
export async function listOrders(platform: HttpTransport, input: ListOrdersInput): Promise<OrderPage> {
	const params = parseInput(listOrdersInputSchema, input, 'listOrders', VMF_VENDOR);
	const doc = await platform.request({
		method: 'GET',
		path: '/orders',
		headers: { Accept: JSON_API },
		query: {
			'filter[partner.id]': params.partnerId,
			'filter[businessLocation.id]': params.businessLocationId,
			'page[limit]': params.limit,
			'page[cursor]': params.cursor,
		},
		responseSchema: orderListDocumentSchema,
	});
	return { orders: doc.data, nextCursor: cursorFrom(doc.links?.next) };
}

/** The API returns the next page as a link; the cursor is its `page[cursor]` query value. */
function cursorFrom(next: string | undefined): string | undefined {
	if (!next) return undefined;
	try {
		return new URL(next, 'https://placeholder.invalid').searchParams.get('page[cursor]') ?? undefined;
	} catch {
		return undefined;
	}
}
