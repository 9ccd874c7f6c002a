import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

const SIGNING_SECRET = /^whsec_[A-Za-z0-9_]+$/;

/**
 * A signing secret verifies what Stripe sends to n8n; no Stripe API accepts one, so the test can only check that a
 * secret is set and looks like one. A wrong secret shows up as 401 answers in the endpoint's delivery log at Stripe.
 */
export async function stripeWebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const secrets = [credential.data?.signingSecret, credential.data?.previousSigningSecret]
		.map((secret) => (typeof secret === 'string' ? secret.trim() : ''))
		.filter((secret) => secret !== '');
	if (secrets.length === 0) return { status: 'Error', message: "Set the endpoint's signing secret (whsec_…): without it every delivery is refused." };
	if (!secrets.every((secret) => SIGNING_SECRET.test(secret))) return { status: 'Error', message: 'A signing secret starts with "whsec_" (not an API key such as sk_…).' };
	return { status: 'OK', message: `${secrets.length} signing secret(s) set. Deliveries signed with another secret are answered 401.` };
}
