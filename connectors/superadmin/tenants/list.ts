import { type HttpTransport, parseInput } from '../../core';
import { type ListTenantsInput, listTenantsInputSchema, type TenantList, tenantListSchema } from '../schemas/tenant';

/** GET /v1/tenants?query=&limit=&cursor= (used by the node's tenant picker). */
export async function listTenants(transport: HttpTransport, input: ListTenantsInput = {}): Promise<TenantList> {
	const { query, limit, cursor } = parseInput(listTenantsInputSchema, input, '');
	return transport.request({
		method: 'GET',
		path: '/v1/tenants',
		query: { query: query || undefined, limit, cursor },
		responseSchema: tenantListSchema,
	});
}
