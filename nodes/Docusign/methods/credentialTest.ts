import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { isConnectorError, redact } from '../../../connectors/core';
import { createDocusignClient, DEFAULT_CONSENT_REDIRECT, docusignConsentUrl } from '../../../connectors/docusign';
import { docusignConfigFromCredentials } from '../transport';

/** Proves a DocuSign credential with one JWT grant + user info call (`whoAmI`). */
export async function docusignApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	let config;
	try {
		config = docusignConfigFromCredentials(credential.data ?? {});
		const me = await createDocusignClient(config).whoAmI();
		const who = me.name ? `${me.name}${me.email ? ` <${me.email}>` : ''}` : me.userId;
		return { status: 'OK', message: `Connected as ${who}, account ${me.accountId}` };
	} catch (error) {
		if (config && isConnectorError(error) && error.code === 'consent_required') {
			const url = docusignConsentUrl(config, DEFAULT_CONSENT_REDIRECT);
			return {
				status: 'Error',
				message: `The user has not granted consent to this integration key yet. Open ${url} once, sign in as that user and click "Allow Access", then test again.`,
			};
		}
		return { status: 'Error', message: redact(error instanceof Error ? error.message : String(error)) };
	}
}
