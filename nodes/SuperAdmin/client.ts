import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { SuperAdminClient } from '../../connectors/superadmin';
import { rateLimitOf } from '../shared/params';

interface SuperAdminCredential {
	baseUrl: string;
	apiKey: string;
	requestsPerSecond?: number;
}

/** The connector client for this node's "Super Admin API" credential. */
export async function superAdminClient(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<SuperAdminClient> {
	const credential = await context.getCredentials<SuperAdminCredential>('superAdminApi');
	return new SuperAdminClient({ baseUrl: credential.baseUrl, apiKey: credential.apiKey, rateLimit: rateLimitOf(credential.requestsPerSecond) });
}
