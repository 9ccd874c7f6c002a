import { type HttpTransport, parseInput, z } from '../../core';
import { segment } from '../client';

/** The DNS label a World Class tenant is served under (`<subdomain>.<zone>`). */
export const subdomainSchema = z
	.string({ required_error: 'a subdomain such as "myclub"' })
	.trim()
	.toLowerCase()
	.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a DNS label such as "myclub" (lower-case letters, digits, inner hyphens, at most 63)');

export const subdomainLookupSchema = z.object({
	subdomain: z.string(),
	available: z.boolean(),
	/** The tenant holding it, when taken (its contract's business key tells a repeat from a clash). */
	tenantId: z.string().nullish(),
	businessKey: z.string().nullish(),
});
export type SubdomainLookup = z.infer<typeof subdomainLookupSchema>;

/** GET /v1/subdomains/{subdomain}: whether a custom subdomain is free, and which tenant holds it if not. */
export async function findTenantBySubdomain(transport: HttpTransport, subdomain: string): Promise<SubdomainLookup> {
	const label = parseInput(subdomainSchema, subdomain, 'subdomain');
	return transport.request({ method: 'GET', path: `/v1/subdomains/${segment(label)}`, responseSchema: subdomainLookupSchema });
}
