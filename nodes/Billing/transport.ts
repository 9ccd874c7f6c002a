import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { createStripeBillingClient, DEFAULT_STRIPE_BASE_URL, type StripeBillingClient } from '../../connectors/billing';

export const CREDENTIAL_NAME = 'billingStripeApi';

/** The Stripe connector for this node's credential (the node itself never touches the SDK). */
export async function billingClient(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<StripeBillingClient> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	const baseUrl = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl.trim().replace(/\/+$/, '') : DEFAULT_STRIPE_BASE_URL;
	return createStripeBillingClient({ secretKey: String(credentials.secretKey ?? ''), baseUrl });
}
