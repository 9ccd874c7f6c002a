import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { SuperAdminClient } from '../../connectors/superadmin';

interface SuperAdminCredential {
	baseUrl: string;
	apiKey: string;
}

/** The connector client for this node's "Super Admin API" credential. */
export async function superAdminClient(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<SuperAdminClient> {
	const credential = await context.getCredentials<SuperAdminCredential>('superAdminApi');
	return new SuperAdminClient({ baseUrl: credential.baseUrl, apiKey: credential.apiKey });
}
