import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { DEFAULT_STRIPE_BASE_URL, stripeBillingClientFor, type StripeBillingClient } from '../../connectors/billing';

export const CREDENTIAL_NAME = 'billingStripeApi';

/**
 * The Stripe connector for this node's credential (the node itself never touches the SDK). One client per
 * credential for the process, so executions reuse the SDK instance, its connections and its rate limiter.
 */
export async function billingClient(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<StripeBillingClient> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	const baseUrl = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl.trim().replace(/\/+$/, '') : DEFAULT_STRIPE_BASE_URL;
	return stripeBillingClientFor({ secretKey: String(credentials.secretKey ?? ''), baseUrl });
}
