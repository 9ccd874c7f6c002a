import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { vmfClientFor } from '../transport';

/** Orders of the credential's partner for the order picker; filtering is by id or status text. */
export async function searchOrders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await vmfClientFor(this);
	const page = await client.listOrders({ limit: 50, cursor: paginationToken || undefined });
	const needle = filter?.trim().toLowerCase();
	const results = page.orders
		.filter((order) => !needle || order.id.toLowerCase().includes(needle) || (order.attributes.statusCode ?? '').toLowerCase().includes(needle))
		.map((order) => ({ name: `${order.id} (${order.attributes.statusCode ?? 'unknown'})`, value: order.id }));
	return { results, paginationToken: page.nextCursor };
}
