import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { superAdminClient } from './client';

/** Tenant picker: one page per call, continued with the API's cursor. */
export async function searchTenants(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await superAdminClient(this);
	const page = await client.listTenants({ query: filter || undefined, cursor: paginationToken || undefined, limit: 50 });
	return {
		results: page.data.map((tenant) => ({ name: `${tenant.name} (${tenant.id})`, value: tenant.id })),
		paginationToken: page.nextCursor ?? undefined,
	};
}
