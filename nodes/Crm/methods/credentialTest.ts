import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { createCrmProvider, type CrmProviderName } from '../../../connectors/crm';
import { redact } from '../../../connectors/core';
import { CRM_CREDENTIALS, crmConfigFromCredentials } from '../transport';

/** Proves a CRM credential with one cheap authenticated call (`whoAmI`): token exchange included. */
export async function crmApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const provider: CrmProviderName = credential.type === CRM_CREDENTIALS.hubspot ? 'hubspot' : 'salesforce';
	try {
		// A fresh provider (not the cached one): the test must hit the CRM with exactly these values.
		const crm = createCrmProvider(crmConfigFromCredentials(provider, credential.data ?? {}));
		const me = await crm.whoAmI();
		return { status: 'OK', message: `Connected as ${me.name ? `${me.name} (${me.id})` : me.id}` };
	} catch (error) {
		return { status: 'Error', message: redact(error instanceof Error ? error.message : String(error)) };
	}
}
