import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { VmfClient } from '../../connectors/vmf';
import { rateLimitOf } from '../shared/params';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Builds the VMF connector client from the node's `vmfApi` credential. */
export async function vmfClientFor(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<VmfClient> {
	const credentials = await context.getCredentials('vmfApi');
	return new VmfClient({
		accessToken: text(credentials.accessToken) ?? '',
		partnerId: text(credentials.partnerId),
		platformBaseUrl: text(credentials.platformBaseUrl),
		marketplaceBaseUrl: text(credentials.marketplaceBaseUrl),
		marketplaceAccessToken: text(credentials.marketplaceAccessToken),
		vtmBaseUrl: text(credentials.vtmBaseUrl),
		vtmAccessToken: text(credentials.vtmAccessToken),
		rateLimit: rateLimitOf(credentials.requestsPerSecond),
	});
}
